"""Domain errors. Services raise these; the API and the CLI map them in one place each."""


class RevteamError(Exception):
    """Base of every error a user can cause and should read."""

    exit_code = 2
    http_status = 400

    def http_headers(self) -> dict[str, str]:
        """Headers its HTTP answer carries, on the API and the pages alike."""
        return {}


class BadInput(RevteamError):
    """Input that cannot be accepted; `where` names the file/line, field or value."""

    def __init__(self, message: str, *, where: str | None = None):
        self.where = where
        super().__init__(f"{where}: {message}" if where else message)


class NotFound(RevteamError):
    http_status = 404


class Forbidden(RevteamError):
    http_status = 403


class InvalidMove(RevteamError):
    """A state transition outside the allowed table."""

    http_status = 409


class Conflict(RevteamError):
    """Lost a race: another action changed the record first."""

    exit_code = 3
    http_status = 409


class InternalError(RevteamError):
    """A bug: the details go to the server log with the traceback, the client reads only this."""

    exit_code = 1
    http_status = 500

    def __init__(self) -> None:
        super().__init__("internal error: it has been logged; nothing was saved")


class RateLimited(RevteamError):
    """Too many tries; `retry_after` says in how many seconds the next one is admitted."""

    http_status = 429

    def __init__(self, message: str, *, retry_after: int):
        self.retry_after = max(1, retry_after)
        super().__init__(message)

    def http_headers(self) -> dict[str, str]:
        return {"Retry-After": str(self.retry_after)}


SHOWN_CHARACTERS = 80


def quoted(value: object) -> str:
    """A value as a message shows it: its repr, cut to SHOWN_CHARACTERS with its full length named."""
    text = str(value)
    if len(text) <= SHOWN_CHARACTERS:
        return repr(text)
    return f"{text[:SHOWN_CHARACTERS]!r}... ({len(text):,} characters)"
