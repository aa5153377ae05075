"""`revteam accounts ...`: target accounts' buying-committee coverage, one account, a person's role."""

from typing import Annotated

import typer
from rich.table import Table

from revteam.cli.common import (
    DbOption, JsonOption, NowOption, console, database_session, moment_or_now, print_json, print_rows, sub_app,
)
from revteam.errors import NotFound

app = sub_app()


def _roles(roles: list[str]) -> str:
    return ", ".join(roles) or "—"


@app.command("coverage")
def coverage(
    segment: Annotated[str | None, typer.Option(help="Only accounts of this tier (strategic, named...).")] = None,
    now: NowOption = None, db: DbOption = None, as_json: JsonOption = False,
) -> None:
    """One row per target account (an account with a tier): committee roles known, engaged, missing, engagement."""
    from revteam.leads import committee

    with database_session(db) as session:
        rows = committee.coverage_report(session, segment=segment, now=moment_or_now(now))
    print_rows(rows, as_json, ("id", "account", "tier", "known", "engaged", "missing", "engagement"), lambda row: (
        str(row["account_id"]), row["account"], row["tier"], _roles(row["known"]), _roles(row["engaged"]),
        _roles(row["missing"]), str(row["engagement_score"])))


@app.command("show")
def show(account_id: int, now: NowOption = None, db: DbOption = None, as_json: JsonOption = False) -> None:
    """An account's committee: coverage by role, and each person with role, suggested role and engagement."""
    from revteam.accounts.models import Account
    from revteam.leads import committee

    with database_session(db) as session:
        account = session.get(Account, account_id)
        if account is None:
            raise NotFound(f"no account {account_id}")
        view = committee.account_view(session, account, now=moment_or_now(now))
    if as_json:
        print_json(view)
        return
    cover = view["coverage"]
    console.print(f"{view['name']} ({view['tier'] or 'no tier'}): known {_roles(cover['known'])}; "
                  f"engaged {_roles(cover['engaged'])}; missing {_roles(cover['missing'])}; "
                  f"engagement {cover['engagement_score']}")
    table = Table("person", "title", "role", "suggested", "engagement", "engaged")
    for person in view["people"]:
        suggested = f"{person['suggested_role']} ({person['suggested_because']})" if person["suggested_role"] else ""
        table.add_row(person["name"] or person["email"] or "", person["title"] or "", person["role"] or "",
                      suggested, str(person["engagement"]), "yes" if person["engaged"] else "no")
    console.print(table)


@app.command("set-role")
def set_role(
    email: str,
    role: Annotated[str, typer.Argument(help="A role of the playbook's committee.roles, or 'none' to clear it.")],
    db: DbOption = None, as_json: JsonOption = False,
) -> None:
    """Confirm a person's buying-committee role by hand (recorded on the log)."""
    from revteam.leads import committee

    with database_session(db) as session:
        change = committee.set_role(session, email=email, role=None if role == "none" else role, actor="cli")
    if as_json:
        print_json(change)
    else:
        console.print(f"person {change['person_id']}: {change['old'] or 'no role'} -> {change['new'] or 'no role'}")
