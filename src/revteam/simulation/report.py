"""The two replays side by side: MQL gained and lost, routing changes and fairness, SLA load, tracks,
and how the active replay agrees with what was recorded (fidelity)."""

from collections import Counter
from collections.abc import Sequence
from typing import Any

from revteam.playbook.schema import Playbook
from revteam.routing.rules import INACTIVE, UNAVAILABLE, Rep, Roster
from revteam.routing.sla import BusinessCalendar
from revteam.simulation.history import PastLead
from revteam.simulation.replay import Outcome

SIDES = ("active", "draft")
MAX_DETAILS = 200  # leads explained one by one; the id lists are complete


def team_of(rep: Rep | None) -> str | None:
    return (rep.team or rep.pod) if rep else None


def _score(outcome: Outcome) -> dict[str, int]:
    return {"fit": outcome.score.fit.total, "engagement": outcome.score.engagement.total, "total": outcome.score.total}


def _why(playbooks: Sequence[Playbook], pair: Sequence[Outcome]) -> list[str]:
    """The rules whose points differ for this lead, and the MQL settings that changed."""
    points = [{(kind, line.rule): line.points for kind, result in (("fit", o.score.fit), ("engagement",
               o.score.engagement)) for line in result.lines} for o in pair]
    lines = [f"{kind} {rule}: {points[0].get((kind, rule), 0):+d} -> {points[1].get((kind, rule), 0):+d}"
             for kind, rule in sorted(set(points[0]) | set(points[1]))
             if points[0].get((kind, rule), 0) != points[1].get((kind, rule), 0)]
    for setting in ("mql_threshold", "mql_min_fit", "mql_when"):
        before, after = (_mql_setting(playbook, setting) for playbook in playbooks)
        if before != after:
            lines.append(f"{setting}: {before} -> {after}")
    return lines


def _mql_setting(playbook: Playbook, setting: str) -> Any:
    if setting == "mql_when":
        return [f"{condition.field} {condition.op} {condition.value}" for condition in playbook.mql_when]
    return getattr(playbook, setting)


def mql_section(playbooks: Sequence[Playbook], sides: Sequence[list[Outcome]]) -> dict[str, Any]:
    pairs = list(zip(*sides, strict=True))
    gained = [a.lead_id for a, d in pairs if d.score.is_mql and not a.score.is_mql]
    lost = [a.lead_id for a, d in pairs if a.score.is_mql and not d.score.is_mql]
    changed = [(a, d) for a, d in pairs if a.score.is_mql != d.score.is_mql][:MAX_DETAILS]
    return {"active": sum(o.score.is_mql for o in sides[0]), "draft": sum(o.score.is_mql for o in sides[1]),
            "gained": gained, "lost": lost,
            "changes": [{"lead_id": a.lead_id, "active": _score(a), "draft": _score(d), "why": _why(playbooks, (a, d))}
                        for a, d in changed]}


def _placed(outcome: Outcome, roster: Roster) -> dict[str, Any] | None:
    if outcome.route is None or outcome.route.rep_id is None:
        return None
    rep = roster.by_id[outcome.route.rep_id]
    return {"team": team_of(rep), "rep": rep.email, "rule": outcome.route.rule_id}


def _fairness(counts: Counter, members: Sequence[Rep]) -> float | None:
    """Largest over smallest share (leads per unit of weight) among the team's eligible reps."""
    shares = [counts[rep.id] / rep.weight for rep in members if rep.active and rep.available]
    if not shares or not min(shares):
        return None
    return round(max(shares) / min(shares), 2)


def _unassigned(outcomes: list[Outcome]) -> tuple[int, dict[str, int]]:
    missed = [o.route for o in outcomes if o.route is not None and o.route.rep_id is None]
    return len(missed), dict(Counter(entry["reason"] for route in missed for entry in route.skipped))


def _groups(roster: Roster) -> dict[str, list[Rep]]:
    """The reps by team (or pod, for pod-only reps), as routing targets name them."""
    groups: dict[str, list[Rep]] = {}
    for rep in roster.reps:
        if team_of(rep):
            groups.setdefault(team_of(rep), []).append(rep)
    return groups


def routing_section(sides: Sequence[list[Outcome]], rosters: Sequence[Roster]) -> dict[str, Any]:
    changed = []
    for a, d in zip(*sides, strict=True):
        before, after = _placed(a, rosters[0]), _placed(d, rosters[1])
        if (before or {}).get("rep") != (after or {}).get("rep"):
            changed.append({"lead_id": a.lead_id, "active": before, "draft": after,
                            "rule": after["rule"] if after else (before or {}).get("rule")})
    counts = [Counter(o.route.rep_id for o in side if o.route and o.route.rep_id is not None) for side in sides]
    reps, groups = rosters[0].reps, [_groups(roster) for roster in rosters]
    missed = [_unassigned(side) for side in sides]
    return {
        "changed": changed,
        "by_rep": [{"rep": rep.email, "team": team_of(rep), "active": counts[0][rep.id], "draft": counts[1][rep.id]}
                   for rep in reps if counts[0][rep.id] or counts[1][rep.id]],
        "by_team": [{"team": team, "active": sum(counts[0][rep.id] for rep in groups[0][team]),
                     "draft": sum(counts[1][rep.id] for rep in groups[1][team]),
                     "fairness": {side: _fairness(counts[i], groups[i][team]) for i, side in enumerate(SIDES)}}
                    for team in sorted(groups[0])],
        "unassigned": {side: missed[i][0] for i, side in enumerate(SIDES)},
        "unassigned_why": {side: missed[i][1] for i, side in enumerate(SIDES)},
    }


def sla_section(sides: Sequence[list[Outcome]], rosters: Sequence[Roster],
                calendars: Sequence[BusinessCalendar]) -> tuple[list[dict], dict[str, int]]:
    """Deadlines per rep per local business day, and the leads routed while each calendar was closed."""
    load: dict[tuple[str, str], dict[str, dict[str, int]]] = {}
    for side, outcomes, roster, calendar in zip(SIDES, sides, rosters, calendars, strict=True):
        for outcome in outcomes:
            if outcome.accept_by is None:
                continue
            rep = roster.by_id[outcome.route.rep_id].email
            for kind, due in (("accept", outcome.accept_by), ("first_touch", outcome.first_touch_by)):
                day = due.astimezone(calendar.zone).date().isoformat()
                row = load.setdefault((rep, day), {s: {"accept": 0, "first_touch": 0} for s in SIDES})
                row[side][kind] += 1
    rows = [{"rep": rep, "day": day, **sides_} for (rep, day), sides_ in sorted(load.items())]
    return rows, {side: sum(o.outside_hours for o in outcomes) for side, outcomes in zip(SIDES, sides)}


def tracks_section(sides: Sequence[list[Outcome]]) -> list[dict[str, Any]]:
    counts = [Counter(o.track for o in side if o.route is None) for side in sides]
    return [{"track": track, "active": counts[0][track], "draft": counts[1][track]}
            for track in sorted(set(counts[0]) | set(counts[1]), key=lambda name: (name is None, name or ""))]


ROSTER_CHANGE, REP_AWAY, OTHER = "roster change", "rep away", "other"
FIDELITY_CATEGORIES = (ROSTER_CHANGE, REP_AWAY, OTHER)


def _disagreement(lead: PastLead, outcome: Outcome, roster: Roster) -> tuple[str, str] | None:
    """Why the active replay does not send a recorded routing's lead to the team it went to, as
    (category, reason); None when it does. The replay routes on today's roster."""
    recorded, route = roster.by_id.get(lead.recorded.rep_id), outcome.route
    if route is None:
        return OTHER, "not an MQL in the replay (routed by hand, or scored differently then)"
    placed = roster.by_id.get(route.rep_id)
    if placed and recorded and team_of(recorded) == team_of(placed):
        return None
    skipped_now = {entry["reason"] for entry in route.skipped}
    if recorded is None or not recorded.active or INACTIVE in skipped_now:
        return ROSTER_CHANGE, "the recorded rep, or one the rule names, has left the roster"
    if UNAVAILABLE in lead.recorded.passed_over:
        return REP_AWAY, "a rep the rule named was away at the time"
    if not recorded.available or UNAVAILABLE in skipped_now:
        return REP_AWAY, "a rep the rule names is away now"
    if placed is None:
        return OTHER, "nobody could take it in the replay (capacity)"
    if route.rule_id == lead.recorded.rule:
        return ROSTER_CHANGE, "same rule, another team: the recorded rep has moved teams"
    return OTHER, "another rule decided (the facts or the playbook changed since)"


def _recorded(lead: PastLead, roster: Roster) -> dict[str, Any]:
    rep = roster.by_id.get(lead.recorded.rep_id)
    return {"team": team_of(rep), "rep": rep.email if rep else None, "rule": lead.recorded.rule}


def fidelity_section(leads: list[PastLead], outcomes: list[Outcome], roster: Roster) -> dict[str, Any]:
    """How often the active replay sends a recorded routing's lead to the team it went to, and why not
    for the others: a count per category (roster change, rep away, other) and each lead's reason."""
    routed = [(lead, outcome) for lead, outcome in zip(leads, outcomes, strict=True) if lead.recorded]
    disagreements = [{"lead_id": lead.lead_id, "category": why[0], "reason": why[1],
                      "recorded": _recorded(lead, roster), "replay": _placed(outcome, roster)}
                     for lead, outcome in routed if (why := _disagreement(lead, outcome, roster))]
    counts = Counter(row["category"] for row in disagreements)
    agree = len(routed) - len(disagreements)
    return {"routed": len(routed), "same_team": agree,
            "agreement": round(agree / len(routed), 4) if routed else None,
            "explained": {category: counts[category] for category in FIDELITY_CATEGORIES},
            "reasons": dict(Counter(row["reason"] for row in disagreements)),
            "disagreements": disagreements[:MAX_DETAILS]}
