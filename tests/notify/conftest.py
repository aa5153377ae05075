"""Real local servers for notifications: an aiosmtpd SMTP server and an HTTP webhook receiver."""

import json
import socket
import threading
from email import message_from_bytes
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select

from revteam import config
from revteam.config import Settings
from revteam.db.session import session_scope
from revteam.events.models import Event
from revteam.jobs.models import Job
from revteam.notify import email as email_sender, webhook as webhook_sender
from tests.concurrency import SAFETY_NET_SECONDS


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Inbox:
    """An aiosmtpd handler keeping every message it is handed."""

    def __init__(self):
        self.messages: list[Message] = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(message_from_bytes(envelope.content))
        return "250 OK"


@pytest.fixture(autouse=True)
def patient_senders(monkeypatch):
    """The senders wait on the local servers up to the safety net, not the product's 10 s: a loaded
    machine may answer slowly, and no test here is about a slow server."""
    monkeypatch.setattr(email_sender, "TIMEOUT_SECONDS", SAFETY_NET_SECONDS)
    monkeypatch.setattr(webhook_sender, "TIMEOUT_SECONDS", SAFETY_NET_SECONDS)


@pytest.fixture
def smtp_inbox():
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield controller.port, inbox
    controller.stop()


class Receiver(BaseHTTPRequestHandler):
    statuses: list[int]
    bodies: list[dict]

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.server.bodies.append(json.loads(body))
        status = self.server.statuses.pop(0) if self.server.statuses else 200
        self.send_response(status)
        self.end_headers()
        self.wfile.write(b"ok" if status < 400 else b"boom")

    def log_message(self, *args):
        pass


@pytest.fixture
def webhook_receiver():
    """A local HTTP server answering with the statuses queued in `.statuses` (then 200)."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    server.statuses, server.bodies = [], []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def use_settings(monkeypatch):
    """Make revteam read these settings (SMTP host/port, webhook URL) instead of the environment."""

    def apply(**fields) -> Settings:
        settings = Settings(**fields)
        monkeypatch.setattr(config, "get_settings", lambda: settings)
        return settings

    return apply


@pytest.fixture
def read(engine):
    """Read back events of a type, or jobs of a kind, as committed."""

    class Reader:
        def events(self, type_):
            with session_scope(engine) as session:
                return list(session.scalars(select(Event).where(Event.type == type_).order_by(Event.id)))

        def jobs(self, kind):
            with session_scope(engine) as session:
                return list(session.scalars(select(Job).where(Job.kind == kind).order_by(Job.id)))

    return Reader()


@pytest.fixture
def closed_port() -> int:
    """A local port nobody listens on: connecting is refused at once."""
    return free_port()
