"""A touch's e-mail goes out after its job's batch committed, outside any transaction: while the mail
server takes the message, another connection sees the job committed (running under the worker's
lease) and may write at once (SQLite's single write lock is free; PostgreSQL holds no row lock on it)."""

import sqlite3

from aiosmtpd.controller import Controller
from sqlalchemy import text

from revteam.outreach.touches import TOUCH_EMAIL_JOB
from tests.notify.conftest import free_port


def _touch_jobs_locked_for_writing(engine, db_url: str) -> list[str]:
    """The touch jobs' states, read under a write lock taken without waiting (raises if it is held)."""
    query = f"SELECT state FROM jobs WHERE kind = '{TOUCH_EMAIL_JOB}' ORDER BY id"
    if engine.dialect.name == "sqlite":
        connection = sqlite3.connect(db_url.removeprefix("sqlite:///"), timeout=0, isolation_level=None)
        try:
            connection.execute("BEGIN IMMEDIATE")
            return [state for (state,) in connection.execute(query)]
        finally:
            connection.close()
    with engine.begin() as connection:
        return list(connection.execute(text(query + " FOR UPDATE NOWAIT")).scalars())


class Witness:
    """An SMTP server that, while taking each message, looks at the database from outside."""

    def __init__(self, engine, db_url: str):
        self.engine, self.db_url, self.seen, self.errors = engine, db_url, [], []

    async def handle_DATA(self, server, session, envelope):
        try:
            self.seen.append(_touch_jobs_locked_for_writing(self.engine, self.db_url))
        except Exception as error:  # the server must answer: the test reads the error afterwards
            self.errors.append(error)
        return "250 OK"


def test_the_email_goes_out_after_commit_with_no_write_lock_held(make_lead, run_sweep, tick, events_of, engine,
                                                                  db_url, use_settings, clock):
    witness = Witness(engine, db_url)
    controller = Controller(witness, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        use_settings(smtp_port=controller.port, secret_key="a-test-secret-key-of-at-least-32-characters")
        lead = make_lead("cultivating", score=50)
        run_sweep(clock.now)
        assert tick(clock.now).ran == 1
    finally:
        controller.stop()
    assert witness.errors == []
    assert witness.seen == [["running"]]  # committed, and still this worker's until the send is recorded
    assert [event.data["asset"] for event in events_of(lead, "touch.sent")] == ["roi-calculator"]


class TakeOver:
    """An SMTP server so slow that, while it takes the message, another worker claims the job."""

    def __init__(self, engine):
        self.engine = engine

    async def handle_DATA(self, server, session, envelope):
        with self.engine.begin() as connection:
            connection.execute(text(f"UPDATE jobs SET locked_by = 'w-other' WHERE kind = '{TOUCH_EMAIL_JOB}'"))
        return "250 OK"


def test_a_send_whose_job_another_worker_took_meanwhile_is_left_to_that_worker(
        make_lead, run_sweep, tick, events_of, engine, use_settings, clock):
    controller = Controller(TakeOver(engine), hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        use_settings(smtp_port=controller.port, secret_key="a-test-secret-key-of-at-least-32-characters")
        lead = make_lead("cultivating", score=50)
        run_sweep(clock.now)
        tick(clock.now)
    finally:
        controller.stop()
    assert events_of(lead, "touch.sent") == []  # the worker holding the job now records its own send
    with engine.connect() as connection:
        held = connection.execute(text(f"SELECT state, locked_by FROM jobs WHERE kind = '{TOUCH_EMAIL_JOB}'")).all()
    assert [tuple(row) for row in held] == [("running", "w-other")]
