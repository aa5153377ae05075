"""Sending one plain-text e-mail over SMTP (implicit TLS, STARTTLS or plain, optional login).

Each thread keeps its SMTP connection open between messages (a tick sending thousands of touches
would otherwise spend most of its time greeting the server); a connection the server has closed
meanwhile is opened again once.
"""

import re
import smtplib
import ssl
import threading
from collections.abc import Mapping
from functools import cache
from email.charset import Charset
from email.header import Header
from email.message import EmailMessage, Message
from email.mime.text import MIMEText
from email.utils import formatdate, getaddresses, make_msgid

from revteam.config import Settings
from revteam.notify.errors import DeliveryFailed

TIMEOUT_SECONDS = 10.0
_UTF8_8BIT = Charset("utf-8")
_UTF8_8BIT.body_encoding = None  # the text as it is, not base64: the body stays readable on the wire
_open = threading.local()  # .smtp, .server: this thread's connection and the settings it was made with
_FROM_LINE, _LINE_END = re.compile(r"^From ", re.MULTILINE), re.compile(r"\r\n|\r|\n")  # email.generator's
_FOLD_AFTER = 78  # compat32's max_line_length: a longer header line is folded


def _header(value: str) -> str | Header:
    return value if value.isascii() else Header(value, "utf-8")


def build_message(*, settings: Settings, to: str, subject: str, text: str,
                  headers: Mapping[str, str] | None = None) -> Message:
    """The message as it goes on the wire. Built with the `compat32` classes: the default policy's
    header objects parse every header they are given, which cost more than the sending (a tick sends
    thousands); a non-ASCII header is encoded (RFC 2047), a non-ASCII body goes as UTF-8 8bit. An
    address that is not ASCII cannot be encoded so: it needs SMTPUTF8, which only the default
    policy's message offers (`_international`)."""
    if not to.isascii():
        return _international(settings=settings, to=to, subject=subject, text=text, headers=headers)
    message = MIMEText(text, "plain", "us-ascii" if text.isascii() else _UTF8_8BIT)
    message["From"] = settings.mail_from
    message["To"] = to
    message["Subject"] = _header(subject)
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain=settings.mail_from.rpartition("@")[2] or None)
    for name, value in (headers or {}).items():
        message[name] = _header(value)
    return message


def _international(*, settings: Settings, to: str, subject: str, text: str,
                   headers: Mapping[str, str] | None) -> EmailMessage:
    message = EmailMessage()
    for name, value in {"From": settings.mail_from, "To": to, "Subject": subject, "Date": formatdate(localtime=False),
                        "Message-ID": make_msgid(domain=settings.mail_from.rpartition("@")[2] or None),
                        **(headers or {})}.items():
        message[name] = value
    message.set_content(text)
    return message


def _connect(settings: Settings) -> smtplib.SMTP:
    if settings.smtp_tls:
        smtp = smtplib.SMTP_SSL(settings.smtp_host, settings.smtp_port, timeout=TIMEOUT_SECONDS,
                                context=ssl.create_default_context())
    else:
        smtp = smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=TIMEOUT_SECONDS)
        if settings.smtp_starttls:
            smtp.starttls(context=ssl.create_default_context())
    if settings.smtp_user:
        smtp.login(settings.smtp_user, settings.smtp_password or "")
    return smtp


def _server(settings: Settings) -> tuple:
    return (settings.smtp_host, settings.smtp_port, settings.smtp_tls, settings.smtp_starttls,
            settings.smtp_user, settings.smtp_password, TIMEOUT_SECONDS)


def _connection(settings: Settings) -> smtplib.SMTP:
    if getattr(_open, "server", None) != _server(settings):
        close_connection()
        _open.smtp, _open.server = _connect(settings), _server(settings)
    return _open.smtp


def close_connection() -> None:
    """Say goodbye to this thread's SMTP server, if a connection is open."""
    smtp, _open.smtp, _open.server = getattr(_open, "smtp", None), None, None
    if smtp is not None:
        try:
            smtp.quit()
        except (OSError, smtplib.SMTPException):
            smtp.close()


def _header_line(name: str, value) -> str | None:
    """The header as compat32 writes it when it is ASCII on one line: as it is up to 78 characters, a
    longer one of a single word (an unsubscribe link) on a continuation line of its own; None otherwise."""
    line = f"{name}: {value}"
    if not isinstance(value, str) or not line.isascii() or "\r" in line or "\n" in line:
        return None
    if len(line) <= _FOLD_AFTER:
        return line
    return f"{name}: \r\n {value}" if value and " " not in value and "\t" not in value else None


def flattened(message: Message) -> bytes | None:
    """A plain ASCII message's bytes as smtplib's `send_message` writes them (email.generator, compat32,
    CRLF: body lines that start "From " quoted), written here directly: the generator cost 0.35 ms a
    message, most of a send's CPU, paid once per e-mail of a tick. None when the generator is needed
    (a header to encode or to fold between words, a body that is not ASCII)."""
    lines, body = [_header_line(name, value) for name, value in message.items()], message.get_payload()
    if None in lines or message.get_content_charset() != "us-ascii" or not isinstance(body, str) or not body.isascii():
        return None
    return "\r\n".join([*lines, "", *_LINE_END.split(_FROM_LINE.sub(">From ", body))]).encode("ascii")


@cache
def _address(field: str) -> str:
    return getaddresses([field])[0][1]


def _hand_over(smtp: smtplib.SMTP, message: Message) -> None:
    flat = flattened(message)
    if flat is None:
        smtp.send_message(message)
    else:  # what send_message does with the bytes
        smtp.sendmail(_address(message["From"]), [_address(message["To"])], flat)


def _send(settings: Settings, message: Message) -> None:
    try:
        _hand_over(_connection(settings), message)
    except (smtplib.SMTPServerDisconnected, ConnectionError):
        close_connection()  # the server hung up since our last message: greet it again, once
        _hand_over(_connection(settings), message)


def send_email(*, settings: Settings, to: str, subject: str, text: str,
               headers: Mapping[str, str] | None = None) -> None:
    """Hand one e-mail to the SMTP server in `settings`; raises DeliveryFailed on any failure."""
    where = f"smtp {settings.smtp_host}:{settings.smtp_port}"
    try:
        _send(settings, build_message(settings=settings, to=to, subject=subject, text=text, headers=headers))
    except (OSError, smtplib.SMTPException) as error:
        close_connection()
        raise DeliveryFailed(f"{where}: {type(error).__name__}: {error}") from error
