"""Go-to-market metrics: funnel by cohort, lead quality by source, speed to lead, rejections,
bookings to revenue. Each report is a JSON-ready dict naming the playbook version it used.

Shared definitions (the playbook's texts are quoted in each report's `definition`):
- Cohort: a lead counts in the month it was created, so a late conversion improves its own cohort.
- A lead reached a funnel step if it reached it or any later one (won implies opportunity implies
  accepted implies MQL), so conversions never exceed 100%.
- Medians and 90th percentiles are nearest-rank values (the smallest value at least that share of
  the group does not exceed), in steps of a tenth of a day or hour, rounded down; wall-clock time.
- Rates are fractions rounded to 6 places, None when the denominator is zero; money in minor units.
"""

from collections import Counter, defaultdict
from collections.abc import Iterable
from datetime import date, datetime
from math import ceil

from dateutil.relativedelta import relativedelta
from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from revteam.db.base import utcnow
from revteam.metrics import gtm_queries as q
from revteam.metrics.queries import tune_for_aggregates
from revteam.periods import Month, Period
from revteam.playbook.models import PlaybookVersion
from revteam.playbook.versions import active

FUNNEL_STEPS = q.FUNNEL_STEPS
FAIR_GAME = "rejected leads later won by a rep who had not rejected them"
BOOKINGS = ("MRR booked at the start of each won deal's subscription beside the MRR it brings today; "
            "bookings churned within the window stopped paying within {n} months of their start")
KEPT = ("customers won in the period (accounts of won deals that started a subscription) with a deal still paying "
        "{n} months after its subscription started, or not yet {n} months old")
REP_ACCEPTANCE = ("offers accepted of the offers made to the reps in the period that they decided: accepted, "
                  "rejected or let expire (open offers, and offers a manager withdrew before the rep decided, "
                  "are left out)")
REJECTIONS = "offers rejected, by the reject reason the rep gave and the lead's source (leads created in the period)"


def rate(part: int | None, whole: int | None) -> float | None:
    """part / whole rounded to 6 places; None when whole is zero."""
    return round((part or 0) / whole, 6) if whole else None


def nearest_rank(histogram: dict[int, int], share: float) -> float | None:
    """The share-th nearest-rank value of a histogram of tenths (bucket -> count); None if empty."""
    total = sum(histogram.values())
    if not total:
        return None
    rank, seen = max(1, ceil(share * total)), 0
    for bucket in sorted(histogram):
        seen += histogram[bucket]
        if seen >= rank:
            return bucket / 10
    raise AssertionError("unreachable: ranks never exceed the total")


def _header(session: Session, metric: str, period: Period, definition: str) -> dict:
    current = active(session)
    digest = session.scalar(select(PlaybookVersion.hash).where(PlaybookVersion.id == current.version_id))
    return {"metric": metric, "period": period.written(),
            "playbook_version": {"id": current.version_id, "hash": digest}, "definition": definition}


def _playbook_text(session: Session, name: str, fallback: str) -> str:
    found = active(session).playbook.metrics.get(name)
    return " ".join(found.description.split()) if found else fallback


def _start(session: Session, period: Period) -> None:
    tune_for_aggregates(session)


def _funnel_cohort(month: str, counts: Counter, histograms: dict[str, Counter], traffic: dict) -> dict:
    row = {"month": month, "visits": traffic.get("visits", 0), "signups": traffic.get("signups", 0),
           "leads": counts["lead"], **{step: counts[step] for step in FUNNEL_STEPS}}
    previous, conversion = "leads", {}
    for step in FUNNEL_STEPS:
        conversion[step] = rate(row[step], row[previous])
        previous = step
    row["conversion"] = {"signup": rate(row["signups"], row["visits"]), **conversion}
    row["median_days"] = {step: nearest_rank(histograms[step], 0.5) for step in FUNNEL_STEPS}
    return row


def _count_reached(counts: Counter, reached_bits: int, leads: int) -> None:
    """Add `leads` leads that reached the steps these bits say to a tally of leads and steps."""
    counts["lead"] += leads
    for bit, step in enumerate(FUNNEL_STEPS):
        counts[step] += leads if reached_bits & (1 << bit) else 0


def reached_by(session: Session, period: Period, by: str, seen: ColumnElement[bool] | None) -> dict[str, Counter]:
    """Per cohort or source ("unknown" when none): the leads `seen` selects (None: every lead) and how
    many reached each funnel step; the figures a viewer who sees fewer leads than the team is shown."""
    counts: dict[str, Counter] = defaultdict(Counter)
    for key, reached_bits, leads in q.reached_rows(session, period, by, seen):
        _count_reached(counts[key or "unknown"], reached_bits, leads)
    return counts


def funnel_report(session: Session, period: Period) -> dict:
    """Per creation cohort: visits, sign-ups, leads, MQL, accepted, opportunity, won; conversion and median days."""
    _start(session, period)
    counts: dict[str, Counter] = defaultdict(Counter)
    histograms: dict[str, dict[str, Counter]] = defaultdict(lambda: defaultdict(Counter))
    for cohort, step, bucket, leads in q.funnel_rows(session, period):
        if step == "reached":
            _count_reached(counts[cohort], bucket, leads)
        else:
            histograms[cohort][step][bucket] += leads
    traffic = q.traffic_by_month(session, period)
    cohorts = [_funnel_cohort(month, counts[month], histograms[month], traffic.get(month, {}))
               for month in sorted(counts)]
    total_counts, total_histograms = Counter(), defaultdict(Counter)
    for month in counts:
        total_counts.update(counts[month])
        for step, histogram in histograms[month].items():
            total_histograms[step].update(histogram)
    total_traffic = Counter()
    for figures in traffic.values():
        total_traffic.update(figures)
    report = _header(session, "funnel", period, _playbook_text(session, "funnel", "cohort funnel"))
    return {**report, "cohorts": cohorts, "total": _funnel_cohort("all", total_counts, total_histograms, total_traffic)}


def _speed_row(counts: list[int], histograms: dict[str, Counter]) -> dict:
    offers, accept_due, accept_met, touch_due, touch_met = counts
    return {
        "offers": offers,
        "accept_sla": {"due": accept_due, "met": accept_met, "rate": rate(accept_met, accept_due)},
        "first_touch_sla": {"due": touch_due, "met": touch_met, "rate": rate(touch_met, touch_due)},
        **{f"mql_to_{step}_hours": {"leads": sum(histograms[step].values()),
                                    "median": nearest_rank(histograms[step], 0.5),
                                    "p90": nearest_rank(histograms[step], 0.9)} for step in ("accept", "touch")},
    }


def _speed_tallies(session: Session, period: Period, now: datetime) -> tuple[dict, dict]:
    """Per rep id: the offer and SLA counts, and the histograms of hours from MQL to accept and touch."""
    _start(session, period)
    counts = {rep: [int(v or 0) for v in values] for rep, *values in q.speed_counts(session, period, now)}
    histograms: dict[int, dict[str, Counter]] = defaultdict(lambda: defaultdict(Counter))
    for rep, step, bucket, offers in q.speed_histograms(session, period):
        histograms[rep][step][bucket] += offers
    return counts, histograms


def speed_report(session: Session, period: Period, *, now: datetime | None = None) -> dict:
    """Per rep and team: median and p90 hours from MQL to accept and first touch, and SLA compliance."""
    counts, histograms = _speed_tallies(session, period, now or utcnow())
    names = q.rep_names(session)
    reps = sorted(counts, key=lambda rep: names[rep])
    rows = [{"rep": names[rep][0], "team": names[rep][1], **_speed_row(counts[rep], histograms[rep])} for rep in reps]
    teams = sorted({names[rep][1] for rep in reps})
    team_rows = [{"team": team, **_speed_sum([rep for rep in reps if names[rep][1] == team], counts, histograms)}
                 for team in teams]
    definition = _playbook_text(session, "speed_to_lead", "speed to lead")
    return {**_header(session, "speed", period, definition), "reps": rows, "teams": team_rows,
            "total": _speed_sum(reps, counts, histograms)}


def speed_of_groups(session: Session, period: Period, groups: dict[str, Iterable[int]], *,
                    now: datetime | None = None) -> dict[str, dict]:
    """The speed report's total row over the offers made to each group of reps (name -> rep ids)."""
    counts, histograms = _speed_tallies(session, period, now or utcnow())
    return {name: _speed_sum(reps, counts, histograms) for name, reps in groups.items()}


def speed_by_team(session: Session, period: Period, now: datetime, seen: ColumnElement[bool]) -> dict[str, Counter]:
    """Per team: the speed counts (SPEED_MEASURES) of the offers on the leads `seen` selects: the
    figures a viewer who sees fewer leads than the team is shown."""
    names, teams = q.rep_names(session), defaultdict(Counter)
    for rep, _offers, *counts in q.speed_counts(session, period, now, seen):
        teams[names[rep][1]].update(dict(zip(q.SPEED_MEASURES, (int(c or 0) for c in counts), strict=True)))
    return teams


def _speed_sum(reps: Iterable[int], counts: dict, histograms: dict) -> dict:
    summed, merged = [0] * 5, defaultdict(Counter)
    for rep in (rep for rep in reps if rep in counts):
        summed = [a + b for a, b in zip(summed, counts[rep], strict=True)]
        for step, histogram in histograms[rep].items():
            merged[step].update(histogram)
    return _speed_row(summed, merged)


def rep_acceptance(session: Session, period: Period, *, reps=None) -> dict:
    """Acceptance of the offers made in the period to the reps `reps` selects (ids; None for every rep):
    accepted of those the rep decided - accepted, rejected or let expire. Unlike the quality report's
    acceptance by source, an offer left to expire counts against the rep."""
    offers, accepted = q.acceptance_counts(session, period, reps)
    return {"definition": REP_ACCEPTANCE, "offers": offers, "accepted": accepted, "rate": rate(accepted, offers)}


def _quality_row(t: Counter) -> dict:
    return {
        "leads": t["leads"], "accepted_leads": t["accepted_leads"],
        "acceptance_rate": rate(t["offers_accepted"], t["offers_accepted"] + t["offers_rejected"]),
        "won": t["won"], "win_rate": rate(t["won"], t["disposed"]), "revenue_won": t["revenue_won"],
        "mrr_won": t["mrr_won"], "mrr_now": t["mrr_now"], "nrr": rate(t["mrr_now"], t["mrr_won"]),
    }


QUALITY_FIELDS = ("leads", "accepted_leads", "offers_accepted", "offers_rejected", "disposed", "won",
                  "revenue_won", "mrr_won", "mrr_now")


def quality_report(session: Session, period: Period, *, leads: ColumnElement[bool] | None = None) -> dict:
    """Per source and campaign, judged downstream: acceptance, win rate, revenue won, NRR of the customers won;
    of the leads `leads` selects (a condition on `Lead`), every lead when None."""
    _start(session, period)
    names = q.campaign_names(session)
    sources: dict[str, Counter] = defaultdict(Counter)
    campaigns: dict[str, list[dict]] = defaultdict(list)
    for source, campaign_id, *values in q.quality_rows(session, period, leads):
        tally = Counter(dict(zip(QUALITY_FIELDS, (int(v or 0) for v in values), strict=True)))
        source = source or "unknown"
        sources[source].update(tally)
        campaign = names.get(campaign_id, "no campaign") if campaign_id is not None else "no campaign"
        campaigns[source].append({"campaign": campaign, **_quality_row(tally)})
    rows = [{"source": source, **_quality_row(tally),
             "campaigns": sorted(campaigns[source], key=lambda c: (-c["revenue_won"], c["campaign"]))}
            for source, tally in sources.items()]
    rows.sort(key=lambda row: (-row["revenue_won"], row["source"]))
    total = Counter()
    for tally in sources.values():
        total.update(tally)
    definition = _playbook_text(session, "lead_quality", "lead quality judged downstream")
    return {**_header(session, "sources", period, definition), "sources": rows, "total": _quality_row(total)}


def rejection_report(session: Session, period: Period, *, leads: ColumnElement[bool] | None = None) -> dict:
    """Reject reasons by source, and rejected leads later won by another rep (fair game worked); the fair-game
    figure of the leads `leads` selects when given (the reasons are every lead's)."""
    _start(session, period)
    by_source: dict[str, Counter] = defaultdict(Counter)
    for source, reason, count in q.rejection_rows(session, period):
        by_source[source or "unknown"][reason or "none"] += count
    by_reason: dict[str, Counter] = defaultdict(Counter)
    for source, reasons in by_source.items():
        for reason, count in reasons.items():
            by_reason[reason][source] += count
    reasons = [{"reason": reason, "rejections": sum(sources.values()), "by_source": dict(sorted(sources.items()))}
               for reason, sources in by_reason.items()]
    reasons.sort(key=lambda row: (-row["rejections"], row["reason"]))
    fair = [{"source": source or "unknown", "rejected_leads": rejected, "won_by_another_rep": int(won or 0),
             "share": rate(won, rejected), "revenue_won": int(revenue or 0)}
            for source, rejected, won, revenue in q.fair_game_rows(session, period, leads)]
    fair.sort(key=lambda row: row["source"])
    totals = {key: sum(row[key] for row in fair) for key in ("rejected_leads", "won_by_another_rep", "revenue_won")}
    return {**_header(session, "rejections", period, REJECTIONS), "reasons": reasons,
            "fair_game": {"definition": FAIR_GAME, **totals,
                          "share": rate(totals["won_by_another_rep"], totals["rejected_leads"]), "by_source": fair}}


def _stopped_within(start_day: date, stopped_on: date | None, months: int) -> bool:
    """Whether a subscription stopped paying within `months` of its start (the bookings window)."""
    return stopped_on is not None and stopped_on < start_day + relativedelta(months=months)


def _churned_within(session: Session, period: Period, months: int,
                    leads: ColumnElement[bool] | None) -> dict[str, Counter]:
    churned: dict[str, Counter] = defaultdict(Counter)
    for closed_on, start_day, stopped_on, mrr in q.churned_bookings(session, period, leads):
        if _stopped_within(start_day, stopped_on, months):
            month = str(Month.of(closed_on))
            churned[month]["churned_within_window"] += 1
            churned[month]["mrr_churned_within_window"] += int(mrr or 0)
    return churned


def _booking_row(month: str, t: Counter) -> dict:
    return {"month": month, "bookings": t["bookings"], "contract_value": t["contract_value"],
            "mrr_booked": t["mrr_booked"], "mrr_realized": t["mrr_realized"],
            "realized_share": rate(t["mrr_realized"], t["mrr_booked"]),
            "churned_within_window": t["churned_within_window"],
            "mrr_churned_within_window": t["mrr_churned_within_window"],
            "churned_share": rate(t["churned_within_window"], t["bookings"])}


def bookings_report(session: Session, period: Period, *, leads: ColumnElement[bool] | None = None) -> dict:
    """Per month won: MRR booked vs realized today, and bookings that churned within the playbook's window;
    of the deals on the leads `leads` selects when given."""
    _start(session, period)
    window = active(session).playbook.bookings_churn_window_months
    months: dict[str, Counter] = defaultdict(Counter)
    for month, bookings, value, booked, realized in q.booking_rows(session, period, leads):
        months[month].update({"bookings": bookings, "contract_value": int(value or 0), "mrr_booked": int(booked),
                              "mrr_realized": int(realized)})
    for month, churned in _churned_within(session, period, window, leads).items():
        months[month].update(churned)
    total = Counter()
    for tally in months.values():
        total.update(tally)
    return {**_header(session, "bookings", period, BOOKINGS.format(n=window)), "window_months": window,
            "months": [_booking_row(month, months[month]) for month in sorted(months)],
            "total": _booking_row("all", total)}


def kept_customers(session: Session, period: Period, *, leads: ColumnElement[bool] | None = None) -> dict:
    """Customers won in the period (accounts of won deals that started a subscription; of the deals on the
    leads `leads` selects) and, of them, those kept: with a deal whose subscription did not stop paying
    within the playbook's bookings window of its start. `accounts` are the kept ones' ids, in order."""
    window = active(session).playbook.bookings_churn_window_months
    kept: dict[int, bool] = {}
    for account_id, start_day, stopped_on in q.won_subscriptions(session, period, leads):
        kept[account_id] = kept.get(account_id, False) or not _stopped_within(start_day, stopped_on, window)
    accounts = sorted(account for account, stayed in kept.items() if stayed)
    return {"definition": KEPT.format(n=window), "won": len(kept), "kept": len(accounts),
            "churned_within_window": len(kept) - len(accounts), "window_months": window, "accounts": accounts}


REPORTS = {"funnel": funnel_report, "sources": quality_report, "speed": speed_report,
           "rejections": rejection_report, "bookings": bookings_report}
