"""The playbook's touch templates: the e-mail (or the owner's task) each track touch sends.

A template is a Jinja2 text template rendered in a sandbox with strict names: `person.*`, `account.name`
and `asset` are all it may read, and the playbook refuses a template that reads anything else.
"""

from functools import lru_cache
from typing import Any

from jinja2 import StrictUndefined, TemplateError
from jinja2.sandbox import SandboxedEnvironment
from pydantic import Field, model_validator

from revteam.playbook.strict import Strict

DEFAULT_TEMPLATE = "default"  # sends every touch asset that has no template of its own
PERSON_FIELDS = ("first_name", "last_name", "email", "title", "committee_role")
_ENVIRONMENT = SandboxedEnvironment(undefined=StrictUndefined, autoescape=False, keep_trailing_newline=True)


def touch_context(*, person: dict[str, Any], account_name: str | None, asset: str) -> dict[str, Any]:
    """What a template may read; a field the record leaves empty reads as ''."""
    return {"person": {name: person.get(name) or "" for name in PERSON_FIELDS},
            "account": {"name": account_name or ""}, "asset": asset}


SAMPLE = touch_context(person={name: name for name in PERSON_FIELDS}, account_name="Acme", asset="asset")


@lru_cache(maxsize=256)
def _compiled(source: str):
    return _ENVIRONMENT.from_string(source)


def render_text(source: str, context: dict[str, Any]) -> str:
    """A template's text for one person."""
    return _compiled(source).render(context)


class TouchTemplate(Strict):
    """What one touch sends: a subject and a plain-text body (for a task: its title and notes)."""

    subject: str = Field(min_length=1, max_length=200)
    body: str = Field(min_length=1)

    @model_validator(mode="after")
    def _renders(self):
        for part in ("subject", "body"):
            try:
                render_text(getattr(self, part), SAMPLE)
            except TemplateError as error:
                line = f" (line {error.lineno})" if getattr(error, "lineno", None) else ""
                raise ValueError(f"{part}{line}: {error.message}; a template reads person."
                                 f"{{{', '.join(PERSON_FIELDS)}}}, account.name and asset") from None
        return self

    def render(self, context: dict[str, Any]) -> tuple[str, str]:
        """(subject, body) for one person; the subject kept to one line."""
        subject = " ".join(render_text(self.subject, context).split())
        return subject, render_text(self.body, context)
