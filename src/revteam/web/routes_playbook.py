"""The playbook page: the active definitions in plain words, every version with its changes, and a
draft tried on the recent leads (diff and simulation side by side) before it is activated."""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request, UploadFile
from starlette.responses import RedirectResponse, Response

from revteam.db.base import utcnow
from revteam.db.read_only import read_only_scope
from revteam.errors import BadInput
from revteam.inputs import Lines
from revteam.playbook.diff import diff_playbooks, format_changes
from revteam.playbook.loader import load_playbook_text
from revteam.playbook.versions import active, version_history
from revteam.simulation.service import activate_simulated, headline, simulate, window
from revteam.simulation.summary import summary_lines
from revteam.users.models import Role, User
from revteam.web.auth import AdminPage, PageSession, PageUser, require_role
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


ManagerPage = Annotated[User, Depends(require_role(Role.manager))]
DraftField = Annotated[Lines, Form(max_length=1_000_000)]
SinceField = Annotated[str, Form(max_length=5)]


async def _draft_text(draft: str, upload: UploadFile | None) -> str:
    if upload is not None and upload.filename:
        try:
            return (await upload.read()).decode("utf-8")
        except UnicodeDecodeError:
            raise BadInput("the uploaded playbook is not UTF-8 text", where="upload") from None
    if not draft.strip():
        raise BadInput("paste a draft playbook or upload its YAML file", where="draft")
    return draft


@router.post("/playbook/simulate")
async def simulate_page(request: Request, session: PageSession, _user: ManagerPage, draft: DraftField = "",
                        since: SinceField = "30d", upload: UploadFile | None = None) -> Response:
    text = await _draft_text(draft, upload)
    changes = format_changes(diff_playbooks(active(session).playbook, load_playbook_text(text, source="draft")))
    start, end = window(since=since, now=utcnow())
    with read_only_scope(request.app.state.engine) as reading:
        result = simulate(reading, draft_text=text, start=start, end=end)
    return render(request, "playbook_simulation.html", {
        "title": "Playbook draft", "changes": changes, "result": result, "headline": headline(result),
        "summary": summary_lines(result), "draft": text, "since": since})


@router.post("/playbook/activate")
def activate_page(session: PageSession, user: AdminPage, draft: DraftField, since: SinceField = "30d") -> Response:
    start, end = window(since=since, now=utcnow())
    activate_simulated(session, draft_text=draft, start=start, end=end, actor=user.email, source="playbook page", now=utcnow())
    return RedirectResponse("/playbook", status_code=303)
