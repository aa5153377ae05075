"""The playbook page: the active definitions in plain words, and every version with its changes."""

from typing import Any

from fastapi import APIRouter, Request
from starlette.responses import Response

from revteam.playbook.versions import active, version_history
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


@router.get("/playbook")
def playbook_page(request: Request, session: PageSession, _user: PageUser) -> Response:
    current = active(session)
    context = {"title": "Playbook", "playbook": current.playbook, "version_id": current.version_id,
               "history": version_history(session), "in_words": in_words}
    return render(request, "playbook.html", context)
