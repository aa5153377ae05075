"""`revteam cultivation ...`: the playbook's tracks, who is in them, and the enrollment sweep."""

from typing import Annotated

import typer
from rich.table import Table

from revteam.cli.common import (
    DbOption, FirstOption, JsonOption, LastOption, NowOption, console, database_session, moment_or_now, print_json,
    print_rows, sub_app,
)
from revteam.periods import Period

app = sub_app()


@app.command("tracks")
def tracks(db: DbOption = None, as_json: JsonOption = False) -> None:
    """The playbook's tracks in order, with the leads waiting at each step."""
    from revteam.cultivation import queries
    from revteam.playbook.versions import active

    with database_session(db) as session:
        summary = queries.track_summary(session, active(session).playbook)
    if as_json:
        print_json(summary)
        return
    table = Table("track", "stage", "step", "what", "waiting")
    for track in summary:
        table.add_row(f"{track['id']} ({track['enrolled']})", track["stage"], "", track["name"], "")
        for step in track["steps"]:
            table.add_row("", "", str(step["step"]), step["what"], str(step["waiting"]))
    console.print(table)


@app.command("list")
def list_enrolled(
    track: Annotated[str | None, typer.Option(help="Only this track's leads.")] = None,
    now: NowOption = None, db: DbOption = None, as_json: JsonOption = False,
) -> None:
    """Who is in which track, at which step, what runs next and when ("due in 3 h"), soonest first."""
    from revteam.cultivation import queries

    with database_session(db) as session:
        rows = queries.who_is_where(session, track=track, now=moment_or_now(now))
    print_rows(rows, as_json, ("lead", "track", "step", "next", "due"), lambda row: (
        str(row["lead_id"]), row["track"], f"{row['step']} of {row['steps']}", row["next_step"] or "",
        row["due"] or ""))


@app.command("show")
def show(lead_id: int, now: NowOption = None, db: DbOption = None, as_json: JsonOption = False) -> None:
    """A lead's latest track: stage, step, next step and when it is due."""
    from revteam.cultivation import queries
    from revteam.leads.service import get_lead
    from revteam.playbook.versions import active

    moment = moment_or_now(now)
    with database_session(db) as session:
        get_lead(session, lead_id)
        enrollment = queries.latest_enrollment(session, lead_id)
        view = queries.enrollment_view(enrollment, active(session).playbook, now=moment) if enrollment else None
    if as_json:
        print_json(view)
    elif view is None:
        console.print(f"lead {lead_id} was never in a track")
    else:
        upcoming = f"step {view['step']} of {view['steps']}: {view['next_step']}, {view['due']}" \
            if view["state"] == "active" else view["end_reason"]
        console.print(f"lead {lead_id}: {view['track']} ({view['stage']}) — {view['state']}; {upcoming}")


@app.command("stats")
def stats(first: FirstOption = None, last: LastOption = None, db: DbOption = None, as_json: JsonOption = False) -> None:
    """Each track judged downstream: of the leads that entered it in the period, how many graduated, were
    accepted by sales after graduating, won, and the revenue of those wins."""
    from revteam.cultivation.stats import track_stats
    with database_session(db) as session:
        report = track_stats(session, Period.parse(first, last))
    if as_json:
        print_json(report)
        return
    counts = ("entered", "active", "completed", "exited", "graduated", "accepted", "won")
    table = Table("track", *counts, "revenue")
    table.columns[0].no_wrap = table.columns[-1].no_wrap = True
    for row in [*report["tracks"], {"track": "total", **report["total"]}]:
        table.add_row(row["track"], *(f"{row[name]:,}" for name in counts), f"{row['revenue_minor'] / 100:,.2f}")
    console.print(table)
    first_month, last_month = report["period"]
    console.print(f"enrollments entered {first_month or 'from the start'} to {last_month or 'now'}; "
                  "outcomes counted up to now", style="dim")


@app.command("sweep")
def sweep(
    now: NowOption = None,
    limit: Annotated[int | None, typer.Option(
        help="Graduate, enroll and take out at most this many leads (default: one batch of the sweep job's).")] = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Graduate qualified leads, take out leavers and enroll waiting leads now, and keep the sweep job
    scheduled every quarter hour."""
    from revteam.cultivation import graduation, service

    moment = moment_or_now(now)
    with database_session(db) as session:
        batch = service.SWEEP_BATCH if limit is None else limit  # --limit 0 sweeps nothing, as before
        counts = graduation.sweep_with_graduation(session, now=moment, limit=batch)
        next_at = service.schedule_sweep(session, now=moment)
    if as_json:
        print_json({**counts, "next_sweep_at": next_at.isoformat()})
        return
    console.print(f"graduated {counts['graduated']}, enrolled {counts['enrolled']}, took out {counts['exited']}; next sweep at {next_at:%Y-%m-%d %H:%M} UTC")
