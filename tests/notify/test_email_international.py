"""An address that is not ASCII (which e-mail validation accepts) goes out over SMTPUTF8, like any other."""

from aiosmtpd.controller import Controller

from revteam.config import Settings
from revteam.notify.email import close_connection, send_email
from tests.notify.conftest import Inbox, free_port


class Envelopes(Inbox):
    def __init__(self):
        super().__init__()
        self.recipients: list[str] = []

    async def handle_DATA(self, server, session, envelope):
        self.recipients += envelope.rcpt_tos
        return await super().handle_DATA(server, session, envelope)


def test_an_address_that_is_not_ascii_is_delivered():
    inbox = Envelopes()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port(), enable_SMTPUTF8=True)
    controller.start()
    try:
        settings = Settings(smtp_host="127.0.0.1", smtp_port=controller.port, mail_from="revteam@acme.io")
        send_email(settings=settings, to="jérôme@acme.fr", subject="Bonjour", text="Voilà.")
        send_email(settings=settings, to="ana@acme.io", subject="Hello", text="Plain.")
    finally:
        close_connection()
        controller.stop()
    assert inbox.recipients == ["jérôme@acme.fr", "ana@acme.io"]
    assert [message["Subject"] for message in inbox.messages] == ["Bonjour", "Hello"]
