"""A playbook condition: one test over a lead's facts, checked against the facts that exist."""

import difflib
import re
from typing import Any

from pydantic import field_validator, model_validator
from pydantic_core import PydanticCustomError

from revteam.playbook.conditions import Operator
from revteam.playbook.facts import FACTS
from revteam.playbook.strict import Strict

_LIST_OPERATORS = {"in", "not_in", "contains_any"}
_VALUELESS_OPERATORS = {"present", "missing"}




class ConditionShape(Strict):
    field: str
    op: Operator
    value: Any = None

    @field_validator("field")
    @classmethod
    def _known_fact(cls, name: str) -> str:
        # A condition on a fact nobody builds would silently never match.
        if name not in FACTS:
            guess = difflib.get_close_matches(name, FACTS, n=1)
            raise PydanticCustomError("unknown_fact", "unknown fact '{name}'{guess}; the facts are: {facts}", {
                "name": name, "guess": f" (did you mean {guess[0]!r}?)" if guess else "", "facts": ", ".join(FACTS)})
        return name

    @model_validator(mode="after")
    def _value_fits_operator(self):
        op, value = self.op, self.value
        if op == "between" and not (isinstance(value, list) and len(value) == 2):
            raise ValueError("'between' needs a list of two values [low, high]")
        if op in _LIST_OPERATORS and not isinstance(value, list):
            raise ValueError(f"{op!r} needs a list of values")
        if op in _VALUELESS_OPERATORS and value is not None:
            raise ValueError(f"{op!r} takes no value")
        if op not in _VALUELESS_OPERATORS and value is None:
            raise ValueError(f"{op!r} needs a value")
        if op == "regex":
            try:
                re.compile(value)
            except (re.error, TypeError) as error:
                raise ValueError(f"bad regular expression: {error}") from None
        return self


class Condition(ConditionShape):
    """One test over a lead's facts, e.g. account.country in [DE, FR]."""
