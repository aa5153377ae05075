"""The base every playbook section builds on: unknown keys refused, values frozen, repeats located."""

from collections.abc import Callable, Iterable
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError
from pydantic_core import InitErrorDetails, PydanticCustomError


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def reject_duplicates(items: Iterable[Any], key: Callable[[Any], str], what: str, title: str) -> None:
    """Raise one error per repeated key, located at the repeating item."""
    seen: set[str] = set()
    problems = []
    for index, item in enumerate(items):
        value = key(item)
        if value in seen:
            problems.append(InitErrorDetails(
                type=PydanticCustomError("duplicate", "duplicate {what} '{value}'", {"what": what, "value": value}),
                loc=(index, what), input=value,
            ))
        seen.add(value)
    if problems:
        raise ValidationError.from_exception_data(title, problems)
