"""`revteam forms ...`: website forms that post leads without a token."""

from typing import Annotated

import typer

from revteam.cli.common import DbOption, JsonOption, console, database_session, print_json, sub_app

app = sub_app()


@app.command("add")
def add(
    name: str,
    source: Annotated[str | None, typer.Option(help="Lead source recorded for its submissions.")] = "web_form",
    campaign: Annotated[str | None, typer.Option(help="Campaign recorded for its submissions.")] = None,
    redirect: Annotated[str | None, typer.Option(help="Thank-you page to send people to.")] = None,
    db: DbOption = None,
) -> None:
    """Register a form and print the URL its HTML form posts to."""
    from revteam.config import get_settings
    from revteam.leads.intake import forms

    with database_session(db) as session:
        form = forms.add_form(session, name=name, source=source, campaign=campaign, redirect_url=redirect, actor="cli")
    console.print(f"form {name!r}: POST {get_settings().public_url}/forms/{form.key}")
    console.print(f"keep the hidden field {forms.HONEYPOT_FIELD!r} empty in your page (bots fill it)")


@app.command("list")
def list_(db: DbOption = None, as_json: JsonOption = False) -> None:
    """List forms and their keys."""
    from revteam.leads.intake import forms

    with database_session(db) as session:
        rows = [{"name": f.name, "key": f.key, "source": f.source, "campaign": f.campaign, "active": f.active}
                for f in forms.list_forms(session)]
    if as_json:
        print_json(rows)
        return
    for row in rows:
        console.print(f"{row['key']}  {row['name']}  source={row['source']} campaign={row['campaign']}")
