"""Rounds through the real services and CLI: invitations, one answer each, CSV import, closing, evidence."""

import json
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select, update

from revteam.db.session import session_scope
from revteam.errors import BadInput, Conflict, Forbidden, InvalidMove
from revteam.events.models import Event
from revteam.events.service import record
from revteam.leads.models import Lead
from revteam.metrics import gtm
from revteam.metrics.views import record_view
from revteam.periods import Period
from revteam.revenue.health import record_health
from revteam.revenue.models import Opportunity
from revteam.survey import rules, service
from revteam.survey.models import SurveyResponse
from revteam.users.models import User
from revteam.web.charts import survey_trend_chart

from survey_answers import answers_totalling
from test_gtm_story import outbox, story  # noqa: F401 - fixtures

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
CLOSES = datetime(2026, 6, 30, 12, 0, tzinfo=UTC)


def _open(engine, name: str = "h1", invite=None):
    with session_scope(engine) as session:
        rules.open_round(session, name=name, closes_at=CLOSES, invite=invite, actor="root@acme.io", now=NOW)


def _answer(engine, email: str, answers: dict, name: str = "h1", now: datetime = NOW) -> None:
    with session_scope(engine) as session:
        user = session.scalar(select(User).where(User.email == email))
        rules.answer(session, name, user, answers, source="api", now=now)


def test_each_invited_member_answers_once_and_anonymously(engine, survey, alice, mia, sam):
    _open(engine)
    _answer(engine, alice.email, answers_totalling(survey, 70))
    with pytest.raises(Conflict, match="already answered"):
        _answer(engine, alice.email, answers_totalling(survey, 90))
    with session_scope(engine) as session:
        [response] = session.scalars(select(SurveyResponse)).all()
        assert (response.team, response.total, response.source) == ("sales", 70, "api")
        assert "alice" not in json.dumps(response.answers)
        [answered] = session.scalars(select(Event).where(Event.type == "survey.answered")).all()
        assert answered.data == {"team": "sales", "source": "api"}


def test_only_the_invited_answer_an_open_round(engine, survey, alice, mia):
    _open(engine, invite=["marketing"])
    with pytest.raises(Forbidden, match="alice@acme.io is not invited"):
        _answer(engine, alice.email, answers_totalling(survey, 70))
    with pytest.raises(InvalidMove, match="closed"):
        _answer(engine, mia.email, answers_totalling(survey, 70), now=CLOSES)


def test_a_bad_answer_names_the_statement_and_the_value(engine, survey, alice):
    _open(engine)
    answers = answers_totalling(survey, 70) | {"no_blame": 7}
    with pytest.raises(BadInput, match=r"answers\.no_blame: 7 is not a whole number from 1 to 5"):
        _answer(engine, alice.email, answers)
    with pytest.raises(BadInput, match="unknown statement 'typo'"):
        _answer(engine, alice.email, answers_totalling(survey, 70) | {"typo": 3})


def test_a_round_closed_by_hand_takes_no_more_answers(engine, survey, cli, db_url, alice):
    _open(engine)
    assert cli("survey", "close", "h1", "--now", "2026-06-02T00:00:00Z", "--db", db_url).code == 0
    with pytest.raises(InvalidMove, match="closed"):
        _answer(engine, alice.email, answers_totalling(survey, 70))
    listed = json.loads(cli("survey", "list", "--json", "--db", db_url).out)
    assert listed == [{"id": "h1", "opened": NOW.isoformat(), "closed": "2026-06-02T00:00:00+00:00", "answers": 0}]
    again = cli("survey", "close", "h1", "--db", db_url)
    assert again.code == 2 and "already closed" in again.err


def _csv(survey, rows: list[tuple[str, int]]) -> str:
    ids = [statement.id for statement in survey.every_statement()]
    lines = [",".join(["team", *ids])]
    for team, total in rows:
        answers = answers_totalling(survey, total)
        lines.append(",".join([team, *(str(answers[i]) for i in ids)]))
    return "\n".join(lines) + "\n"


def test_imported_answers_land_once_and_count_in_results(engine, survey, cli, db_url, tmp_path, alice):
    _open(engine)
    path = tmp_path / "answers.csv"
    path.write_text(_csv(survey, [("sales", 40), ("sales", 50), ("Sales", 60), ("success", 90)]), encoding="utf-8")
    first = json.loads(cli("survey", "import", "h1", str(path), "--json", "--db", db_url).out)
    assert first == {"round": "h1", "rows": 4, "imported": 4, "skipped": 0}
    second = json.loads(cli("survey", "import", "h1", str(path), "--json", "--db", db_url).out)
    assert second == {"round": "h1", "rows": 4, "imported": 0, "skipped": 4}
    report = json.loads(cli("survey", "results", "h1", "--json", "--db", db_url).out)
    assert report["teams"]["sales"] == {"score": 50.0, "stage": "Defined", "answers": 3}
    assert report["teams"]["success"] == {"score": None, "stage": None, "answers": 1}
    assert report["overall"] == {"score": None, "stage": None, "answers": 4}  # it would give the one success answer away


def test_a_bad_import_row_refuses_the_whole_file_naming_line_and_column(engine, survey, cli, db_url, tmp_path, alice):
    _open(engine)
    text = _csv(survey, [("sales", 40), ("sales", 50)]).replace("\nsales,", "\nlegal,", 1)
    text = text.rstrip("\n").rsplit(",", 1)[0] + ",9\n"
    path = tmp_path / "answers.csv"
    path.write_text(text, encoding="utf-8")
    result = cli("survey", "import", "h1", str(path), "--db", db_url)
    assert result.code == 2
    assert "line 2: team: team 'legal' is not one of marketing, sales, success" in result.err
    assert "line 3: column.expansion_credit: '9' is not a whole number" in result.err
    with session_scope(engine) as session:
        assert session.scalars(select(SurveyResponse)).all() == []


def test_members_read_their_own_team_and_managers_every_team(engine, survey, alice, mia, dana):
    _open(engine)
    with session_scope(engine) as session:
        mia_ = session.scalar(select(User).where(User.email == mia.email))
        dana_ = session.scalar(select(User).where(User.email == dana.email))
        assert set(service.round_results(session, "h1", viewer=mia_, now=NOW)["teams"]) == {"marketing"}
        assert set(service.round_results(session, "h1", viewer=dana_, now=NOW)["teams"]) == set(rules.TEAMS)


def _evidence(engine, name: str = "h1") -> dict[str, dict]:
    with session_scope(engine) as session:
        report = service.round_results(session, name, now=CLOSES + timedelta(days=1))
    return {line["evidence"]: line for line in report["evidence"]}


def test_forecasts_count_the_amount_won_by_its_expected_close(story, engine):
    with session_scope(engine) as session:
        late = session.scalar(select(Opportunity.id).where(Opportunity.lead_id == story["fair_game"]))
        session.execute(update(Opportunity).where(Opportunity.id == late).values(closed_on=date(2026, 3, 25)))
    _open(engine)
    line = _evidence(engine)["forecasts"]
    assert line["figure"] == {"part": 120000, "whole": 180000, "share": 0.666667}
    assert line["records"] == 3.67 and line["period"] == ["2026-01", "2026-06"]


def test_blame_counts_rejected_leads_disputed_rerouted_or_won_by_another_rep(story, engine):
    _open(engine)
    line = _evidence(engine)["blame"]  # fair_game: re-routed by dana against not_ready's default, then won
    assert (line["figure"], line["records"]) == (
        {"part": 1, "whole": 1, "share": 1.0, "disputed": 1, "rerouted": 1, "won": 1}, 1.0)


def test_one_definition_is_the_share_of_lead_decisions_under_the_rounds_playbook(story, engine, use_playbook):
    _open(engine)
    before = _evidence(engine)["one_definition"]["figure"]
    assert before["part"] == before["whole"] > 0
    use_playbook("mql_threshold: 60", "mql_threshold: 65")
    with session_scope(engine) as session:
        record(session, type="lead.scored", subject_type="lead", subject_id=story["cold"], actor="test",
               at=datetime(2026, 4, 1, tzinfo=UTC))
    after = _evidence(engine)["one_definition"]["figure"]
    assert (after["part"], after["whole"]) == (before["part"], before["whole"] + 1)


def test_shared_pipeline_counts_customers_checked_by_success_after_the_handoff(story, engine, sam):
    _open(engine)
    assert _evidence(engine)["shared_pipeline"]["figure"] == {"part": 0, "whole": 2, "share": 0.0}
    with session_scope(engine) as session:
        account = session.get(Lead, story["won_fast"]).account_id
        record_health(session, account_id=account, success_signals={}, happiness={}, actor=sam.email)
    line = _evidence(engine)["shared_pipeline"]
    assert (line["figure"], line["records"]) == ({"part": 1, "whole": 2, "share": 0.5}, 3.0)


def test_a_round_closes_by_its_date_and_lists_in_the_documented_shape(engine, survey, cli, db_url, alice):
    _open(engine)
    _answer(engine, alice.email, answers_totalling(survey, 70))
    before = json.loads(cli("survey", "list", "--now", "2026-06-29T00:00:00Z", "--json", "--db", db_url).out)
    assert before == [{"id": "h1", "opened": NOW.isoformat(), "closed": None, "answers": 1}]
    after = json.loads(cli("survey", "list", "--now", "2026-07-01T00:00:00Z", "--json", "--db", db_url).out)
    assert after == [{"id": "h1", "opened": NOW.isoformat(), "closed": CLOSES.isoformat(), "answers": 1}]
    with pytest.raises(InvalidMove, match="closed"):
        _answer(engine, alice.email, answers_totalling(survey, 90), now=CLOSES + timedelta(seconds=1))


def test_results_json_has_the_documented_shape(story, engine, survey, cli, db_url):
    _open(engine)
    report = json.loads(cli("survey", "results", "h1", "--now", "2026-07-01T00:00:00Z", "--json", "--db", db_url).out)
    assert {"overall", "teams", "gaps", "evidence"} <= set(report)
    assert {"score", "stage"} <= set(report["overall"]) and set(report["teams"]) == {"marketing", "sales", "success"}
    assert all({"score", "stage", "answers"} <= set(team) for team in report["teams"].values())
    assert all({"statement", "spread"} <= set(gap) for gap in report["gaps"])
    assert [line["statement"] for line in report["evidence"]] == [
        "forecasts_hold", "no_blame", "one_lead_definition", "shared_metrics", "one_pipeline"]
    assert all({"statement", "answered", "records", "source"} <= set(line) for line in report["evidence"])
    assert report["closed"] == CLOSES.isoformat()


def test_common_metrics_is_the_share_of_members_who_opened_the_common_pages(story, engine, sam):
    _open(engine)
    assert _evidence(engine)["common_metrics"]["figure"]["part"] == 0
    with session_scope(engine) as session:
        for email, day in (("mia@acme.io", 2), ("mia@acme.io", 3), (sam.email, 4)):
            user = session.scalar(select(User).where(User.email == email))
            record_view(session, user, page="dashboard", at=datetime(2026, 5, day, 9, tzinfo=UTC))
    line = _evidence(engine)["common_metrics"]
    members = line["figure"]["whole"]  # mia, sam, and alice, carl, bob and their manager dana in sales
    assert (line["figure"]["part"], members) == (2, 6) and line["records"] == round(1 + 4 * 2 / 6, 2)
    assert line["figure"]["teams"]["marketing"] == {"members": 1, "viewed": 1, "share": 1.0}
    assert "marketing 1 of 1, sales 0 of 4, success 1 of 1" in line["source"]


def test_the_blame_line_links_to_its_leads(story, engine):
    _open(engine)
    links = [(link["count"], link["link"]) for link in _evidence(engine)["blame"]["links"]]
    assert links == [(1, f"/leads?blame={which}&from=2026-01&to=2026-06")
                     for which in ("blamed", "disputed", "rerouted", "won", "rejected")]


def test_a_round_is_read_by_the_playbook_version_it_opened_under(engine, survey, use_playbook, alice, carl, dana):
    _open(engine, name="before")
    use_playbook("stage: Integrated", "stage: One revenue team")
    _open(engine, name="after")
    for name in ("before", "after"):
        for email in (alice.email, carl.email, dana.email):
            _answer(engine, email, answers_totalling(survey, 90), name=name)
    with session_scope(engine) as session:
        stages = {name: service.round_results(session, name, now=NOW)["overall"]["stage"] for name in ("before", "after")}
    assert stages == {"before": "Integrated", "after": "One revenue team"}


def test_the_trend_sets_each_rounds_score_beside_the_funnel_metrics_of_its_period(story, engine, survey, alice, carl,
                                                                                   dana):
    _open(engine)
    for email, total in ((alice.email, 60), (carl.email, 70), (dana.email, 80)):
        _answer(engine, email, answers_totalling(survey, total))
    after = CLOSES + timedelta(days=1)
    with session_scope(engine) as session:
        [row] = service.trend(session, now=after)
        period = Period.parse("2026-01", "2026-06")
        quality = gtm.quality_report(session, period)["total"]
        fair = gtm.rejection_report(session, period)["fair_game"]
        speed = gtm.speed_report(session, period, now=after)["total"]["mql_to_accept_hours"]["median"]
    assert (row["round"], row["period"], row["score"], row["stage"]) == ("h1", ["2026-01", "2026-06"], 70.0, "Aligned")
    assert (row["acceptance_rate"], row["nrr"]) == (quality["acceptance_rate"], quality["nrr"]) == (0.666667, 0.333333)
    assert row["rejected_then_won"] == fair["share"] == 1.0
    assert row["speed_to_lead_hours"] == speed is not None
    chart = json.loads(survey_trend_chart([row]))
    drawn = {dataset["label"]: dataset["data"] for dataset in chart["data"]["datasets"]}
    assert drawn == {"survey score": [70.0], "acceptance rate %": [66.7], "rejected then won %": [100.0],
                     "NRR %": [33.3], "speed to lead, median h": [speed]}
