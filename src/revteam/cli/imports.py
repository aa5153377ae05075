"""`revteam import leads FILE`: bulk import with a progress bar or one JSON report."""

import os
import sys
from pathlib import Path
from typing import Annotated

import typer

from revteam.cli.common import (
    DbOption, JsonOption, NowOption, console, database_session, moment_or_now, open_database, print_json, sub_app,
)
from revteam.errors import BadInput

app = sub_app()
FORMATS = ("auto", "salesforce", "hubspot", "csv")


def _run(run_import, engine, file: Path, *, as_json: bool, **options):
    """`run_import(engine, file, **options)`, with a progress bar on a terminal."""
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    if as_json or not sys.stdout.isatty() or os.environ.get("CI"):
        return run_import(engine, file, **options)
    progress = Progress(TextColumn("importing {task.fields[name]}"), BarColumn(), TextColumn("{task.completed:,} rows"),
                        TimeElapsedColumn(), console=console, transient=True)
    with progress:
        task = progress.add_task("import", total=None, name=file.name)
        return run_import(engine, file, on_progress=lambda rows: progress.advance(task, rows), **options)


def _print_summary(report) -> None:
    result = report.result
    console.print(f"batch {report.batch[:12]}: {result.rows:,} rows, {result.landed:,} landed "
                  f"({result.new_leads:,} new leads, {result.merged:,} merged), {len(result.refused):,} refused; "
                  f"accounts: {result.accounts_created:,} created, {result.accounts_matched:,} matched")
    if report.already_imported:
        console.print("this file was imported before: nothing new landed")
    elif report.chunks_skipped:
        console.print(f"resumed: {report.chunks_skipped} chunk(s) had landed before and were skipped")
    _print_lines(result.refused, "reason", "refused", more="use --json for all")
    _print_lines(result.warnings, "warning", "landed with warnings", more="each lead's history keeps its own")


_SHOWN_LINES = 20


def _print_lines(items: list[dict], key: str, heading: str, *, more: str) -> None:
    """Up to _SHOWN_LINES of what happened to file lines (a row can have several warnings)."""
    if not items:
        return
    console.print(f"{len({item['line'] for item in items}):,} row(s) {heading}:")
    for item in items[:_SHOWN_LINES]:
        console.print(f"  line {item['line']}: {item[key]}", markup=False)
    if len(items) > _SHOWN_LINES:
        console.print(f"  ... and {len(items) - _SHOWN_LINES:,} more ({more})")


@app.command("leads")
def leads(
    file: Annotated[Path, typer.Argument(help="A CSV export: Salesforce, HubSpot or revteam columns.")],
    format: Annotated[str, typer.Option(help="auto, salesforce, hubspot or csv.")] = "auto",
    mapping: Annotated[Path | None, typer.Option(help="YAML mapping of your columns to revteam fields.")] = None,
    db: DbOption = None,
    as_json: JsonOption = False,
    chunk_rows: Annotated[int | None, typer.Option(hidden=True, min=1, help="Rows per transaction.")] = None,
) -> None:
    """Import leads; every row lands or is reported with its line number and reason."""
    from revteam.leads.intake.importer import CHUNK_ROWS, import_file

    if format not in FORMATS:
        raise BadInput(f"unknown format {format!r}: choose {', '.join(FORMATS)}", where="--format")
    report = _run(import_file, open_database(db), file, as_json=as_json, format=format, mapping=mapping,
                  actor=f"import:{file.name}", chunk_rows=chunk_rows or CHUNK_ROWS)
    if as_json:
        print_json(report.as_json())
    else:
        _print_summary(report)


@app.command("activities")
def activities(
    file: Annotated[Path, typer.Argument(help="CSV: email,type,at[,channel,campaign,detail,count].")],
    now: NowOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
    chunk_rows: Annotated[int | None, typer.Option(hidden=True, min=1, help="Rows per transaction.")] = None,
) -> None:
    """Import touches (opens, clicks, visits, webinars, meetings...) of known people; they re-score their leads."""
    from revteam.leads.intake.activity_import import CHUNK_ROWS, import_activities

    report = _run(import_activities, open_database(db), file, as_json=as_json, actor=f"import:{file.name}",
                  now=moment_or_now(now), chunk_rows=chunk_rows or CHUNK_ROWS)
    if as_json:
        print_json(report.as_json())
        return
    result = report.result
    console.print(f"batch {report.batch[:12]}: {result.rows:,} rows, {result.landed:,} landed ({result.touches:,} "
                  f"touches: {result.on_leads:,} rows on open leads, {result.on_people:,} on people without one), "
                  f"{result.duplicates:,} had landed before, {len(result.refused):,} refused; "
                  f"{result.leads_rescored:,} leads re-scored, {result.qualified:,} became MQLs")
    if report.already_imported:
        console.print("this file was imported before: nothing new landed")
    _print_lines(result.refused, "reason", "refused", more="use --json for all")


@app.command("subscriptions")
def subscriptions(
    file: Annotated[Path, typer.Argument(help="CSV: account,subscription,date,mrr,seats,term_months[,currency,plan].")],
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Import subscription changes; each row sets that subscription's MRR and seats from its date on."""
    from revteam.revenue.importer import import_subscriptions

    report = import_subscriptions(open_database(db), file, actor=f"import:{file.name}")
    if as_json:
        print_json(report.as_json())
        return
    console.print(f"batch {report.batch[:12]}: {report.rows:,} rows, {report.landed:,} landed, "
                  f"{len(report.refused):,} refused; {report.accounts_created:,} accounts and "
                  f"{report.subscriptions_created:,} subscriptions created")
    if report.as_json()["already_imported"]:
        console.print("this file was imported before: nothing new landed")
    for refusal in report.refused[:20]:
        console.print(f"  line {refusal['line']}: {refusal['reason']}", markup=False)


@app.command("bounces")
def bounces(
    file: Annotated[Path, typer.Argument(help="CSV: email,at[,reason] — hard bounces from your mail provider.")],
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Import hard bounces; each stops every later touch to its person (a re-run changes nothing)."""
    from revteam.outreach.bounces import import_bounces

    with database_session(db) as session:
        report = import_bounces(session, file)
    if as_json:
        print_json(report.as_json())
        return
    console.print(f"{report.rows:,} rows: {report.suppressed:,} people suppressed, {report.already:,} suppressed "
                  f"before, {report.kept:,} kept for addresses nobody has yet, {len(report.refused):,} refused")
    _print_lines(report.refused, "reason", "refused", more="use --json for all")
