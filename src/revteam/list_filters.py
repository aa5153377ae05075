"""A list's filter written `NAME=VALUE` (the CLI's repeatable `--filter`): one parser for the lead,
account and customer lists, so each refuses the same way a pair that is not NAME=VALUE, a name it
does not know (naming those it knows) and a value that does not fit the name (pydantic's reason).

Each list declares its names and their types (`LEAD_FILTERS`, `ACCOUNT_FILTERS`, `CUSTOMER_FILTERS`);
`parse_filter` builds the list's own filter class from the typed values."""

from collections.abc import Callable, Iterable, Mapping
from typing import Any, TypeVar

from pydantic import TypeAdapter, ValidationError

from revteam.errors import BadInput, quoted

WHERE = "--filter"
Filter = TypeVar("Filter")


def _pair(written: str) -> tuple[str, str]:
    name, equals, value = written.partition("=")
    if not equals or not name.strip():
        raise BadInput(f"{quoted(written)} is not NAME=VALUE", where=WHERE)
    return name.strip(), value.strip()


def parse_filter(written: Iterable[str] | None, make: Callable[..., Filter], types: Mapping[str, Any], *,
                 what: str) -> Filter:
    """`NAME=VALUE` strings as a `what` list's filter, `make(**typed values)`; BadInput (at --filter) for a
    pair that is not NAME=VALUE, an unknown name or a value its type refuses. A name given twice keeps
    the last value, as a repeated query parameter does."""
    values: dict[str, Any] = {}
    for name, value in map(_pair, written or []):
        if name not in types:
            raise BadInput(f"no {what} filter {quoted(name)}; filters: {', '.join(types)}", where=WHERE)
        try:
            values[name] = TypeAdapter(types[name]).validate_strings(value)
        except ValidationError as err:
            raise BadInput(f"{name}={quoted(value)}: {err.errors()[0]['msg']}", where=WHERE) from None
    return make(**values)
