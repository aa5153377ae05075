"""Lead scores under the playbook: fit (who they are) plus decaying engagement (what they did).

Pure and cheap: the bulk import scores every lead, so nothing here touches a database or
builds anything per call beyond the score itself.
"""

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from revteam.playbook.conditions import compile_condition, matches
from revteam.playbook.schema import Playbook

SECONDS_PER_DAY = 86_400.0


@dataclass(frozen=True, slots=True)
class ScoreLine:
    """What one rule (or one activity type) added to a score."""

    rule: str
    description: str
    points: int


@dataclass(frozen=True, slots=True)
class ScoreResult:
    """A score and the lines it is the sum of."""

    total: int
    lines: list[ScoreLine]


@dataclass(frozen=True, slots=True)
class LeadScore:
    """Fit + engagement, and whether the lead is marketing-qualified."""

    fit: ScoreResult
    engagement: ScoreResult
    total: int
    is_mql: bool

    def columns(self) -> dict[str, Any]:
        """The score as stored on the lead row."""
        return {"fit_score": self.fit.total, "engagement_score": self.engagement.total, "score": self.total,
                "is_mql": self.is_mql}

    def event_data(self) -> dict[str, Any]:
        """The score as kept in its `lead.scored` event: totals and compact [kind, rule, points] lines."""
        lines = [[kind, line.rule, line.points] for kind, result in self._parts() for line in result.lines]
        return {"fit": self.fit.total, "engagement": self.engagement.total, "total": self.total,
                "mql": self.is_mql, "lines": lines}

    def explanation(self) -> list[dict[str, Any]]:
        """Every line of the score as JSON-ready dicts; their points add up to `total`."""
        return [
            {"kind": kind, "rule": line.rule, "description": line.description, "points": line.points}
            for kind, result in self._parts() for line in result.lines
        ]

    def _parts(self) -> tuple[tuple[str, ScoreResult], ...]:
        return ("fit", self.fit), ("engagement", self.engagement)


@dataclass(frozen=True, slots=True)
class _FitRule:
    order: int
    holds: Callable[[Mapping[str, Any]], bool]
    line: ScoreLine


@dataclass(frozen=True, slots=True)
class _FactRules:
    """The fit rules that read one fact. A condition reads only its fact, so which of them hold is
    remembered per value of the fact: an import scores a million leads whose titles, countries
    and sizes repeat."""

    fact: str
    rules: tuple[_FitRule, ...]
    held: dict[tuple[type, Any], tuple[tuple[int, ScoreLine], ...]]

    def holding(self, facts: Mapping[str, Any]) -> tuple[tuple[int, ScoreLine], ...]:
        value = facts.get(self.fact)
        key = (value.__class__, value)  # 1, 1.0 and True are equal keys but not equal text for `regex`
        try:
            return self.held[key]
        except KeyError:
            if len(self.held) >= _MAX_REMEMBERED:
                self.held.clear()
            held = self.held[key] = self._evaluate(facts)
            return held
        except TypeError:  # an unhashable fact value
            return self._evaluate(facts)

    def _evaluate(self, facts: Mapping[str, Any]) -> tuple[tuple[int, ScoreLine], ...]:
        return tuple((rule.order, rule.line) for rule in self.rules if rule.holds(facts))


_MAX_REMEMBERED = 65_536
_compiled_rules: dict[int, tuple[Playbook, list[_FactRules]]] = {}


def _fit_rules(playbook: Playbook) -> list[_FactRules]:
    """The fit rules compiled once per playbook object (it is frozen), grouped by the fact they read."""
    cached = _compiled_rules.get(id(playbook))
    if cached is None or cached[0] is not playbook:
        by_fact: dict[str, list[_FitRule]] = {}
        for order, rule in enumerate(playbook.icp.fit_rules):
            by_fact.setdefault(rule.field, []).append(
                _FitRule(order, compile_condition(rule.field, rule.op, rule.value),
                         ScoreLine(rule.id, rule.description, rule.points)))
        groups = [_FactRules(fact, tuple(rules), {}) for fact, rules in by_fact.items()]
        cached = _compiled_rules[id(playbook)] = (playbook, groups)
    return cached[1]


def fit_score(playbook: Playbook, facts: Mapping[str, Any]) -> ScoreResult:
    """The ICP fit score: the points of every fit rule whose condition holds, in the playbook's order."""
    held: list[tuple[int, ScoreLine]] = []
    for group in _fit_rules(playbook):
        held += group.holding(facts)
    held.sort(key=_rule_order)
    lines = [line for _, line in held]
    return ScoreResult(sum(line.points for line in lines), lines)


def _rule_order(held: tuple[int, ScoreLine]) -> int:
    return held[0]


def engagement_score(
    playbook: Playbook, activities: Iterable[tuple[str, datetime]], *, now: datetime
) -> ScoreResult:
    """Engagement points, each halved per half-life of age; one line per activity type."""
    half_life_seconds = playbook.engagement.half_life_days * SECONDS_PER_DAY
    sums: dict[str, list] = {}
    for activity_type, happened_at in activities:
        # An activity stamped after `now` (clock skew) counts as fresh, never as more than fresh.
        age = max((now - happened_at).total_seconds(), 0.0)
        summed = sums.get(activity_type) or sums.setdefault(activity_type, [0, 0.0])
        summed[0] += 1
        summed[1] += 0.5 ** (age / half_life_seconds)
    return engagement_from_sums(playbook, [(kind, count, decay) for kind, (count, decay) in sums.items()])


def engagement_from_sums(playbook: Playbook, sums: Iterable[tuple[str, int, float]]) -> ScoreResult:
    """Engagement from each activity type's count and summed decay (0.5 ** (age / half-life) of each
    activity, as engagement_score sums them and scoring/stored.py has the database sum them)."""
    points = playbook.engagement.points
    lines = [ScoreLine(activity_type, _engagement_description(activity_type, count, points),
                       _decayed_points(points, activity_type, decay))
             for activity_type, count, decay in sums]
    return ScoreResult(sum(line.points for line in lines), lines)


def engagement_points(playbook: Playbook, decays: Iterable[tuple[str, float]]) -> int:
    """`engagement_from_sums(...).total` from each type's summed decay, without the lines explaining it."""
    points = playbook.engagement.points
    return sum(_decayed_points(points, activity_type, decay) for activity_type, decay in decays)


def _decayed_points(points: Mapping[str, int], activity_type: str, decay: float) -> int:
    return round(points.get(activity_type, 0) * decay)


def _engagement_description(activity_type: str, count: int, points: Mapping[str, int]) -> str:
    if activity_type not in points:
        return f"{count} x {activity_type} (not in the playbook: 0 points)"
    return f"{count} x {activity_type} at {points[activity_type]} points each, decayed by age"


def score_lead(
    playbook: Playbook,
    facts: Mapping[str, Any],
    activities: Iterable[tuple[str, datetime]],
    *,
    now: datetime,
) -> LeadScore:
    """Score a lead under the playbook and say whether it is marketing-qualified."""
    return combined_score(playbook, fit_score(playbook, facts), engagement_score(playbook, activities, now=now), facts)


def combined_score(playbook: Playbook, fit: ScoreResult, engagement: ScoreResult,
                   facts: Mapping[str, Any]) -> LeadScore:
    """Fit + engagement; an MQL reaches the threshold and, when the playbook asks, the minimum fit and
    every condition of `mql_when` over the lead's facts. The one place a lead's MQL is decided."""
    total = fit.total + engagement.total
    fit_enough = playbook.mql_min_fit is None or fit.total >= playbook.mql_min_fit
    qualified = (total >= playbook.mql_threshold and fit_enough
                 and all(matches(rule.field, rule.op, rule.value, facts) for rule in playbook.mql_when))
    return LeadScore(fit, engagement, total, qualified)
