"""Owner tasks over HTTP: what a track's `via: task` touches ask of the lead's owner, and done."""

from typing import Any

from fastapi import APIRouter

from revteam.api.deps import CurrentUser, SessionDep
from revteam.api.errors import SIGNED_IN
from revteam.clock import Now
from revteam.inputs import Id
from revteam.outreach.tasks import as_json, complete_task, open_tasks

router = APIRouter(prefix="/api/tasks", tags=["tasks"], responses=SIGNED_IN)


@router.get("")
def list_tasks(session: SessionDep, user: CurrentUser, now: Now) -> dict[str, Any]:
    """The open tasks the user has to do (a manager: their team's, as the playbook's visibility says),
    soonest due first: `tasks` (up to 500) and `total`."""
    found = open_tasks(session, user, now=now)
    return {"tasks": [as_json(row) for row in found["rows"]], "total": found["total"]}


@router.post("/{task_id}/done")
def done(task_id: Id, session: SessionDep, user: CurrentUser, now: Now) -> dict[str, Any]:
    """Mark a task done: `task.done` and the touch it stood for go on the lead's timeline (409 when done already)."""
    task = complete_task(session, task_id=task_id, actor=user, now=now)
    return {"id": task.id, "lead_id": task.lead_id, "done_at": task.done_at.isoformat(), "done_by": task.done_by}
