"""Conditions shared by fit rules and routing rules: `{field, op, value}` over flat facts.

Facts are a flat mapping such as {"account.employees": 250, "lead.country": "US"}.
A missing or empty fact never matches, except for the `missing` operator.
"""

import re
from collections.abc import Mapping
from typing import Any, Literal

Operator = Literal[
    "eq", "ne", "in", "not_in", "gt", "gte", "lt", "lte", "between",
    "contains", "contains_any", "regex", "present", "missing",
]

OPERATORS: tuple[str, ...] = Operator.__args__  # type: ignore[attr-defined]


def _folded(value: Any) -> Any:
    return value.casefold() if isinstance(value, str) else value


def _compare(op: str, actual: Any, expected: Any) -> bool:
    if op == "eq":
        return _folded(actual) == _folded(expected)
    if op == "ne":
        return _folded(actual) != _folded(expected)
    if op == "in":
        return _folded(actual) in {_folded(v) for v in expected}
    if op == "not_in":
        return _folded(actual) not in {_folded(v) for v in expected}
    if op == "gt":
        return actual > expected
    if op == "gte":
        return actual >= expected
    if op == "lt":
        return actual < expected
    if op == "lte":
        return actual <= expected
    if op == "between":
        low, high = expected
        return low <= actual <= high
    if op == "contains":
        return _folded(expected) in _folded(str(actual))
    if op == "contains_any":
        text = _folded(str(actual))
        return any(_folded(word) in text for word in expected)
    if op == "regex":
        return re.search(expected, str(actual), re.IGNORECASE) is not None
    raise ValueError(f"unknown operator {op!r}")


def matches(field: str, op: str, value: Any, facts: Mapping[str, Any]) -> bool:
    """True when the fact named `field` satisfies `op value`."""
    actual = facts.get(field)
    is_missing = actual is None or actual == ""
    if op == "missing":
        return is_missing
    if op == "present":
        return not is_missing
    if is_missing:
        return False
    try:
        return _compare(op, actual, value)
    except TypeError:
        return False
