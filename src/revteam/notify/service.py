"""Telling a rep what needs them, by e-mail and by webhook, as jobs retried with backoff."""

import logging
from datetime import datetime

from sqlalchemy.orm import Session

from revteam import config
from revteam.errors import NotFound
from revteam.events.service import record
from revteam.jobs.registry import handler
from revteam.jobs.service import current_time, enqueue
from revteam.notify.email import send_email
from revteam.notify.webhook import post_webhook, slack_message
from revteam.users.models import User

log = logging.getLogger(__name__)

EMAIL = "notify.email"
WEBHOOK = "notify.webhook"
ACTOR = "system:notify"


def _link(lead_id: int | None) -> str | None:
    return f"{config.get_settings().public_url.rstrip('/')}/leads/{lead_id}" if lead_id else None


def notify_user(
    session: Session,
    *,
    user_id: int,
    subject: str,
    text: str,
    kind: str,
    lead_id: int | None = None,
    now: datetime | None = None,
) -> None:
    """Enqueue an e-mail to the user and, when a webhook URL is set, a webhook post; both sent after commit."""
    user = session.get(User, user_id)
    if user is None:
        raise NotFound(f"no user with id {user_id}")
    run_at = now or current_time()
    about = {"user_id": user.id, "lead_id": lead_id, "kind": kind, "subject": subject, "text": text}
    enqueue(session, kind=EMAIL, run_at=run_at, payload={**about, "to": user.email})
    if config.get_settings().webhook_url:
        enqueue(session, kind=WEBHOOK, run_at=run_at, payload={**about, "recipient": f"{user.name} <{user.email}>"})


def _record(session: Session, type_: str, payload: dict, *, now: datetime, channel: str, **data) -> None:
    lead_id = payload.get("lead_id")
    record(
        session, type=type_, subject_type="lead" if lead_id else "user",
        subject_id=lead_id or payload["user_id"], actor=ACTOR, at=now,
        data={"channel": channel, "kind": payload["kind"], "user_id": payload["user_id"],
              "subject": payload["subject"], **data},
    )


def _failure_recorder(channel: str):
    def record_failure(session: Session, payload: dict, *, now: datetime, error: str, attempts: int,
                       final: bool) -> None:
        _record(session, "notification.failed", payload, now=now, channel=channel,
                error=error, attempt=attempts, final=final)

    return record_failure


@handler(EMAIL, on_failure=_failure_recorder("email"))
def deliver_email(session: Session, payload: dict, *, now: datetime) -> None:
    """Send the e-mail over SMTP and record `notification.sent`."""
    link = _link(payload.get("lead_id"))
    text = payload["text"] + (f"\n\n{link}\n" if link else "")
    send_email(settings=config.get_settings(), to=payload["to"], subject=payload["subject"], text=text)
    _record(session, "notification.sent", payload, now=now, channel="email", to=payload["to"])


@handler(WEBHOOK, on_failure=_failure_recorder("webhook"))
def deliver_webhook(session: Session, payload: dict, *, now: datetime) -> None:
    """POST the Slack-compatible message and record `notification.sent`."""
    url = config.get_settings().webhook_url
    if not url:
        log.info("webhook notification dropped: REVTEAM_WEBHOOK_URL is no longer set")
        return
    message = slack_message(subject=payload["subject"], text=payload["text"], recipient=payload["recipient"],
                            link=_link(payload.get("lead_id")))
    post_webhook(url=url, message=message)
    _record(session, "notification.sent", payload, now=now, channel="webhook")
