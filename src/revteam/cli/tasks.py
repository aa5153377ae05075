"""`revteam tasks ...`: the tasks cultivation tracks give lead owners (`via: task` touches)."""

from typing import Annotated

import typer

from revteam.cli.common import (
    DbOption, JsonOption, NowOption, console, database_session, moment_or_now, print_json, sub_app,
)

app = sub_app()
ViewerOption = Annotated[str | None, typer.Option(
    "--as", metavar="EMAIL", help="The tasks this user has to do (default: every open task, as the database's operator).")]
ActorOption = Annotated[str | None, typer.Option("--as", metavar="EMAIL", help="Who did it (their rights apply).")]


@app.command("list")
def list_(as_: ViewerOption = None, now: NowOption = None, db: DbOption = None, as_json: JsonOption = False) -> None:
    """Open tasks, soonest due first."""
    from revteam.outreach.tasks import as_json as task_json, open_tasks
    from revteam.users.service import get_user_by_email

    moment = moment_or_now(now)
    with database_session(db) as session:
        found = open_tasks(session, get_user_by_email(session, as_) if as_ else None, now=moment)
    if as_json:
        print_json({"tasks": [task_json(row) for row in found["rows"]], "total": found["total"]})
        return
    for row in found["rows"]:  # one line each: a table would wrap the titles on a narrow terminal
        due = f"{row['due_at']:%Y-%m-%d %H:%M} UTC" if row["due_at"] else "no due time"
        console.print(f"task {row['id']}: lead {row['lead_id']} {row['lead']}, due {due}, owner {row['owner'] or '-'} "
                      f"({row['source']}): {row['title']}", markup=False)
    console.print(f"{found['total']:,} open task{'' if found['total'] == 1 else 's'}", markup=False)


@app.command("done")
def done(task_id: int, as_: ActorOption = None, now: NowOption = None, db: DbOption = None,
         as_json: JsonOption = False) -> None:
    """Mark a task done: the touch it stood for is recorded on the lead's timeline."""
    from revteam.errors import BadInput
    from revteam.outreach.tasks import complete_task
    from revteam.users.service import get_user_by_email

    with database_session(db) as session:
        if not as_:
            raise BadInput("say who did it: --as EMAIL", where="--as")
        task = complete_task(session, task_id=task_id, actor=get_user_by_email(session, as_), now=moment_or_now(now))
        answer = {"id": task.id, "lead_id": task.lead_id, "done_at": task.done_at.isoformat(), "done_by": task.done_by}
    if as_json:
        print_json(answer)
        return
    console.print(f"task {answer['id']} done (lead {answer['lead_id']})", markup=False)
