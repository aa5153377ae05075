"""Opening an engine wires the domains into the bottom layers, whatever else the process imported."""

import json
import subprocess
import sys

# A process that imports only the storage layer, the log, the queue and the tables (a bench script,
# an entry point not written yet): the tests themselves import the CLI, which loads every domain.
SCRIPT = """
import json, sys
from datetime import UTC, datetime
from sqlalchemy import text
from revteam.db.models import Lead, Person
from revteam.db.session import get_engine, session_scope
from revteam.events.service import record
from revteam.jobs.registry import registered_handlers

wired_before = "revteam.wiring" in sys.modules
with session_scope(get_engine(sys.argv[1])) as session:
    person = Person(first_name="Pat", last_name="Buyer", email="pat@x.io", email_normalized="pat@x.io")
    session.add(person)
    session.flush()
    lead = Lead(person_id=person.id, source="web", version=1, state="mql", is_mql=True,
                created_at=datetime(2026, 1, 5, tzinfo=UTC))
    session.add(lead)
    session.flush()
    event = record(session, type="lead.qualified", subject_type="lead", subject_id=lead.id, actor="test")
with session_scope(get_engine(sys.argv[1])) as session:
    reached = session.scalar(text("SELECT reached FROM lead_milestones WHERE lead_id = :id"), {"id": lead.id})
    active = session.scalar(text("SELECT id FROM playbook_versions WHERE active = true"))
print(json.dumps({"wired_before": wired_before, "stamped": event.playbook_version_id == active,
                  "reached": reached, "mail_jobs": "notify.email" in registered_handlers()}))
"""


def test_a_process_that_opens_an_engine_stamps_events_refreshes_milestones_and_knows_the_jobs(db_url):
    done = subprocess.run([sys.executable, "-c", SCRIPT, db_url], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {"wired_before": False, "stamped": True, "reached": 1, "mail_jobs": True}
