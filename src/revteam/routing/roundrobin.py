"""Weighted round robin without randomness: smooth weighted round robin, as nginx does it.

Each pick adds every eligible rep's weight to its running score, hands the lead to the highest
score (ties go to the first in the order given) and takes the total weight off the winner.
Each full cycle (as many picks as the total weight) gives every rep exactly its weight, spread
out rather than in bursts. A rep left out of a pick (away, full) neither gains nor loses
ground, so nobody is owed a burst of leads when they come back. The scores are the only
state; they live in a `RotationState` that the caller stores (as JSON) between calls.
"""

from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar


class Weighted(Protocol):
    @property
    def id(self) -> Hashable: ...

    @property
    def weight(self) -> int: ...


RepT = TypeVar("RepT", bound=Weighted)


@dataclass
class RotationState:
    """Running scores per rotation group ("team:emea", "pod:north"), keyed by str(rep id)."""

    scores: dict[str, dict[str, int]] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-able copy, for storing in the database."""
        return {"scores": {group: dict(scores) for group, scores in self.scores.items()}}

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> "RotationState":
        """Rebuild the state stored by `to_dict` (None or {} gives a fresh rotation)."""
        stored = (data or {}).get("scores", {})
        return cls({group: {rep: int(score) for rep, score in scores.items()}
                    for group, scores in stored.items()})


def pick(rotation: RotationState, group: str, eligible: Sequence[RepT]) -> RepT | None:
    """The next rep of `group` among the eligible ones, updating the rotation; None if empty."""
    if not eligible:
        return None
    scores = rotation.scores.setdefault(group, {})
    total = 0
    best: RepT | None = None
    best_score = 0
    for rep in eligible:
        key = str(rep.id)
        score = scores.get(key, 0) + rep.weight
        scores[key] = score
        total += rep.weight
        if best is None or score > best_score:
            best, best_score = rep, score
    scores[str(best.id)] -= total
    return best
