"""`revteam metrics ...`: the honest numbers, each beside its vanity version where one exists."""

from enum import StrEnum
from typing import Annotated

import typer
from rich.table import Table

from revteam.cli.common import (
    DbOption, FirstOption, JsonOption, LastOption, console, database_session, print_json, sub_app,
)
from revteam.errors import BadInput
from revteam.metrics.scorecard_kinds import BY, TEAMS
from revteam.periods import Period

app = sub_app()


def _percent(rate: float | None) -> str:
    return "-" if rate is None else f"{rate * 100:.1f}%"


def _money(minor: int) -> str:
    return f"{minor / 100:,.2f}"


def _print_report(report: dict) -> None:
    from revteam.metrics import service

    first, last = report["period"]
    table = Table("month", "MRR start", "new", "expansion", "reactivation", "contraction", "churn", "MRR end",
                  "customers",
                  title=f"MRR movements {first} to {last}")
    for m in report["months"]:
        table.add_row(m["month"], *(_money(m[k]) for k in ("mrr_start", "new", "expansion", "reactivation",
                                                            "contraction", "churn", "mrr_end")), f"{m['customers_end']:,}")
    console.print(table)
    r = report["retention"]
    console.print(f"cohort: {r['customers_start']:,} customers paying {_money(r['mrr_start'])} MRR before {first}; "
                  f"NRR {_percent(r['nrr'])}, GRR {_percent(r['grr'])}")
    churn = Table("churn", "naive (all customers)", "honest (could churn)")
    churn.add_row("logo", _percent(r["logo_churn"]["naive"]),
                  f"{_percent(r['logo_churn']['eligible'])} of {r['logo_churn']['eligible_customers']:,}")
    churn.add_row("revenue", _percent(r["revenue_churn"]["naive"]), _percent(r["revenue_churn"]["eligible"]))
    churn.add_row("gross revenue", _percent(r["gross_revenue_churn"]["naive"]),
                  _percent(r["gross_revenue_churn"]["eligible"]))
    churn.add_row("seats", _percent(r["seat_churn"]["naive"]), _percent(r["seat_churn"]["eligible"]))
    console.print(churn)
    for name, counts in r["what_they_count"].items():
        console.print(f"{name}: {counts}", soft_wrap=True, markup=False)
    console.print(f"why they differ: {service.WHY_THEY_DIFFER}", soft_wrap=True, markup=False)


@app.command("revenue")
def revenue(
    first: Annotated[str, typer.Option("--from", metavar="YYYY-MM", help="First month of the period.")],
    last: Annotated[str, typer.Option("--to", metavar="YYYY-MM", help="Last month of the period (included).")],
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """MRR movements per month, NRR/GRR, and naive vs honest logo, revenue and seat churn."""
    from revteam.metrics import service
    with database_session(db) as session:
        report = service.revenue_report(session, Period.parse(first, last))
    print_json(report) if as_json else _print_report(report)




def _gtm(name: str, first: str | None, last: str | None, db: str | None, as_json: bool, render) -> None:
    from revteam.metrics import gtm
    with database_session(db) as session:
        report = gtm.REPORTS[name](session, Period.parse(first, last))
    if as_json:
        print_json(report)
        return
    render(report)
    version = report["playbook_version"]
    console.print(f"definition: {report['definition']} (playbook version {version['id']})", soft_wrap=True,
                  markup=False, style="dim")


def _hours(figure: dict) -> str:
    median, p90 = figure["median"], figure["p90"]
    return "-" if median is None else f"{median:.1f} / {p90:.1f}"


def _days(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}"


def _render_funnel(report: dict) -> None:
    from revteam.metrics import gtm

    steps = gtm.FUNNEL_STEPS
    table = Table("cohort", "visits/sign-ups", "leads", *steps, "median days to each step",
                  title="Funnel by creation month (count and conversion from the step before)")
    table.columns[0].no_wrap = True
    for c in [*report["cohorts"], report["total"]]:
        table.add_row(c["month"], f"{c['visits']:,}/{c['signups']:,}", f"{c['leads']:,}",
                      *(f"{c[s]:,} ({_percent(c['conversion'][s])})" for s in steps),
                      " / ".join(_days(c["median_days"][s]) for s in steps))
    console.print(table)


def _render_sources(report: dict) -> None:
    table = Table("source / campaign", "leads", "accepted", "acceptance", "win rate", "revenue won", "NRR",
                  title="Lead quality by source, judged downstream (most revenue first)")
    for s in [*report["sources"], {"source": "all", **report["total"], "campaigns": []}]:
        table.add_row(s["source"], f"{s['leads']:,}", f"{s['accepted_leads']:,}", _percent(s["acceptance_rate"]),
                      _percent(s["win_rate"]), _money(s["revenue_won"]), _percent(s["nrr"]))
        for c in s["campaigns"][:3]:
            table.add_row(f"  {c['campaign']}", f"{c['leads']:,}", f"{c['accepted_leads']:,}",
                          _percent(c["acceptance_rate"]), _percent(c["win_rate"]), _money(c["revenue_won"]),
                          _percent(c["nrr"]))
    console.print(table)


def _render_speed(report: dict) -> None:
    table = Table("rep / team", "offers", "accept SLA", "first-touch SLA", "MQL→accept h (median / p90)",
                  "MQL→touch h (median / p90)", title="Speed to lead")
    rows = [(r["rep"], r) for r in report["reps"]] + [(f"team {t['team']}", t) for t in report["teams"]]
    for label, r in [*rows, ("all", report["total"])]:
        table.add_row(label, f"{r['offers']:,}", _percent(r["accept_sla"]["rate"]),
                      _percent(r["first_touch_sla"]["rate"]), _hours(r["mql_to_accept_hours"]),
                      _hours(r["mql_to_touch_hours"]))
    console.print(table)


def _render_rejections(report: dict) -> None:
    table = Table("reason", "rejections", "by source", title="Reject reasons")
    for r in report["reasons"]:
        table.add_row(r["reason"], f"{r['rejections']:,}", ", ".join(f"{s} {n}" for s, n in r["by_source"].items()))
    console.print(table)
    fair = report["fair_game"]
    console.print(f"fair game worked: {fair['won_by_another_rep']:,} of {fair['rejected_leads']:,} rejected leads "
                  f"({_percent(fair['share'])}) later won by another rep, {_money(fair['revenue_won'])} won")


def _render_bookings(report: dict) -> None:
    table = Table("month won", "bookings", "MRR booked", "MRR realized", "realized", "churned in window",
                  "MRR churned", title=f"Bookings to revenue (window {report['window_months']} months)")
    for m in [*report["months"], report["total"]]:
        table.add_row(m["month"], f"{m['bookings']:,}", _money(m["mrr_booked"]), _money(m["mrr_realized"]),
                      _percent(m["realized_share"]), f"{m['churned_within_window']:,}",
                      _money(m["mrr_churned_within_window"]))
    console.print(table)


@app.command("funnel")
def funnel(first: FirstOption = None, last: LastOption = None, db: DbOption = None, as_json: JsonOption = False) -> None:
    """Funnel by creation cohort: visit → sign-up → MQL → accepted → opportunity → won."""
    _gtm("funnel", first, last, db, as_json, _render_funnel)


@app.command("sources")
def sources(first: FirstOption = None, last: LastOption = None, db: DbOption = None, as_json: JsonOption = False) -> None:
    """Lead quality by source and campaign: acceptance, win rate, revenue won, NRR of the customers won."""
    _gtm("sources", first, last, db, as_json, _render_sources)


@app.command("speed")
def speed(first: FirstOption = None, last: LastOption = None, db: DbOption = None, as_json: JsonOption = False) -> None:
    """Speed to lead by rep and team: MQL to accept and first touch (median, p90), SLA compliance."""
    _gtm("speed", first, last, db, as_json, _render_speed)


@app.command("rejections")
def rejections(first: FirstOption = None, last: LastOption = None, db: DbOption = None,
               as_json: JsonOption = False) -> None:
    """Reject reasons by source, and rejected leads later won by another rep."""
    _gtm("rejections", first, last, db, as_json, _render_rejections)


@app.command("bookings")
def bookings(first: FirstOption = None, last: LastOption = None, db: DbOption = None,
             as_json: JsonOption = False) -> None:
    """Booked vs realized MRR per month won, and bookings churned within the playbook's window."""
    _gtm("bookings", first, last, db, as_json, _render_bookings)


@app.command("rebuild")
def rebuild(db: DbOption = None) -> None:
    """Derive every lead's milestones afresh from the records (after loading leads with raw SQL)."""
    from revteam.metrics.milestones import rebuild_milestones

    with database_session(db) as session:
        leads = rebuild_milestones(session)
    console.print(f"milestones derived for {leads:,} leads")


TeamChoice = StrEnum("TeamChoice", {team: team for team in TEAMS})
TeamOption = Annotated[TeamChoice | None, typer.Option("--team", help="One team's card (default: all three).")]
ByChoice = StrEnum("ByChoice", {by: by for by in BY})
ByOption = Annotated[ByChoice | None, typer.Option("--by", help="The same goals for each sales team, pod or rep.")]
PeriodOption = Annotated[str | None, typer.Option("--period", metavar="YYYY-MM[..YYYY-MM]",
                                                  help="A month or a range of them, instead of --from/--to.")]


def _period(first: str | None, last: str | None, period: str | None) -> Period:
    if period is None:
        return Period.parse(first, last)
    if first or last:
        raise BadInput("give --period or --from/--to, not both", where="--period")
    start, _, end = period.partition("..")
    return Period.parse(start, end or start)


def _render_scorecard(card: dict) -> None:
    s = card["shared"]
    kept = s["customers_kept"]
    table = Table("shared goal", "figure", title=f"Scorecard {card['period'][0] or '…'} to {card['period'][1] or '…'}")
    for label, value in (
            ("customers gained (won leads)", f"{s['customers_gained']['count']:,}"),
            ("customers healthy (won, latest check not at risk)", f"{s['customers_healthy']['count']:,}"),
            (f"customers kept ({kept['window_months']} months)", f"{kept['count']:,} of {kept['won']:,}"),
            ("NRR of the customers won", _percent(s["nrr"])),
            ("speed to lead, median h", _days(s["speed_to_lead_hours"])),
            ("acceptance of routed leads", _percent(s["acceptance_rate"])),
            ("rejected leads later won by another rep",
             f"{s['rejected_then_won']['count']:,} of {s['rejected_leads']['count']:,}")):
        table.add_row(label, value)
    console.print(table)
    if "groups" in card:
        _render_groups(card)
    for team, rows in card["teams"].items():
        seen = rows["common_metrics"]
        console.print(f"{team}: {seen['viewed']} of {seen['members']} members looked at the common metrics "
                      f"({_percent(seen['share'])})")


def _render_groups(card: dict) -> None:
    """One line per group: a table of nine columns does not fit a terminal."""
    console.print(f"[bold]Per {card['groups_definition']}[/]")
    for g in card["groups"]:
        kept = g["customers_kept"]
        console.print(f"{g['name']} ({g['members']}): gained {g['customers_gained']['count']:,}, healthy "
                      f"{g['customers_healthy']['count']:,}, kept {kept['count']:,} of {kept['won']:,}, NRR "
                      f"{_percent(g['nrr'])}, speed to lead {_days(g['speed_to_lead_hours'])} h, acceptance "
                      f"{_percent(g['acceptance_rate'])}, rejected then won {g['rejected_then_won']['count']:,} of "
                      f"{g['rejected_leads']['count']:,}", markup=False, soft_wrap=True)


@app.command("scorecard")
def scorecard_command(first: FirstOption = None, last: LastOption = None, period: PeriodOption = None,
                      team: TeamOption = None, by: ByOption = None, db: DbOption = None,
                      as_json: JsonOption = False) -> None:
    """The teams' shared goals: customers gained, healthy and kept, NRR, speed, acceptance, rejected then won;
    with --by, the same goals for each sales team, pod or rep."""
    from revteam.metrics import scorecard

    with database_session(db) as session:
        card = scorecard.scorecard(session, _period(first, last, period), team=team and team.value,
                                   by=by and by.value)
    print_json(card) if as_json else _render_scorecard(card)
