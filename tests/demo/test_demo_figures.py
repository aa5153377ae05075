"""The demo company's figures, computed by the product's own metric functions, are those of a
plausible B2B SaaS business; every lead explains its score; poor fits never become MQLs.

Seeds 1, 2 and 8 drifted out of these ranges before the generator drew its outcomes as spread
sequences (demo/plan.py spread), and the year's NRR or GRR of seeds 5, 6 and 12 until the reps'
closing got its own draw back: they stay here beside the default seed 7. Every seed from 1 to 12
holds every figure; the nearest to an edge are GRR 0.949 (seed 3) and 0.810 (seed 12), as the year's
cohort is some 40 customers, a few of them large."""

from collections import defaultdict
from datetime import date

import phonenumbers
import pytest
from sqlalchemy import Engine, func, select

from revteam.accounts.models import Person
from revteam.db.session import session_scope
from revteam.leads.models import Lead
from revteam.leads.scoring.explanation import score_explanations
from revteam.metrics import gtm, service
from revteam.periods import Month, Period
from revteam.playbook.versions import active
from revteam.revenue.models import Opportunity
from revteam.users.models import User

from tests.small_demo import small_demo

AS_OF = date(2026, 12, 1)
LAST = Month.of(AS_OF).plus(-1)
YEAR = Period(LAST.plus(-11), LAST)
HISTORY = Period(LAST.plus(-23), LAST)
MATURE = Period(LAST.plus(-23), LAST.plus(-6))  # cohorts whose deals had time to close


SEEDS = (7, 1, 2, 8, 5, 6, 12)


@pytest.fixture(scope="module", params=SEEDS, ids=[f"seed{seed}" for seed in SEEDS])
def demo(request, tmp_path_factory) -> Engine:
    return small_demo(tmp_path_factory.mktemp(f"figures-{request.param}"), AS_OF, seed=request.param)


def test_retention_is_that_of_a_healthy_saas(demo):
    with session_scope(demo) as session:
        retention = service.retention(session, YEAR)
    assert 0.95 <= retention.nrr <= 1.20
    assert 0.80 <= retention.grr <= 0.95


def test_new_business_outgrows_expansion_in_most_months(demo):
    with session_scope(demo) as session:
        months = service.monthly_movements(session, HISTORY)
    assert sum(month.new > month.expansion for month in months) > len(months) * 0.6


def test_opportunities_win_at_a_plausible_rate_varying_by_source_and_rep(demo):
    with session_scope(demo) as session:
        funnel = gtm.funnel_report(session, MATURE)
        sources = gtm.quality_report(session, MATURE)["sources"]
        by_rep = defaultdict(lambda: [0, 0])
        for rep, stage, count in session.execute(
                select(User.email, Opportunity.stage, func.count()).join(User, User.id == Opportunity.owner_id)
                .group_by(User.email, Opportunity.stage)):
            by_rep[rep][stage == "won"] += count
    assert 0.15 <= funnel["total"]["conversion"]["won"] <= 0.40
    source_rates = [row["win_rate"] for row in sources if row["leads"] >= 100]
    assert max(source_rates) - min(source_rates) >= 0.08
    rep_rates = [won / (won + lost) for lost, won in by_rep.values() if won + lost >= 20]
    assert len(rep_rates) >= 4 and max(rep_rates) - min(rep_rates) >= 0.10


def test_first_touch_sla_compliance_varies_by_rep_within_plausible_bounds(demo):
    with session_scope(demo) as session:
        reps = gtm.speed_report(session, HISTORY)["reps"]
    rates = [rep["first_touch_sla"]["rate"] for rep in reps if rep["first_touch_sla"]["due"] >= 30]
    assert len(rates) >= 8
    assert all(0.55 <= rate <= 0.95 for rate in rates), rates
    assert max(rates) - min(rates) >= 0.10


def test_every_month_has_web_visits_and_sign_ups(demo):
    with session_scope(demo) as session:
        cohorts = gtm.funnel_report(session, HISTORY)["cohorts"]
    assert len(cohorts) == 24
    assert all(cohort["visits"] > cohort["signups"] > 0 for cohort in cohorts)


def test_every_phone_number_is_valid(demo):
    with session_scope(demo) as session:
        phones = session.scalars(select(Person.phone_e164).where(Person.phone_e164.is_not(None))).all()
    assert len(phones) > 500
    assert all(phonenumbers.is_valid_number(phonenumbers.parse(phone)) for phone in phones)


def test_every_scored_lead_explains_its_score_with_rule_lines(demo):
    with session_scope(demo) as session:
        leads = session.execute(select(Lead.id, Lead.score).where(Lead.state != "new")).all()
        explained = score_explanations(session, [lead_id for lead_id, _ in leads])
    assert len(explained) == len(leads) > 2_000
    for lead_id, score in leads:
        lines = explained[lead_id]["lines"]
        assert lines, f"lead {lead_id} has no score lines"
        assert sum(line["points"] for line in lines) == explained[lead_id]["total"]
    assert sum(explained[lead_id]["total"] == score for lead_id, score in leads) > len(leads) * 0.95


def test_no_poor_fit_lead_is_an_mql(demo):
    with session_scope(demo) as session:
        min_fit = active(session).playbook.mql_min_fit
        poor_mqls = session.scalar(select(func.count()).where(Lead.is_mql.is_(True), Lead.fit_score < min_fit))
        students = session.execute(select(Lead.is_mql, Lead.score).join(Person, Person.id == Lead.person_id)
                                   .where(Person.title.in_(("Student", "Marketing Intern")))).all()
    assert poor_mqls == 0
    assert students and not any(is_mql for is_mql, _ in students)
