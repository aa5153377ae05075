"""The survey's blame evidence on a hand-built history through the real flow: rejections disputed,
re-routed to another rep, or later won by another rep, each lead counted once, each figure linking to
exactly its leads.

On top of test_gtm_story.py's story (`fair_game`: rejected not_ready, re-routed by dana against the
reason's default, won by the other SDR) four more February leads are each rejected once:
- `passed_on`: no_capacity, dana takes the reason's default: re-routed to the other SDR, not disputed;
- `kept_back`: not_ready, dana takes the default: back to cultivation, neither;
- `overruled`: no_capacity, dana sends it to cultivation against the default: disputed;
- `nobody`: no_capacity, the default re-route finds no rep (the other SDR is away): returned, neither.
"""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, update

from revteam.db.session import session_scope
from revteam.leads.flow.actions import evaluate_lead, reject_lead, route_lead
from revteam.leads.models import Lead
from revteam.metrics.blame import blame_report
from revteam.metrics.scorecard import lead_filters
from revteam.periods import Period
from revteam.survey import rules, service
from revteam.users.models import User

from test_gtm_story import _lead, _owner, _user, outbox, story  # noqa: F401 - fixtures

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
CLOSES = datetime(2026, 6, 30, 12, 0, tzinfo=UTC)
PERIOD = Period.parse("2026-01", "2026-06")


def _reject_and_evaluate(engine, lead_id: int, reason: str, *, to: str | None, at: datetime,
                         away: bool = False) -> None:
    with session_scope(engine) as session:
        route_lead(session, lead_id=lead_id, actor=_user(session, "mia@acme.io"), now=at)
        rep = _owner(session, lead_id)
        reject_lead(session, lead_id=lead_id, actor=rep, reason=reason, now=at + timedelta(hours=1))
        if away:
            session.execute(update(User).where(User.role == "sales", User.id != rep.id).values(available=False))
        evaluate_lead(session, lead_id=lead_id, actor=_user(session, "dana@acme.io"), to=to,
                      now=at + timedelta(hours=2))
        session.execute(update(User).values(available=True))


@pytest.fixture
def blamed(story, engine, make_lead, clock):
    ids = {name: _lead(engine, make_lead, qualified_after=timedelta(hours=6))
           for name in ("passed_on", "kept_back", "overruled", "nobody")}
    monday = clock.after(days=7)
    _reject_and_evaluate(engine, ids["passed_on"], "no_capacity", to=None, at=monday)
    _reject_and_evaluate(engine, ids["kept_back"], "not_ready", to=None, at=monday + timedelta(hours=3))
    _reject_and_evaluate(engine, ids["overruled"], "no_capacity", to="cultivation", at=monday + timedelta(hours=4))
    _reject_and_evaluate(engine, ids["nobody"], "no_capacity", to=None, at=monday + timedelta(hours=5), away=True)
    return {**story, **ids}


def _leads(engine, which: str) -> set[int]:
    with session_scope(engine) as session:
        return set(session.scalars(select(Lead.id).where(*lead_filters(blame=which))))


def test_the_history_is_what_the_figures_count(blamed, engine):
    with session_scope(engine) as session:
        states = {name: session.get(Lead, blamed[name]).state for name in ("passed_on", "kept_back", "overruled",
                                                                          "nobody")}
    assert states == {"passed_on": "routed", "kept_back": "cultivating", "overruled": "cultivating",
                      "nobody": "cultivating"}


def test_blame_counts_each_rejected_lead_disputed_rerouted_or_won_by_another_rep_once(blamed, engine):
    with session_scope(engine) as session:
        report = blame_report(session, PERIOD)
    assert {k: report[k] for k in ("rejected", "disputed", "rerouted", "won", "blamed", "share")} == {
        "rejected": 5, "disputed": 2, "rerouted": 2, "won": 1, "blamed": 3, "share": 0.6}


def test_each_blame_figure_selects_exactly_its_leads(blamed, engine):
    assert _leads(engine, "disputed") == {blamed["fair_game"], blamed["overruled"]}
    assert _leads(engine, "rerouted") == {blamed["fair_game"], blamed["passed_on"]}
    assert _leads(engine, "won") == {blamed["fair_game"]}
    assert _leads(engine, "blamed") == {blamed["fair_game"], blamed["passed_on"], blamed["overruled"]}
    assert _leads(engine, "rejected") == {blamed[name] for name in ("fair_game", "passed_on", "kept_back",
                                                                      "overruled", "nobody")}


def test_the_survey_blame_line_says_the_records_and_links_every_part(blamed, engine):
    with session_scope(engine) as session:
        rules.open_round(session, name="h1", closes_at=CLOSES, invite=None, actor="root@acme.io", now=NOW)
    with session_scope(engine) as session:
        report = service.round_results(session, "h1", now=CLOSES + timedelta(days=1))
    [line] = [line for line in report["evidence"] if line["evidence"] == "blame"]
    assert line["figure"] == {"part": 3, "whole": 5, "share": 0.6, "disputed": 2, "rerouted": 2, "won": 1}
    assert line["records"] == 2.6  # 5 - 4 x 3/5
    assert line["source"] == ("3 of 5 rejected leads were disputed (2), re-routed to another rep (2) "
                              "or later won by another rep (1)")
    links = {link["link"]: link["count"] for link in line["links"]}
    assert links == {f"/leads?blame={which}&from=2026-01&to=2026-06": count
                     for which, count in (("blamed", 3), ("disputed", 2), ("rerouted", 2), ("won", 1), ("rejected", 5))}
