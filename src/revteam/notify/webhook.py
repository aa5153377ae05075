"""Posting a Slack-compatible JSON message to a webhook URL."""

from revteam.notify.errors import DeliveryFailed

TIMEOUT_SECONDS = 10.0


def _escape(text: str) -> str:
    # Slack's mrkdwn treats these three as markup.
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def slack_message(*, subject: str, text: str, recipient: str, link: str | None = None) -> dict:
    """`{"text": ..., "blocks": [...]}` as Slack incoming webhooks (and Mattermost, Rocket.Chat) accept."""
    context = f"for {_escape(recipient)}" + (f" · <{link}|open in revteam>" if link else "")
    return {
        "text": f"{subject}: {text}",
        "blocks": [
            {"type": "section", "text": {"type": "mrkdwn", "text": f"*{_escape(subject)}*\n{_escape(text)}"}},
            {"type": "context", "elements": [{"type": "mrkdwn", "text": context}]},
        ],
    }


def post_webhook(*, url: str, message: dict) -> None:
    """POST the message; a network error or a non-2xx answer raises DeliveryFailed."""
    import httpx  # here: every module that may notify imports this one, and only sending needs the client

    try:
        response = httpx.post(url, json=message, timeout=TIMEOUT_SECONDS)
    except httpx.HTTPError as error:
        raise DeliveryFailed(f"webhook: {type(error).__name__}: {error}") from error
    if not response.is_success:
        raise DeliveryFailed(f"webhook answered HTTP {response.status_code}: {response.text[:200]}")
