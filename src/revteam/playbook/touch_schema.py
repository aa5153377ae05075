"""The playbook's touch templates: the e-mail (or the owner's task) each track touch sends.

A template is text with fields in braces, read by the standard library's format-string parser:
`{first_name}`, `{last_name}`, `{email}`, `{title}`, `{committee_role}`, `{company}` and `{asset}`;
`{first_name:there}` shows `there` when the field is empty; `{{` and `}}` are braces. Nothing else
may be named (no attributes, indexes or conversions), so a template reads only the person's fields,
and the playbook refuses one that names anything else. (Plain stdlib: `playbook validate` stays light.)
"""

import string
from functools import lru_cache
from typing import Any

from pydantic import Field, model_validator

from revteam.playbook.strict import Strict

DEFAULT_TEMPLATE = "default"  # sends every touch asset that has no template of its own
PERSON_FIELDS = ("first_name", "last_name", "email", "title", "committee_role")
FIELDS = (*PERSON_FIELDS, "company", "asset")
_PARSER = string.Formatter()


def touch_values(*, person: dict[str, Any], company: str | None, asset: str) -> dict[str, str]:
    """What a template may read; a field the record leaves empty reads as ''."""
    return {**{name: str(person.get(name) or "") for name in PERSON_FIELDS}, "company": company or "", "asset": asset}


@lru_cache(maxsize=256)
def _parts(source: str) -> tuple[tuple[str, str | None, str], ...]:
    """(literal text, field or None, text shown when the field is empty); ValueError naming what is wrong."""
    parts = []
    for literal, name, empty, conversion in _PARSER.parse(source):
        if name is not None and (name not in FIELDS or conversion or "{" in (empty or "")):
            raise ValueError(f"{{{name}{'!' + conversion if conversion else ''}{':' + empty if empty else ''}}} "
                             f"is not a field: a template reads {', '.join('{' + field + '}' for field in FIELDS)}")
        parts.append((literal, name, empty or ""))
    return tuple(parts)


def render_text(source: str, values: dict[str, str]) -> str:
    """A template's text for one person."""
    return "".join(literal + ((values[name] or empty) if name else "") for literal, name, empty in _parts(source))


class TouchTemplate(Strict):
    """What one touch sends: a subject and a plain-text body (for a task: its title and notes)."""

    subject: str = Field(min_length=1, max_length=200)
    body: str = Field(min_length=1)

    @model_validator(mode="after")
    def _parses(self):
        for part in ("subject", "body"):
            try:
                _parts(getattr(self, part))
            except ValueError as error:
                raise ValueError(f"{part}: {error}") from None
        return self

    def render(self, values: dict[str, str]) -> tuple[str, str]:
        """(subject, body) for one person; the subject kept to one line."""
        return " ".join(render_text(self.subject, values).split()), render_text(self.body, values)
