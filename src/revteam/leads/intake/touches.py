"""Landing touches from outside on the people they name, and re-scoring the leads they touch.

A touch lands on the person's open lead, or on the person when they have none; its points and
decay are the playbook's for its type (a type the playbook does not know keeps its name and earns
0). The same touch twice - same person, type, time, channel, campaign and detail - lands once, so
a file or a request sent again adds nothing: each touch that lands keeps its key in `touch_keys` (its
person's id and the digest of the rest, `identity_digest`), and a touch whose key is there already is
a duplicate. Every lead touched is
scored again by the one scoring path (`score_stored_leads`, `write_new_scores`): a lead may cross
the MQL threshold here, and its track's next step reads the new score.
"""

import uuid
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from operator import itemgetter
from typing import Any

from sqlalchemy.orm import Session

from revteam.accounts.models import Person
from revteam.db.bulk import Storage, insert_new_keys, insert_rows
from revteam.db.locks import hold_intake_lock
from revteam.events.service import record_bulk
from revteam.leads.intake.activity_rows import ActivityRow, RefusedActivity, activity_from_fields
from revteam.leads.intake.land import ensure_campaigns
from revteam.leads.intake.plan import people_with_open_lead
from revteam.leads.models import Activity, TouchKey
from revteam.leads.scoring.rescoring import rescore_leads
from revteam.leads.scoring.writes import ScoreWritten

COUNTS = ("rows", "landed", "touches", "duplicates", "on_leads", "on_people", "leads_rescored", "qualified")
TOUCH_COLUMNS = ("person_id", "lead_id", "type", "at", "source", "campaign_id", "detail")
SHOWN_LINES = 20  # of the rows behind one `lead.engaged` event


@dataclass
class TouchResult:
    rows: int = 0
    landed: int = 0  # rows that added touches
    touches: int = 0  # touches written: a row's `count` of them
    duplicates: int = 0  # rows that had landed before, or earlier in the same file or request
    on_leads: int = 0
    on_people: int = 0  # rows on people without an open lead
    leads_rescored: int = 0
    qualified: int = 0  # leads whose new score made them MQLs
    refused: list[dict[str, Any]] = field(default_factory=list)
    lead_ids: list[int] = field(default_factory=list)

    def add(self, stored: dict[str, Any]) -> None:
        """Add the counts of a stored result (one that lacks some counts adds 0 to them)."""
        for name in COUNTS:
            setattr(self, name, getattr(self, name) + stored.get(name, 0))
        self.refused += stored.get("refused", [])

    def as_stored(self) -> dict[str, Any]:
        return {**{name: getattr(self, name) for name in COUNTS}, "refused": self.refused}

    def rescored(self, written: list[ScoreWritten]) -> None:
        self.leads_rescored += len(written)
        self.qualified += sum(done.moved and done.state == "mql" for done in written)


@dataclass(frozen=True, slots=True)
class _Someone:
    person_id: int
    lead_id: int | None

    @property
    def subject(self) -> tuple[str, int]:
        """Whom their touches land on: ("lead", id) of their open lead, or ("person", id) without one."""
        return ("lead", self.lead_id) if self.lead_id is not None else ("person", self.person_id)


@dataclass
class _Landing:
    """One subject's (a lead's, or a lead-less person's) new touches in this slice."""

    lines: list[int] = field(default_factory=list)  # the first SHOWN_LINES
    types: Counter = field(default_factory=Counter)


def _people(session: Session, emails: set[str]) -> dict[str, _Someone]:
    """The person of each known e-mail (the first created, as the lead import matches), with their open lead."""
    found: dict[str, _Someone] = {}
    for row in session.connection().execute(people_with_open_lead(session, Person.email_normalized, sorted(emails))):
        found.setdefault(row.email_normalized, _Someone(row.id, row.lead_id))
    return found


def land_touches(session: Session, pieces: Iterable[list[ActivityRow | RefusedActivity]], *, actor: str, batch: str,
                 now: datetime, campaigns: dict[str, int] | None = None, rescore: bool = True) -> TouchResult:
    """Land one slice of touches, handed over in pieces (each lands as it comes), in the caller's
    transaction; refused rows are reported by line. The leads touched are recorded once for the
    slice and scored again unless `rescore` is False (then the caller scores `lead_ids`)."""
    result, people, landings = TouchResult(), {}, {}
    campaigns = {} if campaigns is None else campaigns
    for rows in pieces:
        _land_piece(session, rows, people, campaigns, landings, result)
    if landings:
        _record_and_rescore(session, landings, result, rescore=rescore, actor=actor, batch=batch, now=now)
    return result


def _land_piece(session: Session, rows: list[ActivityRow | RefusedActivity], people: dict[str, _Someone | None],
                campaigns: dict[str, int], landings: dict[tuple[str, int], _Landing], result: TouchResult) -> None:
    """Land one piece of the slice: `people` (None for an unknown e-mail) and `landings` carry over to the next."""
    result.rows += len(rows)
    refused = [row for row in rows if type(row) is RefusedActivity]
    accepted = [row for row in rows if type(row) is ActivityRow]
    if unasked := {row.email for row in accepted} - people.keys():
        found = _people(session, unasked)
        people.update((email, found.get(email)) for email in unasked)
    refused += [RefusedActivity(row.line, "email", row.email, "nobody has this e-mail (import them as a lead first)")
                for row in accepted if people[row.email] is None]
    result.refused += [refusal.as_dict() for refusal in sorted(refused, key=lambda refusal: refusal.line)]
    accepted = [row for row in accepted if people[row.email] is not None]
    if accepted:
        ensure_campaigns(session, {row.campaign for row in accepted if row.campaign}, campaigns)
        _write_touches(session, accepted, people, campaigns, landings, result)


def capture_touches(session: Session, items: list[dict[str, str]], *, actor: str, now: datetime) -> TouchResult:
    """Touches sent by another system (the API), each item's fields as text; item N is `line` N."""
    hold_intake_lock(session)  # as every landing does: two of the same touch at once land once
    rows = [activity_from_fields(item, line=line) for line, item in enumerate(items, start=1)]
    return land_touches(session, [rows], actor=actor, batch=f"api-{uuid.uuid4().hex[:12]}", now=now)


def _new_rows(session: Session, rows: list[ActivityRow], people: dict[str, _Someone],
              result: TouchResult) -> list[ActivityRow]:
    """The rows whose touch has not landed before, nor earlier in these rows; their keys are now taken."""
    firsts: dict[tuple[int, int], ActivityRow] = {}
    for row in rows:
        firsts.setdefault((people[row.email].person_id, row.digest), row)
    # in key order: the index takes them page by page instead of all over
    new = insert_new_keys(session, TouchKey.__tablename__, ("person_id", "digest"), sorted(firsts))
    fresh = [row for key, row in firsts.items() if key in new]
    result.duplicates += len(rows) - len(fresh)
    return fresh


def _write_touches(session: Session, rows: list[ActivityRow], people: dict[str, _Someone], campaigns: dict[str, int],
                   landings: dict[tuple[str, int], _Landing], result: TouchResult) -> None:
    """Insert the touches not landed before; adds each subject's new ones to `landings`, by ("lead"|"person", id)."""
    stored_time, values = Storage.of(session).utc_text_time, []
    fresh = _new_rows(session, rows, people, result)
    for row in fresh:
        someone = people[row.email]
        touch = (someone.person_id, someone.lead_id, row.type, stored_time(row.at), row.channel,
                 campaigns.get(row.campaign), row.detail)
        if row.count == 1:
            values.append(touch)
        else:
            values += [touch] * row.count
        subject = someone.subject
        landing = landings.get(subject) or landings.setdefault(subject, _Landing())
        if len(landing.lines) < SHOWN_LINES:
            landing.lines.append(row.line)
        landing.types[row.type] += row.count
        result.touches += row.count
        result.on_leads += someone.lead_id is not None
    result.landed += len(fresh)
    result.on_people = result.landed - result.on_leads
    values.sort(key=itemgetter(0))  # by person: their index, and the check that each exists, read page by page
    insert_rows(session, Activity.__tablename__, TOUCH_COLUMNS, values)


def _record_and_rescore(session: Session, landings: dict[tuple[str, int], _Landing], result: TouchResult, *,
                        rescore: bool, actor: str, batch: str, now: datetime) -> None:
    """Record what landed on whom and, when asked, score the touched leads again (with every touch they have)."""
    lead_ids = sorted(subject_id for kind, subject_id in landings if kind == "lead")
    record_bulk(session, [_engaged(kind, subject_id, landing, actor=actor, batch=batch, now=now)
                          for (kind, subject_id), landing in landings.items()])
    result.lead_ids += lead_ids
    if rescore:
        result.rescored(rescore_touched(session, lead_ids, now=now))


def rescore_touched(session: Session, lead_ids: list[int], *, now: datetime) -> list[ScoreWritten]:
    """Score these leads again after new touches (those still open); the scores written."""
    return rescore_leads(session, lead_ids, now=now, actor="system", reason="new touches")


def _engaged(kind: str, subject_id: int, landing: _Landing, *, actor: str, batch: str, now: datetime) -> dict:
    data = {"batch": batch, "touches": sum(landing.types.values()), "types": dict(landing.types),
            "lines": landing.lines}
    return {"type": f"{kind}.engaged", "subject_type": kind, "subject_id": subject_id, "actor": actor, "at": now,
            "data": data}
