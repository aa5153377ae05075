"""`revteam people ...`: stop every touch to a person."""

from typing import Annotated

import typer

from revteam.cli.common import (
    DbOption, JsonOption, NowOption, console, database_session, moment_or_now, print_json, sub_app,
)

app = sub_app()


@app.command("suppress")
def suppress(
    email: Annotated[str, typer.Argument(help="The person's e-mail address.")],
    reason: Annotated[str, typer.Option(help="Why no touch may reach them (kept on their leads' timelines).")],
    now: NowOption = None, db: DbOption = None, as_json: JsonOption = False,
) -> None:
    """Suppress a person: tracks skip their touches from now on, and no e-mail is sent to them."""
    from revteam.outreach.suppression import suppress_by_email

    with database_session(db) as session:
        changed = suppress_by_email(session, email=email, reason=reason, actor="cli", at=moment_or_now(now))
    if as_json:
        print_json({"email": email, "suppressed": True, "changed": changed})
        return
    console.print(f"{email}: suppressed" if changed else f"{email}: was suppressed already; nothing changed")
