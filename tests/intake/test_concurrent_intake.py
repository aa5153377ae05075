"""Intake writers that decide "is this new?" at the same moment take turns (db/locks.py).

Without the intake lock both captures of one new person found nobody and both inserted: the
second failed on the unique e-mail (or domain) index and its request was lost.
"""

import threading

from sqlalchemy import text

from intake_files import SF_HEADER
from revteam.db.session import session_scope
from revteam.leads.intake.capture import capture
from revteam.leads.intake.importer import import_file
from revteam.leads.schemas import LeadIn
from tests.concurrency import SAFETY_NET_SECONDS

THREADS, ROUNDS = 6, 8


def _counts(engine) -> tuple[int, int, int, int]:
    with engine.connect() as connection:
        return tuple(connection.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()
                     for table in ("people", "leads", "accounts", "activities"))


def test_simultaneous_captures_of_one_new_person_land_one_person_one_lead_one_account(engine):
    barrier, errors = threading.Barrier(THREADS, timeout=SAFETY_NET_SECONDS), []

    def capture_every_round():
        for round_no in range(ROUNDS):
            barrier.wait()  # every thread captures this round's new person at once
            try:
                with session_scope(engine) as session:
                    capture(session, [LeadIn(email=f"ann{round_no}@newco{round_no}.com", company=f"Newco {round_no}")],
                            actor="api")
            except Exception as error:  # noqa: BLE001 - any failure is what the test reports
                errors.append(error)

    threads = [threading.Thread(target=capture_every_round) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=SAFETY_NET_SECONDS)
    assert errors == []
    assert _counts(engine) == (ROUNDS, ROUNDS, ROUNDS, ROUNDS * THREADS)


def test_an_import_matches_an_account_created_by_a_capture_while_it_ran(engine, write_csv):
    """The import's account index, loaded when it started, learns the accounts created meanwhile."""
    body = SF_HEADER + "\nAnn,Lee,Initech,ann@initech.com,,,,,,,,,,,\nBob,Ray,Globex,bob@globex.com,,,,,,,,,,,\n"

    def capture_globex_after_the_first_chunk(rows: int) -> None:
        if rows and _counts(engine)[2] == 1:
            with session_scope(engine) as session:
                capture(session, [LeadIn(email="cy@globex.com", company="Globex")], actor="api")

    report = import_file(engine, write_csv(body), chunk_rows=1, on_progress=capture_globex_after_the_first_chunk)
    assert report.result.accounts_created == 1 and report.result.accounts_matched == 1
    with engine.connect() as connection:
        domains = connection.execute(text("SELECT domain FROM accounts ORDER BY id")).scalars().all()
        bob = connection.execute(text("SELECT a.domain FROM people p JOIN accounts a ON a.id = p.account_id "
                                      "WHERE p.email_normalized = 'bob@globex.com'")).scalar_one()
    assert domains == ["initech.com", "globex.com"] and bob == "globex.com"
