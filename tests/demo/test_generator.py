"""The demo company: reproducible from its seed, and as realistic as it promises."""

import hashlib
from datetime import date

import pytest
from sqlalchemy import Engine, text

from revteam.db.migrate import upgrade
from revteam.db.session import get_engine, session_scope
from revteam.demo.generator import STAGES, generate
from revteam.demo.plan import MIN_EVENTS_PER_LEAD, PROMISED_RATES
from revteam.errors import BadInput
from revteam.playbook.versions import ensure_default

AS_OF = date(2026, 3, 1)

DIGEST_QUERIES = (
    "SELECT id, email, role, sales_role, team_id, pod_id, password_hash FROM users ORDER BY id",
    "SELECT id, name, domain, industry, employees, country, owner_id, pod_id, created_at FROM accounts ORDER BY id",
    "SELECT id, account_id, email, phone_e164, title, committee_role, country FROM people ORDER BY id",
    "SELECT id, name, channel, cost_minor, started_on FROM campaigns ORDER BY id",
    "SELECT id, person_id, account_id, campaign_id, state, owner_id, source, fit_score, engagement_score,"
    " is_mql, created_at, updated_at FROM leads ORDER BY id",
    "SELECT id, person_id, lead_id, type, at FROM activities ORDER BY id",
    # init stamps playbook.activated with the wall clock; everything after it is the generator's.
    "SELECT id, type, subject_type, subject_id, actor, at, data FROM events"
    " WHERE type != 'playbook.activated' ORDER BY id",
)

RATE_QUERIES = {
    "mql": "SELECT avg(is_mql) FROM leads",
    "accept": "SELECT 1.0 * sum(type = 'lead.accepted') / sum(type IN ('lead.accepted', 'lead.rejected')) FROM events",
    "reject": "SELECT 1.0 * sum(type = 'lead.rejected') / sum(type IN ('lead.accepted', 'lead.rejected')) FROM events",
    "win": "SELECT 1.0 * sum(state = 'won') / sum(state IN ('won', 'lost', 'not_a_lead')) FROM leads",
    # Churned customers per customer-year: each won deal counts from its win to its churn or the as-of date.
    "churn": f"""
        SELECT 1.0 * count(churned.id)
               / sum((julianday(coalesce(churned.at, '{AS_OF}')) - julianday(won.at)) / 365.25)
        FROM events won LEFT JOIN events churned
          ON churned.type = 'customer.churned'
         AND json_extract(churned.data, '$.lead_id') = json_extract(won.data, '$.lead_id')
        WHERE won.type = 'customer.won'""",
}


def _new_database(path) -> Engine:
    engine = get_engine(f"sqlite:///{path}")
    upgrade(engine)
    with session_scope(engine) as session:
        ensure_default(session)
    return engine


def _generated(path, seed: int) -> Engine:
    engine = _new_database(path)
    generate(engine, size="small", seed=seed, as_of=AS_OF)
    return engine


def _digest(engine: Engine) -> str:
    digest = hashlib.sha256()
    with engine.connect() as connection:
        for query in DIGEST_QUERIES:
            for row in connection.execute(text(query)):
                digest.update(repr(tuple(row)).encode())
    return digest.hexdigest()


def _scalar(engine: Engine, query: str):
    with engine.connect() as connection:
        return connection.execute(text(query)).scalar()


def _rows(engine: Engine, query: str) -> list:
    with engine.connect() as connection:
        return connection.execute(text(query)).all()


@pytest.fixture(scope="module")
def small(tmp_path_factory) -> Engine:
    return _generated(tmp_path_factory.mktemp("demo") / "small.db", seed=7)


def test_same_seed_gives_identical_company(small, tmp_path):
    again = _generated(tmp_path / "again.db", seed=7)
    assert _digest(again) == _digest(small)


def test_different_seed_gives_different_company(small, tmp_path):
    other = _generated(tmp_path / "other.db", seed=8)
    assert _digest(other) != _digest(small)


@pytest.mark.parametrize("rate", sorted(PROMISED_RATES))
def test_rate_is_within_its_promised_range(small, rate):
    low, high = PROMISED_RATES[rate]
    assert low <= _scalar(small, RATE_QUERIES[rate]) <= high


def test_small_size_has_its_leads_and_accounts(small):
    assert 2_900 <= _scalar(small, "SELECT count(*) FROM leads") <= 3_100
    assert _scalar(small, "SELECT count(*) FROM accounts") == 300


def test_every_lead_has_a_history_of_ten_events_on_average(small):
    events = _scalar(small, "SELECT count(*) FROM events WHERE subject_type = 'lead'")
    assert events >= MIN_EVENTS_PER_LEAD * _scalar(small, "SELECT count(*) FROM leads")
    assert _scalar(small, "SELECT count(*) FROM leads WHERE id NOT IN "
                          "(SELECT subject_id FROM events WHERE type = 'lead.captured')") == 0


def test_leads_span_at_least_24_months(small):
    days = _scalar(small, "SELECT julianday(max(created_at)) - julianday(min(created_at)) FROM leads")
    assert days >= 24 * 30.44


def test_weekdays_are_busier_than_weekends(small):
    per_day = dict(_rows(small, "SELECT strftime('%w', created_at), count(*) FROM leads GROUP BY 1"))
    weekday = sum(per_day[day] for day in "12345") / 5
    weekend = (per_day["0"] + per_day["6"]) / 2
    assert weekend < 0.3 * weekday


def test_fourth_quarter_is_busier_than_august(small):
    # Leads per calendar month, averaged over the years that month appears in the window.
    monthly = dict(_rows(small, "SELECT strftime('%m', created_at), "
                                "count(*) * 1.0 / count(DISTINCT strftime('%Y', created_at)) FROM leads GROUP BY 1"))
    assert min(monthly["10"], monthly["11"], monthly["12"]) > monthly["08"]


def test_open_leads_are_recent_and_old_leads_are_disposed_or_cultivating(small):
    old_open = _scalar(small, "SELECT count(*) FROM leads WHERE state IN ('routed', 'accepted', 'rejected', 'mql') "
                              f"AND created_at < date('{AS_OF}', '-12 months')")
    assert old_open == 0
    assert _scalar(small, "SELECT count(*) FROM leads WHERE state = 'accepted'") > 0


def test_rejections_carry_a_playbook_reason(small):
    reasons = {row[0] for row in _rows(
        small, "SELECT DISTINCT json_extract(data, '$.reason') FROM events WHERE type = 'lead.rejected'")}
    assert reasons and reasons <= {"not_ready", "missing_contact", "wrong_territory", "no_capacity",
                                   "duplicate", "bad_fit", "wrong_person"}


def test_some_leads_use_free_mail_and_some_people_only_a_phone(small):
    free = _scalar(small, "SELECT avg(p.email LIKE '%@gmail.com' OR p.email LIKE '%@yahoo.com' OR "
                          "p.email LIKE '%@outlook.com' OR p.email LIKE '%@hotmail.com' OR "
                          "p.email LIKE '%@icloud.com' OR p.email LIKE '%@proton.me') "
                          "FROM leads l JOIN people p ON p.id = l.person_id")
    assert 0.10 <= free <= 0.20
    assert _scalar(small, "SELECT count(*) FROM people WHERE email IS NULL AND phone_e164 IS NOT NULL") > 0


def test_demo_users_share_one_password_hash_and_include_the_admin(small):
    assert _scalar(small, "SELECT count(DISTINCT password_hash) FROM users") == 1
    assert _scalar(small, "SELECT role FROM users WHERE email = 'admin@demo.revteam.dev'") == "admin"


def test_a_database_with_leads_is_refused(small):
    with pytest.raises(BadInput, match="already holds"):
        generate(small, size="small", seed=7, as_of=AS_OF)


def test_an_unknown_size_is_refused(tmp_path):
    with pytest.raises(BadInput, match="unknown demo size"):
        generate(_new_database(tmp_path / "empty.db"), size="huge", seed=1, as_of=AS_OF)


def test_later_features_can_append_stages():
    names = [stage.__name__ for stage in STAGES]
    in_order = ["lead_stage", "flow_stage", "cultivation_stage", "customer_stage", "revenue_stage",
                "milestone_stage", "survey_stage", "id_sequence_stage", "comp_stage"]
    assert [name for name in names if name in in_order] == in_order
