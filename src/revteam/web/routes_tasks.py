"""My tasks: what cultivation tracks ask of the viewer as a lead's owner (a manager: their team's), done in one click."""

from fastapi import APIRouter, Request
from starlette.responses import Response

from revteam.clock import now
from revteam.inputs import Id
from revteam.outreach.tasks import complete_task, open_tasks
from revteam.users.models import Role
from revteam.web.auth import PageSession, PageUser
from revteam.web.templating import render

router = APIRouter(prefix="/tasks")


def _context(request: Request, session, user) -> dict:
    title = "My team's tasks" if user.role == Role.manager else "My tasks"
    return {"title": title, **open_tasks(session, user, now=now(request)), "now": now(request)}


@router.get("")
def tasks_page(request: Request, session: PageSession, user: PageUser) -> Response:
    return render(request, "tasks.html", _context(request, session, user))


@router.post("/{task_id}/done")
def done(request: Request, session: PageSession, user: PageUser, task_id: Id) -> Response:
    """The task leaves the list; the list (its count with it) and the flash come back."""
    task = complete_task(session, task_id=task_id, actor=user, now=now(request))
    return render(request, "tasks/_done.html", {"message": f"Done: {task.title} (lead {task.lead_id}).",
                                                **_context(request, session, user)})
