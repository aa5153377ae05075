"""What changed between two playbooks, in words a revenue-ops person reads in review."""

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from revteam.playbook.schema import Playbook

# Lists of these items are matched by their key, so inserting a rule is one addition, not a
# cascade of "changed" rules that merely moved down one place.
_ITEM_KEYS = ("id", "code")
# Track steps have no key: steps lists of one length are compared step by step, so editing one
# wait names that step (tracks[x].steps[1].wait.business_days) instead of reprinting the track.
_STEP_LISTS = ".steps"


@dataclass(frozen=True, slots=True)
class Change:
    """One difference at a dotted path such as icp.fit_rules[senior_title].points."""

    path: str
    kind: Literal["added", "removed", "changed"]
    old: Any = None
    new: Any = None


def _item_key(items: list[Any]) -> str | None:
    for key in _ITEM_KEYS:
        if items and all(isinstance(item, dict) and key in item for item in items):
            return key
    return None


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


def _diff_keyed(old: dict[str, Any], new: dict[str, Any], path_of: Callable[[str], str]) -> list[Change]:
    changes: list[Change] = []
    for name in old:
        if name not in new:
            changes.append(Change(path_of(name), "removed", old=old[name]))
        else:
            changes += _diff_value(old[name], new[name], path_of(name))
    changes += [Change(path_of(name), "added", new=new[name]) for name in new if name not in old]
    return changes


def _diff_value(old: Any, new: Any, path: str) -> list[Change]:
    if isinstance(old, dict) and isinstance(new, dict):
        return _diff_keyed(old, new, lambda name: _join(path, name))
    if isinstance(old, list) and isinstance(new, list):
        key = _item_key(old + new)
        if key:
            return _diff_keyed({item[key]: item for item in old}, {item[key]: item for item in new},
                               lambda name: f"{path}[{name}]")
        if path.endswith(_STEP_LISTS) and len(old) == len(new):
            return [change for index, (before, after) in enumerate(zip(old, new))
                    for change in _diff_value(before, after, f"{path}[{index}]")]
    return [] if old == new else [Change(path, "changed", old=old, new=new)]


def diff_playbooks(old: Playbook, new: Playbook) -> list[Change]:
    """Every added, removed and changed setting from `old` to `new`."""
    return _diff_value(old.model_dump(mode="json"), new.model_dump(mode="json"), "")


def _shown(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def format_changes(changes: list[Change]) -> list[str]:
    """One human line per change: `changed mql_threshold: 60 -> 70`."""
    lines = []
    for change in changes:
        if change.kind == "added":
            lines.append(f"added {change.path}: {_shown(change.new)}")
        elif change.kind == "removed":
            lines.append(f"removed {change.path}: {_shown(change.old)}")
        else:
            lines.append(f"changed {change.path}: {_shown(change.old)} -> {_shown(change.new)}")
    return lines
