"""A plain ASCII message is written straight to bytes, exactly as smtplib's generator would write it;
anything the generator must fold or encode is left to it."""

import io
from email.generator import BytesGenerator

import pytest

from revteam.config import Settings
from revteam.notify.email import build_message, flattened

SETTINGS = Settings(mail_from="Revteam <revteam@acme.io>")
BODIES = ["Hello Pat,\nFrom the team:\n.\r\nLine\rend\n", "", "\n\n", "no newline at the end", "From line one"]


def _by_generator(message) -> bytes:  # what smtplib.SMTP.send_message hands to sendmail
    out = io.BytesIO()
    BytesGenerator(out).flatten(message, linesep="\r\n")
    return out.getvalue()


def _message(subject: str, text: str, link: str = "https://revteam.example/u/abc"):
    return build_message(settings=SETTINGS, to="pat@acme.io", subject=subject, text=text,
                         headers={"List-Unsubscribe": f"<{link}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"})


@pytest.mark.parametrize("text", BODIES)
@pytest.mark.parametrize("subject", ["Our digest", "x" * 69, "tab\tand  two spaces"])
def test_a_plain_message_is_written_as_the_generator_writes_it(subject, text):
    message = _message(subject, text)
    assert flattened(message) == _by_generator(message)


@pytest.mark.parametrize("length", range(50, 130, 7))
def test_a_long_link_goes_on_a_line_of_its_own_as_the_generator_puts_it(length):
    message = _message("Our digest", "Hello", link="https://revteam.example/unsubscribe/" + "T" * length)
    assert flattened(message) == _by_generator(message)


@pytest.mark.parametrize(("subject", "text"), [("x" * 70 + " y", "a header to fold between words"),
                                               ("Grüße", "an encoded header"), ("Hello", "Voilà, a body in UTF-8"),
                                               ("two\nlines", "a header of two lines")])
def test_what_the_generator_must_fold_or_encode_is_left_to_it(subject, text):
    assert flattened(_message(subject, text)) is None
