"""`revteam import activities` killed inside a chunk, then run again: every touch lands exactly once,
the counts are those of one uninterrupted run, and every lead's engagement is that of its touches."""

import json
import os
import signal
import subprocess
import sys
from collections import defaultdict
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, text

from intake_files import SF_HEADER
from revteam.db.session import session_scope
from revteam.leads.models import Activity, Lead
from revteam.leads.scoring.rules import engagement_score
from revteam.playbook.versions import active

PEOPLE = 400
FIRST_ROWS = 5_000  # each a touch of its own; the rows after them repeat the first 1,000
ROWS = 6_000
CHUNK_ROWS = "500"
KILLED_IN_CHUNK = 4
NOW = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)
TYPES = ("email_open", "email_click", "page_visit", "webinar_attended", "carrier_pigeon")


def _nobody(i: int) -> bool:
    return i % 250 == 249


def _row(i: int) -> str:
    email = f"nobody{i}@nowhere.example" if _nobody(i) else f"person{i % PEOPLE}@company{i % 50}.com"
    at = (NOW - timedelta(minutes=37 * i)).strftime("%Y-%m-%dT%H:%M:%SZ")
    return f"{email},{TYPES[i % len(TYPES)]},{at},web,,item {i % 1_500},{2 if i % 7 == 0 else 1}"


def _files(write_csv):
    leads = [SF_HEADER] + [f"P{i},Q,Company {i % 50},person{i}@company{i % 50}.com,,Engineer,Web,Open,Software,120,US,,,,"
                           for i in range(PEOPLE)]
    touches = ["email,type,at,channel,campaign,detail,count"] + [_row(i) for i in range(FIRST_ROWS)]
    touches += [_row(i) for i in range(ROWS - FIRST_ROWS)]
    return write_csv("\n".join(leads) + "\n", name="leads.csv"), write_csv("\n".join(touches) + "\n", name="touches.csv")


# The real `revteam import activities`, killed with SIGKILL inside its fourth chunk: after the
# chunk's touches, keys and scores are written and before its transaction commits.
_IMPORT_KILLED_MID_CHUNK = f"""
import os, signal, sys
from revteam.cli.main import run
from revteam.leads.intake import activity_import

land_touches, chunks_begun = activity_import.land_touches, []

def land_then_die_before_commit(session, rows, **context):
    result = land_touches(session, rows, **context)
    chunks_begun.append(len(rows))
    if len(chunks_begun) == {KILLED_IN_CHUNK}:
        session.flush()
        os.kill(os.getpid(), signal.SIGKILL)
    return result

activity_import.land_touches = land_then_die_before_commit
sys.argv = ["revteam", *sys.argv[1:]]
run()
"""

# The same, killed after every chunk has landed: inside the scoring of the touched leads, before
# the transaction with the ledger's whole-file row commits.
_IMPORT_KILLED_WHILE_SCORING = """
import os, signal, sys
from revteam.cli.main import run
from revteam.leads.intake import activity_import

rescore_touched = activity_import.rescore_touched

def score_then_die_before_commit(session, lead_ids, **context):
    rescore_touched(session, lead_ids, **context)
    session.flush()
    os.kill(os.getpid(), signal.SIGKILL)

activity_import.rescore_touched = score_then_die_before_commit
sys.argv = ["revteam", *sys.argv[1:]]
run()
"""


def _arguments(path, db_url) -> list[str]:
    return ["import", "activities", str(path), "--db", db_url, "--chunk-rows", CHUNK_ROWS, "--now", NOW.isoformat()]


def _counts(engine) -> tuple[int, int, int, int]:
    with engine.connect() as connection:
        return tuple(connection.execute(text(
            "SELECT (SELECT count(*) FROM import_chunks WHERE chunk_no >= 0 AND file_name = 'touches.csv'),"
            " (SELECT count(*) FROM activities WHERE type <> 'list_import'), (SELECT count(*) FROM touch_keys),"
            " (SELECT count(*) FROM events WHERE type = 'lead.engaged')")).one())


def _scored(engine) -> int:
    with engine.connect() as connection:
        return connection.execute(text("SELECT count(*) FROM events WHERE type = 'lead.scored'")).scalar()


def _engagement_as_stored_and_from_touches(engine) -> tuple[dict[int, int], dict[int, int]]:
    with session_scope(engine) as session:
        playbook = active(session).playbook
        touches = defaultdict(list)
        for lead_id, kind, at in session.execute(select(Activity.lead_id, Activity.type, Activity.at).order_by(Activity.id)):
            touches[lead_id].append((kind, at))
        stored = dict(session.execute(select(Lead.id, Lead.engagement_score)).all())
    computed = {lead_id: engagement_score(playbook, found, now=NOW).total for lead_id, found in touches.items()}
    return stored, computed


@pytest.mark.parametrize(("killer", "chunks_before"), [(_IMPORT_KILLED_MID_CHUNK, KILLED_IN_CHUNK - 1),
                                                       (_IMPORT_KILLED_WHILE_SCORING, ROWS // int(CHUNK_ROWS))],
                         ids=["inside a chunk", "while scoring"])
def test_a_killed_activity_import_resumes_to_exactly_one_landing_of_each_touch(write_csv, import_json, cli, engine,
                                                                               db_url, killer, chunks_before):
    leads, touches = _files(write_csv)
    assert import_json(leads)["new_leads"] == PEOPLE
    scored_before = _scored(engine)
    killed = subprocess.run([sys.executable, "-c", killer, *_arguments(touches, db_url)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env={**os.environ, "CI": "1"},
                            check=False)
    assert killed.returncode == -signal.SIGKILL, killed.stderr.decode()
    assert _counts(engine)[0] == chunks_before

    resumed = cli(*_arguments(touches, db_url), "--json")
    assert resumed.code == 0, resumed.err

    report = json.loads(resumed.out)
    refused = sum(_nobody(i) for i in range(FIRST_ROWS)) + sum(_nobody(i) for i in range(ROWS - FIRST_ROWS))
    landed = FIRST_ROWS - sum(_nobody(i) for i in range(FIRST_ROWS))
    written = sum(2 if i % 7 == 0 else 1 for i in range(FIRST_ROWS) if not _nobody(i))
    assert (report["rows"], len(report["refused"]), report["landed"], report["touches"], report["duplicates"]) == (
        ROWS, refused, landed, written, ROWS - FIRST_ROWS - sum(_nobody(i) for i in range(ROWS - FIRST_ROWS)))
    chunks, size = ROWS // int(CHUNK_ROWS), int(CHUNK_ROWS)
    # one `lead.engaged` event per chunk and lead it brought new touches (the repeated rows bring none)
    engaged = sum(len({i % PEOPLE for i in range(start, min(start + size, FIRST_ROWS)) if not _nobody(i)})
                  for start in range(0, ROWS, size))
    assert _counts(engine) == (chunks, written, landed, engaged)
    assert report["leads_rescored"] == PEOPLE and _scored(engine) == scored_before + PEOPLE  # each lead once
    stored, computed = _engagement_as_stored_and_from_touches(engine)
    assert stored == computed and max(stored.values()) > 0

    again = json.loads(cli(*_arguments(touches, db_url), "--json").out)
    assert again["already_imported"] and (again["landed"], again["leads_rescored"]) == (landed, PEOPLE)
    assert _counts(engine) == (chunks, written, landed, engaged) and _scored(engine) == scored_before + PEOPLE
