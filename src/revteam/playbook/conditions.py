"""Conditions shared by fit rules and routing rules: `{field, op, value}` over flat facts.

Facts are a flat mapping such as {"account.employees": 250, "lead.country": "US"}.
A missing or empty fact never matches, except for the `missing` operator. Text compares
without regard to case. Conditions are compiled once into predicates, because scoring and
routing run them millions of times.
"""

import re
from collections.abc import Callable, Mapping
from functools import lru_cache
from typing import Any, Literal

Operator = Literal[
    "eq", "ne", "in", "not_in", "gt", "gte", "lt", "lte", "between",
    "contains", "contains_any", "regex", "present", "missing",
]

OPERATORS: tuple[str, ...] = Operator.__args__  # type: ignore[attr-defined]

Test = Callable[[Any], bool]


def _folded(value: Any) -> Any:
    return value.casefold() if isinstance(value, str) else value


def _membership(expected: Any, inside: bool) -> Test:
    options = frozenset(_folded(v) for v in expected)
    return (lambda actual: _folded(actual) in options) if inside else (lambda actual: _folded(actual) not in options)


def _between(expected: Any) -> Test:
    low, high = expected
    return lambda actual: low <= actual <= high


def _contains_any(expected: Any) -> Test:
    words = tuple(_folded(word) for word in expected)
    return lambda actual: any(word in str(actual).casefold() for word in words)


def _value_test(op: str, expected: Any) -> Test:
    folded = _folded(expected)
    tests: dict[str, Callable[[], Test]] = {
        "eq": lambda: lambda actual: _folded(actual) == folded,
        "ne": lambda: lambda actual: _folded(actual) != folded,
        "in": lambda: _membership(expected, True),
        "not_in": lambda: _membership(expected, False),
        "gt": lambda: lambda actual: actual > expected,
        "gte": lambda: lambda actual: actual >= expected,
        "lt": lambda: lambda actual: actual < expected,
        "lte": lambda: lambda actual: actual <= expected,
        "between": lambda: _between(expected),
        "contains": lambda: lambda actual: folded in str(actual).casefold(),
        "contains_any": lambda: _contains_any(expected),
        "regex": lambda: re.compile(expected, re.IGNORECASE).search,
    }
    if op not in tests:
        raise ValueError(f"unknown operator {op!r}")
    return tests[op]()


def compile_condition(field: str, op: str, value: Any) -> Callable[[Mapping[str, Any]], bool]:
    """A predicate over facts equivalent to `matches(field, op, value, facts)`."""
    if op == "missing":
        return lambda facts: facts.get(field) in (None, "")
    if op == "present":
        return lambda facts: facts.get(field) not in (None, "")
    test = _value_test(op, value)

    def predicate(facts: Mapping[str, Any]) -> bool:
        actual = facts.get(field)
        if actual is None or actual == "":
            return False
        try:
            return bool(test(str(actual) if op == "regex" else actual))
        except TypeError:
            return False

    return predicate


def _hashable(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value


@lru_cache(maxsize=4096)
def _cached(field: str, op: str, value: Any) -> Callable[[Mapping[str, Any]], bool]:
    return compile_condition(field, op, value)


def matches(field: str, op: str, value: Any, facts: Mapping[str, Any]) -> bool:
    """True when the fact named `field` satisfies `op value`."""
    return _cached(field, op, _hashable(value))(facts)
