"""The playbook page: the active definitions in plain words, and every version with its changes."""

from functools import lru_cache
from typing import Any

from fastapi import APIRouter, Request
from starlette.responses import Response

from revteam.playbook.diff import diff_playbooks, format_changes
from revteam.playbook.loader import load_playbook_text
from revteam.errors import NotFound
from revteam.playbook.schema import Playbook
from revteam.playbook.versions import list_versions
from revteam.web.auth import PageSession, PageUser
from revteam.web.templating import render

router = APIRouter()

OPERATOR_WORDS = {
    "eq": "is", "ne": "is not", "in": "is one of", "not_in": "is none of", "gt": "is more than",
    "gte": "is at least", "lt": "is less than", "lte": "is at most", "between": "is between",
    "contains": "contains", "contains_any": "contains any of", "regex": "matches the pattern",
    "present": "is known", "missing": "is unknown",
}


def in_words(field: str, op: str, value: Any) -> str:
    """A playbook condition as a sentence: 'account employees is at least 1000'."""
    subject = field.replace(".", " ").replace("_", " ")
    if op in ("present", "missing"):
        return f"{subject} {OPERATOR_WORDS[op]}"
    if op == "between":
        shown = f"{value[0]} and {value[1]}"
    elif isinstance(value, list):
        shown = ", ".join(str(item) for item in value)
    else:
        shown = str(value)
    return f"{subject} {OPERATOR_WORDS.get(op, op)} {shown}"


@lru_cache(maxsize=32)
def _parsed(version_id: int, digest: str, content: str) -> Playbook:
    """A stored version parsed once per process (versions never change: same id, same hash)."""
    return load_playbook_text(content, source=f"playbook v{version_id}")


def _history(session) -> list[dict[str, Any]]:
    """Versions newest first, each with what changed from the one before it."""
    rows, previous = [], None
    for version in list_versions(session):
        playbook = _parsed(version.id, version.hash, version.content)
        changes = format_changes(diff_playbooks(previous, playbook)) if previous else []
        rows.append({"version": version, "playbook": playbook, "changes": changes})
        previous = playbook
    return rows[::-1]


@router.get("/playbook")
def playbook_page(request: Request, session: PageSession, _user: PageUser) -> Response:
    history = _history(session)
    current = next((row for row in history if row["version"].active), None)
    if current is None:
        raise NotFound("no active playbook: run `revteam init`")
    context = {"title": "Playbook", "playbook": current["playbook"], "version_id": current["version"].id,
               "history": history, "in_words": in_words}
    return render(request, "playbook.html", context)
