"""`revteam import bounces FILE`: email,at[,reason]; refusals by line, the others land (an address nobody
has yet is kept), a re-run changes nothing."""

import json

BOUNCES = ("email,at,reason\n"
           "pat@company1.com,2026-03-02T15:00:00Z,550 5.1.1 user unknown\n"
           "nobody@nowhere.com,2026-03-02T15:00:00Z,550\n"
           "not-an-email,2026-03-02T15:00:00Z,550\n"
           "sam@company2.com,yesterday,550\n"
           "sam@company2.com,2026-03-02T16:00:00Z\n")


def _import(cli, db_url, tmp_path, text: str = BOUNCES, *extra: str):
    path = tmp_path / "bounces.csv"
    path.write_text(text, encoding="utf-8")
    return path, cli("import", "bounces", path, "--db", db_url, *extra)


def test_bounces_land_and_each_bad_row_is_refused_with_its_line(cli, db_url, tmp_path, pat_and_sam, suppressions,
                                                                suppressed_events):
    path, result = _import(cli, db_url, tmp_path, BOUNCES, "--json")
    assert result.code == 0, result.err
    report = json.loads(result.out)
    assert (report["rows"], report["suppressed"], report["already_suppressed"]) == (5, 1, 0)
    assert report["kept_for_unknown_address"] == 1  # nobody@nowhere.com: kept for whoever arrives with it
    refused = {row["line"]: row["reason"] for row in report["refused"]}
    assert set(refused) == {4, 5, 6}
    assert refused[4].startswith(f"{path}:4: email: ")
    assert refused[5] == f"{path}:5: at: 'yesterday' is not a time (ISO 8601, e.g. 2026-03-02T15:00:00Z)"
    assert refused[6] == f"{path}:6: 2 fields where the header has 3"
    pat, _ = pat_and_sam
    assert [kind for _, kind, _ in suppressions()] == ["bounce"]
    [event] = suppressed_events(pat)
    assert event.data["reason"] == "hard bounce: 550 5.1.1 user unknown"


def test_a_rerun_of_the_same_file_changes_nothing(cli, db_url, tmp_path, pat_and_sam, suppressions, suppressed_events):
    _import(cli, db_url, tmp_path)
    _, again = _import(cli, db_url, tmp_path, BOUNCES, "--json")
    report = json.loads(again.out)
    assert (report["suppressed"], report["already_suppressed"], report["kept_for_unknown_address"]) == (0, 2, 0)
    assert len(suppressions()) == 1 and len(suppressed_events(pat_and_sam[0])) == 1


def test_the_reason_column_is_optional(cli, db_url, tmp_path, pat_and_sam, suppressions):
    _, result = _import(cli, db_url, tmp_path, "email,at\nsam@company2.com,2026-03-02 16:00\n")
    assert result.code == 0 and "1 people suppressed" in result.out
    assert [(kind, reason) for _, kind, reason in suppressions()] == [("bounce", "hard bounce")]


def test_a_file_with_other_columns_is_refused_at_its_header(cli, db_url, tmp_path, pat_and_sam, suppressions):
    path, result = _import(cli, db_url, tmp_path, "address,when\npat@company1.com,2026-03-02\n")
    assert result.code == 2
    assert f"{path}:1: the header is 'address,when'" in result.err
    assert suppressions() == []
