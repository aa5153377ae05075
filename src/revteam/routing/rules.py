"""The routing decision: which rep gets a lead, and why, as a pure function over plain data.

Rules are tried in order; the first whose conditions all hold names the target (a rep, a team,
a pod or the account owner). When that target has nobody eligible (inactive, out of office,
at capacity, or the rep already rejected this lead), the decision records why and goes on to
the next matching rule, then to the fallback, so a lead never waits on a target that cannot
take it. Teams and pods share leads by weighted round robin (`routing.roundrobin`); the
`RotationState` passed in is advanced in place, so the caller stores it after each decision.

Rules and targets may be playbook models (attributes) or plain dicts; both are read the same.
"""

from collections.abc import Hashable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from revteam.errors import BadInput
from revteam.playbook.conditions import matches
from revteam.routing.roundrobin import RotationState, pick

ACCOUNT_OWNER_FACT = "account.owner"
TARGET_KINDS = ("rep", "team", "pod", "account_owner")

INACTIVE = "inactive"
REJECTED_BEFORE = "rejected_before"
UNAVAILABLE = "unavailable"
AT_CAPACITY = "at_capacity"


@dataclass(slots=True, kw_only=True)
class Rep:
    """A rep as routing sees them; the caller bumps `open_load` after each offer."""

    id: Hashable
    email: str
    capacity: int
    team: str | None = None
    pod: str | None = None
    weight: int = 1
    open_load: int = 0
    active: bool = True
    available: bool = True

    def __post_init__(self) -> None:
        if self.weight < 1:
            raise BadInput(f"weight must be at least 1, not {self.weight}", where=f"rep {self.email}")
        if self.capacity < 0:
            raise BadInput(f"capacity cannot be negative ({self.capacity})", where=f"rep {self.email}")


class Roster:
    """The reps, indexed once by id, e-mail, team and pod so each decision only reads dicts."""

    def __init__(self, reps: Iterable[Rep]):
        self.reps: tuple[Rep, ...] = tuple(reps)
        self.by_id: dict[Hashable, Rep] = _index(self.reps, lambda rep: rep.id, "id")
        self.by_email: dict[str, Rep] = _index(self.reps, lambda rep: rep.email.casefold(), "e-mail")
        self.by_team: dict[str, tuple[Rep, ...]] = _group(self.reps, lambda rep: rep.team)
        self.by_pod: dict[str, tuple[Rep, ...]] = _group(self.reps, lambda rep: rep.pod)

    def find(self, key: Hashable) -> Rep | None:
        """The rep with this e-mail address or id, or None."""
        if isinstance(key, str) and key.casefold() in self.by_email:
            return self.by_email[key.casefold()]
        return self.by_id.get(key)


def _index(reps: Sequence[Rep], key_of, what: str) -> dict:
    index: dict = {}
    for rep in reps:
        key = key_of(rep)
        if key in index:
            raise BadInput(f"two reps share the {what} {key!r}", where="roster")
        index[key] = rep
    return index


def _group(reps: Sequence[Rep], key_of) -> dict[str, tuple[Rep, ...]]:
    groups: dict[str, list[Rep]] = {}
    for rep in reps:
        if key_of(rep):
            groups.setdefault(key_of(rep), []).append(rep)
    return {name: tuple(members) for name, members in groups.items()}


@dataclass
class RouteDecision:
    """Who gets the lead (None when nobody fits), by which rule, and the reasons."""

    rep_id: Hashable | None
    rule_id: str | None
    target: str | None
    candidates: list[Hashable] = field(default_factory=list)
    skipped: list[dict[str, Any]] = field(default_factory=list)
    reason: str = ""


@dataclass
class _Attempt:
    description: str
    rep: Rep | None = None
    candidates: list[Hashable] = field(default_factory=list)
    skipped: list[dict[str, Any]] = field(default_factory=list)
    note: str = ""


def _read(source: Any, name: str) -> Any:
    return source.get(name) if isinstance(source, Mapping) else getattr(source, name, None)


def skip_reason(rep: Rep, excluded_rep_ids: frozenset | set = frozenset()) -> str | None:
    """Why this rep cannot take the lead now, or None when they can."""
    if not rep.active:
        return INACTIVE
    if rep.id in excluded_rep_ids:
        return REJECTED_BEFORE
    if not rep.available:
        return UNAVAILABLE
    if rep.open_load >= rep.capacity:
        return AT_CAPACITY
    return None


def _target_of(target: Any, where: str) -> tuple[str, Any]:
    chosen = [(kind, _read(target, kind)) for kind in TARGET_KINDS if _read(target, kind)]
    if len(chosen) != 1:
        raise BadInput("a target names exactly one of rep, team, pod or account_owner", where=where)
    return chosen[0]


def _rule_holds(rule: Any, facts: Mapping[str, Any]) -> bool:
    return all(
        matches(_read(test, "field"), _read(test, "op"), _read(test, "value"), facts)
        for test in _read(rule, "when") or ()
    )


def _matching_targets(rules: Sequence[Any], fallback: Any, facts: Mapping[str, Any]) -> Iterator[tuple[str, Any]]:
    for rule in rules:
        if _rule_holds(rule, facts):
            yield str(_read(rule, "id")), _read(rule, "target")
    if fallback is not None:
        yield "fallback", fallback


def _offer_to_one(description: str, rep: Rep | None, excluded: frozenset | set, missing: str) -> _Attempt:
    if rep is None:
        return _Attempt(description, note=missing)
    reason = skip_reason(rep, excluded)
    if reason is not None:
        return _Attempt(description, skipped=[{"rep": rep.id, "reason": reason}], note=f"{rep.email} is {reason}")
    return _Attempt(description, rep=rep, candidates=[rep.id], note="named rep")


def _offer_to_group(kind: str, name: str, members: Sequence[Rep], excluded, rotation: RotationState) -> _Attempt:
    attempt = _Attempt(f"{kind} {name}")
    if not members:
        attempt.note = f"{kind} {name} has no reps"
        return attempt
    eligible = []
    for rep in members:
        reason = skip_reason(rep, excluded)
        if reason is None:
            eligible.append(rep)
        else:
            attempt.skipped.append({"rep": rep.id, "reason": reason})
    attempt.candidates = [rep.id for rep in eligible]
    attempt.rep = pick(rotation, f"{kind}:{name}", eligible)
    attempt.note = f"weighted round robin, {len(eligible)} of {len(members)} eligible"
    return attempt


def _offer(target: Any, where: str, facts: Mapping[str, Any], roster: Roster, excluded, rotation) -> _Attempt:
    kind, value = _target_of(target, where)
    if kind == "rep":
        return _offer_to_one(f"rep {value}", roster.find(value), excluded, f"{value} is not on the roster")
    if kind == "account_owner":
        owner = facts.get(ACCOUNT_OWNER_FACT)
        if not owner:
            return _Attempt("account owner", note="the account has no owner")
        return _offer_to_one(f"account owner {owner}", roster.find(owner), excluded, f"{owner} is not on the roster")
    groups = roster.by_team if kind == "team" else roster.by_pod
    return _offer_to_group(kind, value, groups.get(value, ()), excluded, rotation)


def describe_target(target: Any, facts: Mapping[str, Any], where: str = "target") -> str:
    """A target as decisions name it: "team na-sdr", "rep x@y", "account owner x@y"."""
    kind, value = _target_of(target, where)
    if kind == "account_owner":
        return f"account owner {facts.get(ACCOUNT_OWNER_FACT)}"
    return f"{kind} {value}"


def decide_route(
    rules: Sequence[Any],
    fallback: Any,
    facts: Mapping[str, Any],
    roster: Roster,
    *,
    excluded_rep_ids: frozenset | set = frozenset(),
    barred_targets: Mapping[str, str] | None = None,
    rotation: RotationState,
) -> RouteDecision:
    """Pick the rep for a lead: first matching rule with an eligible rep, then the fallback.

    `barred_targets` (a target's description → why) are passed over whichever rule names them:
    a rep who rejected a lead as not their territory speaks for their whole team."""
    trail: list[str] = []
    skipped: dict[Hashable, dict[str, Any]] = {}
    for rule_id, target in _matching_targets(rules, fallback, facts):
        label = "fallback" if rule_id == "fallback" else f"rule {rule_id}"
        described = describe_target(target, facts, label)
        barred = (barred_targets or {}).get(described)
        if barred:
            trail.append(f"{label} → {described}: passed over ({barred})")
            continue
        attempt = _offer(target, label, facts, roster, excluded_rep_ids, rotation)
        for entry in attempt.skipped:
            skipped.setdefault(entry["rep"], entry)
        if attempt.rep is not None:
            trail.append(f"{label} → {attempt.description}: {attempt.rep.email} ({attempt.note})")
            return RouteDecision(
                attempt.rep.id, rule_id, attempt.description, attempt.candidates,
                list(skipped.values()), "; ".join(trail),
            )
        trail.append(f"{label} → {attempt.description}: nobody eligible ({attempt.note})")
    trail = trail or ["no rule matched and there is no fallback"]
    return RouteDecision(None, None, None, [], list(skipped.values()), "; ".join(trail))
