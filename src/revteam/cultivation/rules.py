"""Cultivation rules as pure functions: which track enrolls a lead, and what its next steps do."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, Literal

from revteam.playbook.conditions import matches
from revteam.playbook.condition_schema import Condition
from revteam.playbook.graduation_schema import Graduation
from revteam.playbook.track_schema import Track, TrackStep, Wait
from revteam.routing.sla import BusinessCalendar, add_business_hours

Outcome = Literal["wait", "completed", "exited"]


@dataclass(frozen=True, slots=True)
class StepRun:
    """One step run now; `held` says whether a condition step's conditions held."""

    index: int
    step: TrackStep
    held: bool | None = None


@dataclass(frozen=True, slots=True)
class Walk:
    """The steps run from one position until a wait, the end of the track or an exit."""

    ran: list[StepRun]
    next_index: int
    outcome: Outcome
    wait: Wait | None = None


def holds(conditions: Sequence[Condition], facts: Mapping[str, Any]) -> bool:
    """True when every condition holds (no condition: always)."""
    return all(matches(test.field, test.op, test.value, facts) for test in conditions)


def first_matching_track(tracks: Sequence[Track], facts: Mapping[str, Any]) -> Track | None:
    """The first track, in playbook order, whose enrollment conditions hold."""
    return next((track for track in tracks if holds(track.when, facts)), None)


def walk(track: Track, start: int, facts: Mapping[str, Any]) -> Walk:
    """Run the track's steps from `start`: touches and conditions now, stopping at a wait, the end or an exit."""
    ran: list[StepRun] = []
    index = start
    while index < len(track.steps):
        step = track.steps[index]
        if step.wait is not None:
            ran.append(StepRun(index, step))
            return Walk(ran, index + 1, "wait", step.wait)
        if step.condition is None:
            ran.append(StepRun(index, step))
            index += 1
            continue
        held = holds(step.condition.when, facts)
        ran.append(StepRun(index, step, held))
        if held and step.condition.then == "exit":
            return Walk(ran, index + 1, "exited")
        index += 2 if held else 1
    return Walk(ran, len(track.steps), "completed")


def _business_day_hours(calendar: BusinessCalendar) -> float:
    opening = datetime.combine(date.min, calendar.end) - datetime.combine(date.min, calendar.start)
    return opening.total_seconds() / 3600


def wait_until(wait: Wait, start: datetime, calendar: BusinessCalendar) -> datetime:
    """When a wait started at `start` ends: plain hours, or whole business days on the calendar."""
    if wait.hours is not None:
        return start + timedelta(hours=wait.hours)
    return add_business_hours(calendar, start, wait.business_days * _business_day_hours(calendar))


def step_event_data(track: Track, run: StepRun, *, due: datetime | None) -> dict[str, Any]:
    """What a `track.step` event records about one step run."""
    step = run.step
    data: dict[str, Any] = {"track": track.id, "step": run.index, "kind": step.kind, "what": describe(step)}
    if step.touch is not None:
        data["asset"] = step.touch
    elif step.condition is not None:
        data["held"] = run.held
    else:
        data["until"] = due.isoformat()
    return data


def _in_words(test: Condition) -> str:
    return f"{test.field} {test.op}" if test.value is None else f"{test.field} {test.op} {test.value}"


def describe(step: TrackStep) -> str:
    """A step in words: 'send roi-calculator', 'wait 2 business days', 'exit when lead.score gte 60'."""
    if step.touch is not None:
        return f"send {step.touch}"
    if step.wait is not None:
        return f"wait {step.wait.business_days} business days" if step.wait.business_days else f"wait {step.wait.hours:g} h"
    tests = " and ".join(_in_words(test) for test in step.condition.when)
    return f"{step.condition.then.replace('_', ' ')} when {tests}"


def listed(text: str | None) -> set[str]:
    """The names of a list fact ('champion, user')."""
    return {name.strip() for name in (text or "").split(",") if name.strip()}


def graduation_misses(graduation: Graduation, facts: Mapping[str, Any]) -> list[str]:
    """What still keeps a cultivated lead from graduating, in words, in the playbook's order; empty: it graduates."""
    confirmed = listed(facts.get("lead.confirmed_criteria"))
    known = set(graduation.known_roles) - listed(facts.get("account.missing_roles")) \
        if facts.get("account.missing_roles") is not None else set()
    engaged = listed(facts.get("account.engaged_roles"))
    return ([f"{criterion} not confirmed" for criterion in graduation.confirmed if criterion not in confirmed]
            + [f"no {role} known at the account" for role in graduation.known_roles if role not in known]
            + [f"no engaged {role} at the account" for role in graduation.engaged_roles if role not in engaged]
            + [f"{_in_words(test)} does not hold" for test in graduation.when if not holds([test], facts)])
