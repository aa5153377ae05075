"""The demo's two survey rounds: every invited member answers, and the answers follow the records."""

from datetime import date

from revteam.db.session import session_scope
from revteam.demo.generator import generate
from revteam.survey import service


def test_the_demo_holds_two_rounds_whose_answers_sit_near_the_records(engine):
    generate(engine, size="small", seed=3, as_of=date(2026, 6, 30))
    with session_scope(engine) as session:
        rounds = service.list_rounds(session)
        assert [r["id"] for r in rounds] == ["alignment-1", "alignment-2"]
        assert all(r["answers"] > 0 and r["closed"] for r in rounds)
        for listed in rounds:
            lines = [line for line in service.round_results(session, listed["id"])["evidence"]
                     if line["records"] is not None]
            assert lines and all(abs(line["answered"] - line["records"]) < 1.5 for line in lines)


def test_between_the_demos_rounds_the_answers_move_the_way_the_records_do(engine):
    generate(engine, size="small", seed=3, as_of=date(2026, 6, 30))
    with session_scope(engine) as session:
        first, second = ({line["statement"]: line for line in service.round_results(session, name)["evidence"]}
                         for name in ("alignment-1", "alignment-2"))
    moved = 0
    for statement, before in first.items():
        after = second[statement]
        records, answered = after["records"] - before["records"], after["answered"] - before["answered"]
        assert abs(answered - records) < 0.4, (statement, records, answered)
        if abs(records) >= 0.05:
            moved += 1
            assert records * answered > 0, (statement, records, answered)
    assert moved >= 1  # forecasts and blame improve over the small demo's year
