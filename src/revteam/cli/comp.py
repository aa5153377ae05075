"""`revteam comp ...`: statements explained line by line, closing a month, recalculating a rep."""

from pathlib import Path
from typing import Annotated

import typer

from revteam.cli.common import DbOption, JsonOption, console, database_session, print_json, sub_app

app = sub_app()
RepOption = Annotated[str, typer.Option("--rep", metavar="EMAIL", help="The rep whose statement it is.")]
PeriodOption = Annotated[str, typer.Option("--period", metavar="YYYY-MM", help="The month.")]
ActorOption = Annotated[str, typer.Option("--as", metavar="EMAIL", help="Who acts (recorded in the event).")]


def _print_statement(view: dict) -> None:
    console.print(f"[bold]{view['rep']}[/] {view['period']} ({view['role']}, playbook v{view['plan_version']}, "
                  f"{view['status']}{', revision ' + str(view['revision']) if 'revision' in view else ''})")
    for line in view["lines"]:
        console.print(f"{line['amount']:>12}  {line['rule']:<28} {line['source']}", markup=False)
        console.print(f"              {line['explanation']}", markup=False)
    for change in view.get("difference", []):
        console.print(f"  changed {change['rule']} {change['source']}: {change['before']} -> {change['after']} "
                      f"({change['difference']})", markup=False)
    console.print(f"[bold]total {view['total']}[/]")


@app.command("statement")
def statement(rep: RepOption, period: PeriodOption, db: DbOption = None, as_json: JsonOption = False) -> None:
    """A rep's statement for a month, every line with its source, rule and formula."""
    from revteam.comp import service

    with database_session(db) as session:
        view = service.statement(session, rep_email=rep, period=period)
    print_json(view) if as_json else _print_statement(view)


@app.command("close")
def close(period: PeriodOption, actor: ActorOption = "cli", db: DbOption = None, as_json: JsonOption = False) -> None:
    """Close a month: store every rep's statement with the plan version it used (recorded)."""
    from revteam.comp import service

    with database_session(db) as session:
        stored = service.close_period(session, period=period, actor=actor)
        out = {"period": period, "statements": len(stored)}
    print_json(out) if as_json else console.print(f"closed {period}: {out['statements']} statements stored")


@app.command("recalculate")
def recalculate(rep: RepOption, period: PeriodOption, actor: ActorOption = "cli", db: DbOption = None,
                as_json: JsonOption = False) -> None:
    """A new revision of a closed month's statement, with its line-by-line difference."""
    from revteam.comp import service

    with database_session(db) as session:
        row = service.recalculate(session, rep_email=rep, period=period, actor=actor)
        out = {"revision": row.revision, "total_minor": row.total_minor, "difference": row.difference}
    print_json(out) if as_json else console.print(f"revision {out['revision']}: {len(out['difference'])} lines changed")


@app.command("simulate")
def simulate(plan: Annotated[Path, typer.Option("--plan", metavar="FILE", help="A draft playbook with its comp plans.")],
             first: Annotated[str | None, typer.Option("--from", metavar="YYYY-MM",
                                                      help="First month (default: twelve months ago).")] = None,
             last: Annotated[str | None, typer.Option("--to", metavar="YYYY-MM",
                                                     help="Last month (default: last month).")] = None,
             db: DbOption = None, as_json: JsonOption = False) -> None:
    """Replay the stored deals and movements under a draft plan beside what the active plan paid."""
    from revteam.comp.simulation import simulate as replay
    from revteam.playbook.loader import read_playbook_text

    with database_session(db) as session:
        result = replay(session, draft_text=read_playbook_text(plan), source=str(plan), first=first, last=last)
    if as_json:
        print_json(result)
        return
    for row in result["reps"]:
        console.print(f"{row['rep']:<32} {row['role']:<4} active {row['active']:>12}  draft {row['draft']:>12}  "
                      f"{row['difference']:>12}", markup=False)
    total = result["total"]
    console.print(f"{result['from']} to {result['to']}", markup=False)
    console.print(f"[bold]total active {total['active']}  draft {total['draft']}  difference {total['difference']}[/]")
    console.print(f"gains most: {result['gains_most'] or '-'}; loses most: {result['loses_most'] or '-'}")
