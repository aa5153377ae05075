"""The demo data generator: a realistic company, reproducible from a seed, at three sizes.

`generate` runs the stages in `STAGES` in order over one `DemoContext`. Each stage plans its
records as plain data (see demo/plan.py), writes them with bulk inserts and leaves the plan on the
context for the stages after it; later features append stages of their own (opportunities,
subscriptions...) reading `ctx.won_deals`, `ctx.accounts` and the rest.
"""

from collections import Counter
from collections.abc import Callable
from datetime import date

from sqlalchemy import Engine, func, select

from revteam.demo.comp import comp_stage
from revteam.demo.company import account_stage, campaign_stage, people_stage, team_stage
from revteam.demo.cultivation import cultivation_stage
from revteam.demo.customers import customer_stage
from revteam.demo.flow import flow_stage
from revteam.demo.graduation import graduation_stage, package_stage
from revteam.demo.leads import lead_stage
from revteam.demo.outreach import outreach_stage
from revteam.demo.plan import SIZES, DemoContext, DemoSummary
from revteam.demo.revenue import revenue_stage
from revteam.demo.scoring import scoring_stage
from revteam.demo.survey import survey_stage
from revteam.db.models import Base
from revteam.db.ids import advance_id_sequences
from revteam.db.session import session_scope
from revteam.errors import BadInput
from revteam.metrics.milestones import rebuild_milestones
from revteam.accounts.models import Account, Person
from revteam.events.models import Event
from revteam.leads.models import Activity, Campaign, Lead
from revteam.playbook.versions import active
from revteam.users.models import Pod, Team, User

_WRITTEN = (Team.__table__, Pod.__table__, User.__table__, Account.__table__, Person.__table__,
            Campaign.__table__, Lead.__table__, Activity.__table__, Event.__table__)

Stage = Callable[[DemoContext], None]


def milestone_stage(ctx: DemoContext) -> None:
    """The stages above write in bulk, past the session: derive every lead's milestones once at the end."""
    with session_scope(ctx.engine) as session:
        ctx.counts["lead milestones"] = rebuild_milestones(session)


def id_sequence_stage(ctx: DemoContext) -> None:
    """The stages above chose their own ids: the database's own must go on past them."""
    with session_scope(ctx.engine) as session:
        advance_id_sequences(session, Base.metadata.sorted_tables)


STAGES: list[Stage] = [team_stage, account_stage, people_stage, campaign_stage, lead_stage, flow_stage,
                      cultivation_stage, customer_stage, revenue_stage, milestone_stage, graduation_stage,
                      survey_stage, outreach_stage, id_sequence_stage, comp_stage, scoring_stage,
                      package_stage]


def _context(engine: Engine, size: str, seed: int, as_of: date) -> DemoContext:
    if size not in SIZES:
        raise BadInput(f"unknown demo size {size!r} (choose {', '.join(SIZES)})", where="size")
    with session_scope(engine) as session:
        if session.scalar(select(Lead.id).limit(1)) is not None:
            raise BadInput(f"database {engine.url!r} already holds leads: the demo needs an empty database")
        if session.scalar(select(User.id).limit(1)) is not None:
            raise BadInput(f"database {engine.url!r} already holds users: the demo needs an empty database")
        playbook = active(session)
        # Empty of demo records, but init already wrote events (playbook.activated): ids go on from there.
        next_ids = Counter({table.name: session.scalar(select(func.coalesce(func.max(table.c.id), 0)))
                            for table in _WRITTEN})
    return DemoContext(engine=engine, size_name=size, size=SIZES[size], seed=seed, as_of=as_of,
                       playbook=playbook.playbook, playbook_version_id=playbook.version_id, next_ids=next_ids)


def _summary(ctx: DemoContext) -> DemoSummary:
    with ctx.engine.connect() as connection:
        by_state = dict(connection.execute(select(Lead.state, func.count()).group_by(Lead.state)).all())
        by_role = dict(connection.execute(select(User.role, func.count()).group_by(User.role)).all())
    names = ("users", "accounts", "people", "campaigns", "leads", "activities", "events",
             "customers won", "customers churned")
    counts = {name: ctx.counts[name] for name in names} | {
        name: count for name, count in ctx.counts.items() if name not in names and not name.startswith("leads ")}
    return DemoSummary(size=ctx.size_name, seed=ctx.seed, as_of=ctx.as_of, counts=counts,
                       leads_by_state=by_state, users_by_role=by_role)


def generate(engine: Engine, *, size: str, seed: int, as_of: date) -> DemoSummary:
    """Fill an empty, migrated database (default playbook active) with a demo company."""
    ctx = _context(engine, size, seed, as_of)
    for stage in STAGES:
        stage(ctx)
    return _summary(ctx)
