"""Sending one plain-text e-mail over SMTP (implicit TLS, STARTTLS or plain, optional login)."""

import smtplib
import ssl
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from revteam.config import Settings
from revteam.notify.errors import DeliveryFailed

TIMEOUT_SECONDS = 10.0


def build_message(*, settings: Settings, to: str, subject: str, text: str) -> EmailMessage:
    """The message as it goes on the wire."""
    message = EmailMessage()
    message["From"] = settings.mail_from
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain=settings.mail_from.rpartition("@")[2] or None)
    message.set_content(text)
    return message


def _connect(settings: Settings) -> smtplib.SMTP:
    if settings.smtp_tls:
        return smtplib.SMTP_SSL(settings.smtp_host, settings.smtp_port, timeout=TIMEOUT_SECONDS,
                                context=ssl.create_default_context())
    smtp = smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=TIMEOUT_SECONDS)
    if settings.smtp_starttls:
        smtp.starttls(context=ssl.create_default_context())
    return smtp


def send_email(*, settings: Settings, to: str, subject: str, text: str) -> None:
    """Hand one e-mail to the SMTP server in `settings`; raises DeliveryFailed on any failure."""
    where = f"smtp {settings.smtp_host}:{settings.smtp_port}"
    try:
        with _connect(settings) as smtp:
            if settings.smtp_user:
                smtp.login(settings.smtp_user, settings.smtp_password or "")
            smtp.send_message(build_message(settings=settings, to=to, subject=subject, text=text))
    except (OSError, smtplib.SMTPException) as error:
        raise DeliveryFailed(f"{where}: {type(error).__name__}: {error}") from error
