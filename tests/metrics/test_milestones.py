"""Lead milestones: refreshed in every transaction that records an event about a lead, equal to a rebuild."""

from datetime import date, timedelta

from alembic import command
from sqlalchemy import delete, func, select, text

from revteam.db.migrate import _config, upgrade
from revteam.db.session import get_engine, session_scope
from revteam.demo.generator import generate
from revteam.leads.flow.actions import accept_lead, route_lead
from revteam.metrics.milestones import LeadMilestones, OfferSpeed, rebuild_milestones
from revteam.playbook.versions import ensure_default
from test_gtm_story import _lead, _owner, _user, outbox, story  # noqa: F401 - fixtures

COLUMNS = ("cohort", "source", "reached", "to_mql", "to_accepted", "to_opportunity", "to_won", "offers_accepted",
           "offers_rejected", "disposed")


def _milestones(session) -> dict[int, dict]:
    rows = session.execute(select(LeadMilestones)).scalars()
    return {row.lead_id: {name: getattr(row, name) for name in COLUMNS} for row in rows}


def _migrate(connection, step, revision: str) -> None:
    """Run Alembic's `step` (command.upgrade or command.downgrade) to `revision` on this connection."""
    config = _config()
    config.attributes["connection"] = connection
    step(config, revision)


def _read_models(engine) -> tuple[list, list]:
    with engine.connect() as connection:
        return tuple(connection.execute(select(model).order_by(*model.__table__.primary_key)).all()
                     for model in (LeadMilestones, OfferSpeed))


def test_each_lead_of_the_story_has_its_steps_and_durations(story, engine):
    with session_scope(engine) as session:
        found = _milestones(session)
    # Won fast: MQL after 1.5 days, accepted 26.54 days later, opportunity 1.96 days on, won 5.375 days on.
    assert found[story["won_fast"]] == {
        "cohort": "2026-02", "source": "webinar", "reached": 15, "to_mql": 15, "to_accepted": 265,
        "to_opportunity": 19, "to_won": 53, "offers_accepted": 1, "offers_rejected": 0, "disposed": 1}
    assert found[story["fair_game"]]["offers_rejected"] == 1 and found[story["fair_game"]]["offers_accepted"] == 1
    assert found[story["cold"]] == {
        "cohort": "2026-02", "source": "webinar", "reached": 0, "to_mql": None, "to_accepted": None,
        "to_opportunity": None, "to_won": None, "offers_accepted": 0, "offers_rejected": 0, "disposed": 0}


def test_what_the_transactions_kept_equals_a_rebuild_from_the_records(story, engine):
    with session_scope(engine) as session:
        kept = _milestones(session)
        session.execute(delete(LeadMilestones))
        assert rebuild_milestones(session) == 3
        assert _milestones(session) == kept


def test_an_accept_moves_the_milestones_in_its_own_transaction(engine, alice, carl, mia, make_lead, clock):
    lead_id = _lead(engine, make_lead, qualified_after=timedelta(days=1))
    with session_scope(engine) as session:
        route_lead(session, lead_id=lead_id, actor=_user(session, mia.email), now=clock.now)
        accept_lead(session, lead_id=lead_id, actor=_owner(session, lead_id), now=clock.after(hours=1))
        session.rollback()  # the accept never happened: nor did its milestone
    with session_scope(engine) as session:
        assert session.get(LeadMilestones, lead_id).reached == 1
        route_lead(session, lead_id=lead_id, actor=_user(session, mia.email), now=clock.now)
        accept_lead(session, lead_id=lead_id, actor=_owner(session, lead_id), now=clock.after(hours=1))
    with session_scope(engine) as session:
        assert session.get(LeadMilestones, lead_id).reached == 3


def test_the_migration_derives_the_milestones_of_existing_leads(empty_db_url):
    engine = get_engine(empty_db_url)
    with engine.begin() as connection:
        _migrate(connection, command.upgrade, "0005")
        connection.execute(text(
            "INSERT INTO people (id, first_name, last_name, email, email_normalized, created_at) "
            "VALUES (1, 'Pat', 'Buyer', 'pat@x.io', 'pat@x.io', '2026-01-05 10:00:00')"))
        connection.execute(text(
            "INSERT INTO leads (id, person_id, state, source, fit_score, engagement_score, score, is_mql, version, "
            "created_at, updated_at) VALUES (1, 1, 'accepted', 'web', 0, 0, 0, false, 2, "
            "'2026-01-05 10:00:00', '2026-01-05 10:00:00')"))
    upgrade(engine)
    with session_scope(engine) as session:
        assert session.scalar(select(func.count()).select_from(LeadMilestones)) == 1
        assert session.get(LeadMilestones, 1).reached == 3 and session.get(LeadMilestones, 1).cohort == "2026-01"


def test_the_migration_derives_the_read_models_a_rebuild_derives_today(empty_db_url):
    """Migration 0006 carries the derivation frozen as SQL: over a demo company it must equal `rebuild_milestones`."""
    engine = get_engine(empty_db_url)
    upgrade(engine)
    with session_scope(engine) as session:
        ensure_default(session)
    generate(engine, size="small", seed=7, as_of=date(2026, 3, 1))
    with engine.begin() as connection:  # what the demo lacks: MQL flags without an event, clocks run backwards
        connection.execute(text("UPDATE leads SET is_mql = true WHERE id % 5 = 0"))
        connection.execute(text("UPDATE leads SET created_at = '2026-12-31 00:00:00' WHERE id % 7 = 0"))
    with session_scope(engine) as session:
        rebuild_milestones(session)
    rebuilt = _read_models(engine)
    with engine.begin() as connection:
        _migrate(connection, command.downgrade, "0005")  # the leads, offers and opportunities stay
    upgrade(engine)
    milestones, speeds = _read_models(engine)
    assert len(milestones) > 3000 and {row.reached for row in milestones} == {0, 1, 3, 7, 15} and len(speeds) > 800
    assert (milestones, speeds) == rebuilt


def test_rebuild_repairs_milestones_lost_outside_the_flow(story, engine, cli, db_url):
    with session_scope(engine) as session:
        kept = _milestones(session)
        session.execute(delete(LeadMilestones))
    result = cli("metrics", "rebuild", "--db", db_url)
    assert result.code == 0, result.err
    assert "milestones derived for 3 leads" in result.out
    with session_scope(engine) as session:
        assert _milestones(session) == kept
