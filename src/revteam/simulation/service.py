"""Simulate a draft playbook on the window's leads beside the active one, and activate a draft with the
headline of the simulation looked at. The simulation only reads: run it in `read_only_scope`."""

import re
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy.orm import Session

from revteam.errors import BadInput
from revteam.leads.scoring.rescoring import rescore_open_leads
from revteam.playbook import versions
from revteam.playbook.loader import load_playbook_text
from revteam.routing.roster import load_roster
from revteam.routing.rules import Rep, Roster
from revteam.routing.sla import calendar_of
from revteam.simulation import report
from revteam.simulation.history import past_leads
from revteam.simulation.replay import replay

_SINCE = re.compile(r"^(\d{1,4})d$")
MAX_DAYS = 366


def window(*, since: str | None = None, first: date | None = None, last: date | None = None,
           now: datetime) -> tuple[datetime, datetime]:
    """[start, end) in UTC: the last N days (`30d`) up to now, or whole days from `first` to `last`."""
    if since is not None and (first or last):
        raise BadInput("give either --since or --from/--to, not both", where="since")
    if first or last:
        if not (first and last):
            raise BadInput("--from and --to go together", where="from" if last else "to")
        if last < first:
            raise BadInput(f"--to {last} is before --from {first}", where="to")
        start, end = datetime.combine(first, time(), UTC), datetime.combine(last + timedelta(days=1), time(), UTC)
    else:
        days = _SINCE.match(since or "30d")
        if days is None or not 0 < int(days.group(1)) <= MAX_DAYS:
            raise BadInput(f"--since is a number of days up to {MAX_DAYS} written like 30d, not {since!r}",
                           where="since")
        start, end = now - timedelta(days=int(days.group(1))), now
    if end - start > timedelta(days=MAX_DAYS):
        raise BadInput(f"a window is at most {MAX_DAYS} days", where="to")
    return start, end


def _weighted(reps: list[Rep], weights: dict[str, int]) -> list[Rep]:
    known = {rep.email.casefold() for rep in reps}
    unknown = sorted(email for email in weights if email.casefold() not in known)
    if unknown:
        raise BadInput(f"no sales rep {', '.join(unknown)} on the roster", where="weight")
    changed = {email.casefold(): weight for email, weight in weights.items()}
    return [replace(rep, weight=changed.get(rep.email.casefold(), rep.weight)) for rep in reps]


def simulate(session: Session, *, draft_text: str, start: datetime, end: datetime,
             weights: dict[str, int] | None = None, source: str = "draft playbook") -> dict[str, Any]:
    """The window's leads under the active playbook and under the draft (with `weights` as the draft
    roster's round-robin weights), side by side; reads only."""
    draft = load_playbook_text(draft_text, source=source)
    current = versions.active(session)
    playbooks = (current.playbook, draft)
    reps = list(load_roster(session, {}).reps)
    rosters_reps = (reps, _weighted(reps, weights or {}))
    calendars = [calendar_of(playbook, year=start.year) for playbook in playbooks]
    leads = past_leads(session, start, end, playbooks)
    shared: dict = {}  # one engagement per lead when both playbooks score engagement alike
    alike = current.playbook.engagement == draft.engagement
    sides = [replay(playbook, leads, roster, calendar, engagements=shared if alike else {})
             for playbook, roster, calendar in zip(playbooks, rosters_reps, calendars, strict=True)]
    rosters = [Roster(roster) for roster in rosters_reps]
    sla_load, outside = report.sla_section(sides, rosters, calendars)
    return {"window": [start.isoformat(), end.isoformat()], "active_version": current.version_id,
            "leads": len(leads), "mql": report.mql_section(playbooks, sides),
            "routing": report.routing_section(sides, rosters), "sla_load": sla_load,
            "sla_outside_hours": outside, "tracks": report.tracks_section(sides),
            "fidelity": report.fidelity_section(leads, sides[0], rosters[0])}


def headline(result: dict[str, Any]) -> dict[str, Any]:
    """What an activation records of the simulation looked at: its window and its main figures."""
    return {"window": result["window"], "leads": result["leads"],
            "mql": {side: result["mql"][side] for side in report.SIDES},
            "mql_gained": len(result["mql"]["gained"]), "mql_lost": len(result["mql"]["lost"]),
            "routing_changed": len(result["routing"]["changed"]), "unassigned": result["routing"]["unassigned"]}


def activate_simulated(session: Session, *, draft_text: str, start: datetime, end: datetime, actor: str,
                       source: str, now: datetime) -> tuple[int, bool, dict[str, Any]]:
    """Simulate the draft on the window again (before it takes force), activate it recording that headline,
    re-score the open leads; returns the version id, whether it changed and the headline."""
    seen = headline(simulate(session, draft_text=draft_text, start=start, end=end))
    version, changed = versions.activate(session, draft_text, source=source, actor=actor, simulation=seen)
    if changed:
        rescore_open_leads(session, now=now, actor=actor)
    return version.id, changed, seen
