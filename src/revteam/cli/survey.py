"""`revteam survey ...`: the alignment diagnostic's rounds and results."""

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from revteam.cli.common import (
    DbOption, JsonOption, NowOption, console, database_session, moment_or_now, open_database, print_json, sub_app,
)
from revteam.errors import BadInput

app = sub_app()
OPERATOR = "cli"
LISTED = ("id", "opened", "closed", "answers")  # the documented shape of `survey list --json`
RoundArgument = Annotated[str, typer.Argument(metavar="ROUND", help="The round's name.")]


def _closes(value: str | None, days: int, now: datetime) -> datetime:
    if value is None:
        return now + timedelta(days=days)
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise BadInput(f"not an ISO time: {value!r} (e.g. 2026-07-01T00:00:00Z)", where="--closes") from None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


@app.command("open")
def open_round(
    name: RoundArgument,
    closes: Annotated[str | None, typer.Option("--closes", metavar="ISO-TIME", help="When it closes.")] = None,
    days: Annotated[int, typer.Option("--days", min=1, max=365, help="Closes after this many days.")] = 14,
    invite: Annotated[list[str] | None, typer.Option("--invite", metavar="TEAM",
                                                     help="A team name or marketing|sales|success (repeatable).")] = None,
    now: NowOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Open a round: every active member of the three teams is invited unless --invite narrows it."""
    from revteam.survey import rules, service

    moment = moment_or_now(now)
    with database_session(db) as session:
        rules.open_round(session, name=name, closes_at=_closes(closes, days, moment), invite=invite,
                         actor=OPERATOR, now=moment)
        listed = next(r for r in service.list_rounds(session, now=moment) if r["id"] == name)
    print_json(listed) if as_json else console.print(f"opened round {name}, closes {listed['closes']}")


@app.command("close")
def close_round(name: RoundArgument, now: NowOption = None, db: DbOption = None) -> None:
    """Close a round before its date."""
    from revteam.survey import rules

    with database_session(db) as session:
        rules.close_round(session, name, actor=OPERATOR, now=moment_or_now(now))
    console.print(f"closed round {name}")


@app.command("list")
def list_rounds(now: NowOption = None, db: DbOption = None, as_json: JsonOption = False) -> None:
    """Every round with its dates and how many answers it has."""
    from revteam.survey import service

    with database_session(db) as session:
        rounds = service.list_rounds(session, now=moment_or_now(now))
    if as_json:
        print_json([{key: r[key] for key in LISTED} for r in rounds])
        return
    table = Table("round", "opened", "closes", "closed", "answers")
    for r in rounds:
        table.add_row(r["id"], r["opened"][:16], r["closes"][:16], (r["closed"] or "open")[:16], str(r["answers"]))
    console.print(table)


def _show(value: float | None) -> str:
    return "-" if value is None else f"{value:g}"


def _print_results(report: dict) -> None:
    overall, too_few = report["overall"], f"held back: it would show a group of fewer than {report['min_group']}"
    console.print(f"[bold]round {report['round']}[/]: {overall['answers']} answers, score {_show(overall['score'])}"
                  f" ({overall['stage'] or too_few})")
    teams = Table("team", "answers", "score", "stage")
    for team, figures in report["teams"].items():
        teams.add_row(team, str(figures["answers"]), _show(figures["score"]), figures["stage"] or "-")
    console.print(teams)
    gaps = Table("statement", "spread", "team means", title="Gaps, largest first")
    for gap in report["gaps"][:10]:
        gaps.add_row(gap["statement"], f"{gap['spread']:g}", ", ".join(f"{k} {v:g}" for k, v in gap["teams"].items()))
    console.print(gaps)
    for line in report["evidence"]:
        console.print(f"{line['statement']}: surveyed {_show(line['answered'])}, records say {_show(line['records'])}"
                      f" ({line['source']})", markup=False, soft_wrap=True)


@app.command("results")
def results(name: RoundArgument, now: NowOption = None, db: DbOption = None, as_json: JsonOption = False) -> None:
    """Stages per team and overall, gaps between teams, and what the records say beside the answers."""
    from revteam.survey import service

    with database_session(db) as session:
        report = service.round_results(session, name, now=moment_or_now(now))
    print_json(report) if as_json else _print_results(report)


@app.command("import")
def import_answers(
    name: RoundArgument,
    path: Annotated[Path, typer.Argument(metavar="FILE", help="CSV: a team column and one column per statement id.")],
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Answers collected elsewhere; the whole file lands or none of it, and a re-run adds nothing."""
    from revteam.survey import rules

    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise BadInput(f"cannot read it: {error}", where=str(path)) from None
    with database_session(db) as session:
        report = rules.import_answers(session, name, text, actor=OPERATOR)
    print_json(report) if as_json else console.print(
        f"{report['imported']} answers imported, {report['skipped']} already there, of {report['rows']} rows")


def _answers_from(pairs: list[str], path: Path | None) -> dict[str, object]:
    """STATEMENT=N flags, or a YAML/JSON file mapping statement ids to 1-5; both may be given."""
    import yaml

    answers: dict[str, object] = {}
    if path is not None:
        try:
            loaded = yaml.safe_load(path.read_text(encoding="utf-8-sig"))
        except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
            raise BadInput(f"cannot read it: {error}", where=str(path)) from None
        if not isinstance(loaded, dict):
            raise BadInput("expected a mapping of statement ids to 1-5", where=str(path))
        answers.update({str(key): value for key, value in loaded.items()})
    for pair in pairs:
        statement, equals, value = pair.partition("=")
        if not equals:
            raise BadInput(f"{pair!r} is not STATEMENT=N", where="--answer")
        answers[statement.strip()] = value.strip()
    return answers


def _asked(engine, name: str) -> dict[str, object]:
    """Each statement put to the member in turn on the terminal."""
    from revteam.db.session import session_scope
    from revteam.survey import queries, rules

    with session_scope(engine) as session:
        survey = rules.round_survey(session, queries.require_round(session, name))
    console.print("1 strongly disagree, 2 disagree, 3 neither, 4 agree, 5 strongly agree")
    return {statement.id: _ask(f"{statement.id} {statement.text}") for statement in survey.every_statement()}


def _ask(question: str) -> int:
    """One answer from 1 to 5, asked again until it is one."""
    from revteam.playbook.survey_schema import ANSWER_HIGH, ANSWER_LOW

    while (value := typer.prompt(question, type=int)) not in range(ANSWER_LOW, ANSWER_HIGH + 1):
        console.print(f"a whole number from {ANSWER_LOW} to {ANSWER_HIGH}, please")
    return value


@app.command("answer")
def answer(
    name: RoundArgument,
    member: Annotated[str, typer.Option("--as", metavar="EMAIL", help="The invited member answering.")],
    pairs: Annotated[list[str] | None, typer.Option("--answer", metavar="STATEMENT=N",
                                                    help="One answer, 1-5 (repeatable).")] = None,
    path: Annotated[Path | None, typer.Option("--file", metavar="FILE", help="YAML or JSON: statement id: 1-5.")] = None,
    now: NowOption = None,
    db: DbOption = None,
) -> None:
    """Answer a round as an invited member: from --answer/--file, else asked statement by statement.
    Stored under the member's team only, as the web form does."""
    from revteam.db.session import session_scope
    from revteam.survey import rules
    from revteam.users.service import get_user_by_email

    engine = open_database(db)
    answers = _answers_from(pairs or [], path) if pairs or path else _asked(engine, name)
    with session_scope(engine) as session:
        user = get_user_by_email(session, member)
        rules.answer(session, name, user, answers, source="cli", now=moment_or_now(now))
    console.print(f"answer to round {name} recorded under {member}'s team, not their name")
