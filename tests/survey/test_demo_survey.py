"""The demo's two survey rounds: every invited member answers, and the answers follow the records."""

from datetime import date
from statistics import fmean

from revteam.db.session import session_scope
from revteam.demo.generator import generate
from revteam.demo.survey import records_centre
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


def _round(session, name: str, trend: dict) -> dict:
    report = service.round_results(session, name)
    evidence = {line["statement"]: line["records"] for line in report["evidence"]}
    known = {statement: records for statement, records in evidence.items() if records is not None}
    return {"score": report["overall"]["score"], "answered": report["statements"], "records": evidence,
            "centre": records_centre(known, trend[name])}


def test_between_the_demos_rounds_the_answers_move_the_way_the_records_do(engine):
    generate(engine, size="small", seed=3, as_of=date(2026, 6, 30))
    with session_scope(engine) as session:
        trend = {row["round"]: row for row in service.trend(session)}
        first, second = (_round(session, name, trend) for name in ("alignment-1", "alignment-2"))
    assert (first["score"], second["score"]) == (68.96, 69.17)
    assert (round(first["centre"], 3), round(second["centre"], 3)) == (3.817, 3.835)  # every record, averaged
    rest = []
    for statement, before in first["answered"].items():
        moved = second["answered"][statement] - before
        if statement in first["records"]:
            records = second["records"][statement] - first["records"][statement]
            assert abs(moved - records) < 0.15, (statement, records, moved)
        else:
            records = second["centre"] - first["centre"]
            rest.append(moved)
        # Each person's leaning is the same in both rounds: no mean answer moves against its records.
        assert moved * records >= 0, (statement, records, moved)
    assert abs(fmean(rest) - (second["centre"] - first["centre"])) < 0.03  # whole answers, 23 people
