"""`revteam users ...`: add, list, deactivate, passwords, tokens, availability."""

from typing import Annotated

import typer
from rich.table import Table

from revteam.cli.common import DbOption, JsonOption, console, database_session, print_json, sub_app
from revteam.errors import BadInput

app = sub_app()
ADMIN = "cli"


def _user_in(**fields):
    from pydantic import ValidationError

    from revteam.users.schemas import UserIn

    try:
        return UserIn(**fields)
    except ValidationError as error:
        problem = error.errors()[0]
        field = ".".join(str(part) for part in problem["loc"])
        raise BadInput(f"{problem['msg']} (got {problem.get('input')!r})", where=field) from None


@app.command("add")
def add(
    email: str,
    name: Annotated[str, typer.Option(help="Full name.")],
    role: Annotated[str, typer.Option(help="admin, marketing, sales, success or manager.")],
    sales_role: Annotated[str | None, typer.Option(help="sdr or ae (sales and managers).")] = None,
    team: Annotated[str | None, typer.Option(help="Team name (created on first use).")] = None,
    pod: Annotated[str | None, typer.Option(help="Pod name (created on first use).")] = None,
    territory: Annotated[str | None, typer.Option(help="Territory, e.g. EMEA.")] = None,
    capacity: Annotated[int, typer.Option(help="Open leads this rep can hold.")] = 50,
    weight: Annotated[int, typer.Option(help="Round-robin weight.")] = 1,
    password: Annotated[str | None, typer.Option(help="Web sign-in password (8+ characters).")] = None,
    db: DbOption = None,
) -> None:
    """Add a user."""
    from revteam.users import service

    user_in = _user_in(email=email, name=name, role=role, sales_role=sales_role, team=team, pod=pod,
                       territory=territory, capacity=capacity, weight=weight, password=password)
    with database_session(db) as session:
        user = service.add_user(session, user_in, actor=ADMIN)
    console.print(f"added {user.email} ({user.role}) as user {user.id}")


@app.command("list")
def list_(db: DbOption = None, as_json: JsonOption = False) -> None:
    """List users with their team and pod."""
    from revteam.users import service

    with database_session(db) as session:
        users = service.list_users(session)
    if as_json:
        print_json([user.model_dump() for user in users])
        return
    table = Table("id", "email", "name", "role", "sales", "team / pod", "territory", "capacity", "active", "available")
    for user in users:
        units = " / ".join(filter(None, [user.team, user.pod]))
        table.add_row(str(user.id), user.email, user.name, user.role, user.sales_role or "", units,
                      user.territory or "", str(user.capacity), "yes" if user.active else "no",
                      "yes" if user.available else "no")
    console.print(table)


@app.command("deactivate")
def deactivate(email: str, db: DbOption = None) -> None:
    """Deactivate a user and revoke their API tokens."""
    from revteam.users import service

    with database_session(db) as session:
        service.deactivate_user(session, email, actor=ADMIN)
    console.print(f"deactivated {email}")


@app.command("password")
def password(email: str,
             new: Annotated[str, typer.Option("--password", prompt="New password", hide_input=True,
                                              confirmation_prompt=True, help="The new password (8+ characters).")],
             db: DbOption = None) -> None:
    """Set a user's web sign-in password; every session they have open ends."""
    from revteam.users import service

    with database_session(db) as session:
        service.set_password(session, email, password=new, actor=ADMIN)
    console.print(f"new password set for {email}; their sessions are ended")


@app.command("away")
def away(email: str, back: Annotated[bool, typer.Option("--back", help="Mark as available again.")] = False,
         db: DbOption = None) -> None:
    """Mark a user out of office (never routed to) or, with --back, available."""
    from revteam.users import service

    with database_session(db) as session:
        service.set_availability(session, email, available=back, actor=ADMIN)
    console.print(f"{email} is {'available' if back else 'out of office'}")


@app.command("token")
def token(email: str, name: Annotated[str, typer.Option(help="What the token is for.")] = "cli",
          db: DbOption = None) -> None:
    """Issue an API token; it is shown once and stored hashed."""
    from revteam.users import service

    with database_session(db) as session:
        plain = service.issue_token(session, email, name=name, actor=ADMIN)
    print(plain)
