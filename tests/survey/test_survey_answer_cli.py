"""`revteam survey answer`: from flags, from a file or asked on the terminal, stored as anonymously as
the web form stores it."""

import io
import json
from datetime import timedelta

from sqlalchemy import select

from revteam.db.session import session_scope
from revteam.survey.models import SurveyResponse

from survey_answers import answers_totalling
from test_survey_rounds import CLOSES, NOW, _open

AT = ("--now", (NOW + timedelta(hours=1)).isoformat())


def _stored(engine) -> list[tuple]:
    with session_scope(engine) as session:
        return [(r.team, r.total, r.source) for r in session.scalars(select(SurveyResponse).order_by(SurveyResponse.id))]


def test_a_member_answers_from_flags_and_the_answer_keeps_no_name(engine, survey, cli, db_url, alice):
    _open(engine)
    flags = [part for statement, value in answers_totalling(survey, 60).items()
             for part in ("--answer", f"{statement}={value}")]
    done = cli("survey", "answer", "h1", "--as", alice.email, *flags, *AT, "--db", db_url)
    assert done.code == 0, done.err
    assert _stored(engine) == [("sales", 60, "cli")]
    again = cli("survey", "answer", "h1", "--as", alice.email, *flags, *AT, "--db", db_url)
    assert again.code == 3 and "already answered" in again.err


def test_a_member_answers_from_a_file_and_a_bad_value_is_named(engine, survey, cli, db_url, mia, tmp_path):
    _open(engine)
    answers = answers_totalling(survey, 80)
    path = tmp_path / "answers.json"
    path.write_text(json.dumps({**answers, "no_blame": 9}))
    refused = cli("survey", "answer", "h1", "--as", mia.email, "--file", path, *AT, "--db", db_url)
    assert refused.code == 2 and "answers.no_blame" in refused.err and _stored(engine) == []
    path.write_text(json.dumps(answers))
    assert cli("survey", "answer", "h1", "--as", mia.email, "--file", path, *AT, "--db", db_url).code == 0
    assert _stored(engine) == [("marketing", 80, "cli")]


def test_without_answers_each_statement_is_asked_in_turn(engine, survey, cli, db_url, sam, monkeypatch):
    _open(engine)
    answers = answers_totalling(survey, 50)
    typed = "9\n" + "".join(f"{answers[s.id]}\n" for s in survey.every_statement())  # 9 is asked again
    monkeypatch.setattr("sys.stdin", io.StringIO(typed))
    done = cli("survey", "answer", "h1", "--as", sam.email, *AT, "--db", db_url)
    assert done.code == 0, done.err + done.out
    assert "a whole number from 1 to 5" in done.out
    assert _stored(engine) == [("success", 50, "cli")]


def test_a_closed_round_refuses_the_answer(engine, survey, cli, db_url, alice):
    _open(engine)
    flags = [part for statement, value in answers_totalling(survey, 60).items()
             for part in ("--answer", f"{statement}={value}")]
    late = cli("survey", "answer", "h1", "--as", alice.email, *flags, "--now", CLOSES.isoformat(), "--db", db_url)
    assert late.code == 2 and "closed" in late.err
