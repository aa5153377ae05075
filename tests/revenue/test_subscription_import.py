"""`revteam import subscriptions FILE`: every row lands or is refused with its line; re-runs add nothing."""

import json

import pytest
from sqlalchemy import func, select, text

from revteam.accounts.models import Account
from revteam.db.session import session_scope
from revteam.revenue import importer
from revteam.revenue.models import SubscriptionChange
from revteam.revenue.rows import parse_money

HEADER = "account,subscription,date,mrr,seats,term_months\n"


def _import(cli, db_url, path, *extra):
    result = cli("import", "subscriptions", path, "--json", "--db", db_url, *extra)
    assert result.code == 0, result.err
    return json.loads(result.out)


def _count(engine, model) -> int:
    with engine.connect() as connection:
        return connection.execute(select(func.count()).select_from(model)).scalar_one()


@pytest.fixture
def history(tmp_path):
    path = tmp_path / "subs.csv"
    path.write_text(HEADER + "acme.io,a1,2024-01-15,100.00,10,1\nacme.io,a1,2024-02-15,120.5,12,1\n", encoding="utf-8")
    return path


def test_money_in_major_units_is_stored_in_minor_units(history, cli, db_url, engine):
    _import(cli, db_url, history)
    with engine.connect() as connection:
        stored = connection.execute(select(SubscriptionChange.mrr_minor).order_by(SubscriptionChange.id)).scalars()
        assert list(stored) == [10000, 12050]


@pytest.mark.parametrize("text, minor", [("0", 0), ("1200.50", 120050), ("7.5", 750), ("19.99", 1999)])
def test_parse_money_reads_decimal_major_units(text, minor):
    assert parse_money(text) == minor


def test_reimporting_the_same_file_creates_nothing_new(history, cli, db_url, engine):
    first = _import(cli, db_url, history)
    again = _import(cli, db_url, history)
    assert _count(engine, SubscriptionChange) == 2
    assert again["batch"] == first["batch"] and again["already_imported"] is True


def test_bad_rows_are_refused_with_their_line_and_reason(tmp_path, cli, db_url, engine):
    path = tmp_path / "bad.csv"
    path.write_text(HEADER + "acme.io,a1,2024-01-15,100.00,10,1\n"
                    ",a1,2024-01-15,1,1,1\n"
                    "acme.io,a1,15/01/2024,1,1,1\n"
                    "acme.io,a1,2024-01-15,1.005,1,1\n"
                    "acme.io,a1,2024-01-15,-4,1,1\n"
                    "acme.io,a1,2024-01-15,4,1,0\n", encoding="utf-8")
    report = _import(cli, db_url, path)
    assert report["landed"] == 1
    reasons = {refusal["line"]: refusal["reason"] for refusal in report["refused"]}
    assert sorted(reasons) == [3, 4, 5, 6, 7]
    assert "account is empty" in reasons[3]
    assert "YYYY-MM-DD" in reasons[4]
    assert "1.005" in reasons[5] and "-4" in reasons[6]
    assert "term_months" in reasons[7]


def test_another_currency_is_refused(tmp_path, cli, db_url):
    path = tmp_path / "eur.csv"
    path.write_text("account,subscription,date,mrr,seats,term_months,currency\nacme.io,a1,2024-01-15,1,1,1,EUR\n")
    report = _import(cli, db_url, path)
    assert report["refused"] == [{"line": 2, "reason": "currency EUR is not the reporting currency USD"}]


def test_a_file_without_the_required_columns_lands_nothing(tmp_path, cli, db_url, engine):
    path = tmp_path / "nocols.csv"
    path.write_text("account,date,mrr\nacme.io,2024-01-15,1\n")
    result = cli("import", "subscriptions", path, "--db", db_url)
    assert result.code == 2
    assert "missing column(s) subscription, seats, term_months" in result.err
    assert _count(engine, SubscriptionChange) == 0


def test_a_known_account_is_matched_by_domain_or_name(tmp_path, cli, db_url, engine):
    with session_scope(engine) as session:
        session.add(Account(name="Globex Corporation", name_normalized="globex", domain="globex.com"))
    path = tmp_path / "known.csv"
    path.write_text(HEADER + "www.globex.com,g1,2024-01-01,5,1,1\nGlobex Corporation,g2,2024-01-01,5,1,1\n")
    report = _import(cli, db_url, path)
    assert report["accounts_created"] == 0
    assert _count(engine, Account) == 1


def test_a_crash_leaves_whole_chunks_and_a_rerun_finishes_without_duplicates(tmp_path, cli, db_url, engine,
                                                                                monkeypatch):
    path = tmp_path / "big.csv"
    path.write_text(HEADER + "".join(f"acct{i}.io,s,2024-01-{i + 1:02d},{i + 1},1,1\n" for i in range(6)))
    monkeypatch.setattr(importer, "CHUNK_ROWS", 2)
    real, calls = importer.land_changes, []

    def crash_on_second_chunk(session, rows, *args, **kwargs):
        calls.append(len(rows))
        if len(calls) == 2:
            raise RuntimeError("power cut")
        return real(session, rows, *args, **kwargs)

    monkeypatch.setattr(importer, "land_changes", crash_on_second_chunk)
    with pytest.raises(RuntimeError):
        importer.import_subscriptions(engine, path)
    assert _count(engine, SubscriptionChange) == 2
    monkeypatch.setattr(importer, "land_changes", real)
    report = importer.import_subscriptions(engine, path)
    assert (report.rows, report.landed, report.chunks_skipped) == (6, 6, 1)
    assert _count(engine, SubscriptionChange) == 6


def test_every_landed_row_writes_its_event(history, cli, db_url, engine):
    _import(cli, db_url, history)
    with engine.connect() as connection:
        types = connection.execute(text("SELECT type, count(*) FROM events WHERE subject_type IN "
                                        "('subscription', 'account') GROUP BY type")).all()
    assert dict(types) == {"subscription.changed": 2, "subscription.created": 1, "account.created": 1}
