"""Team scorecards: the shared goals of marketing, sales and success, each figure read from the metric
that defines it (metrics/gtm.py, revenue/health.py, metrics/views.py), never computed a second time.

Every team is scored on the same outcomes - customers gained, kept and healthy, the revenue they keep,
speed to lead, acceptance, rejected leads later won - because that is what a shared goal means; a
team's own rows are where a metric already splits by team (speed to lead by sales team) and how many
of its members looked at the common metrics. A figure that counts leads carries the lead list it
stands for; a viewer who sees fewer leads than the team gets their own count beside the team's.

The same figures score each sales team, pod and rep (`by`), read from the same reports kept to the
group's leads: a rep's and a team's are the leads its members own; a pod's are its accounts' whole
journey, every lead on an account of the pod, and the leads its members own. Speed to lead and
acceptance are those of the offers made to the group's members (`gtm.rep_acceptance`: accepted of the
offers they decided, rejected and expired ones included), each count linked to its offers (/offers).
"""

from datetime import date, datetime
from urllib.parse import urlencode

from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.orm import Session

from revteam.accounts.models import Account
from revteam.db.base import utcnow
from revteam.errors import BadInput
from revteam.leads import queries as lead_queries
from revteam.leads.lead_list import LeadFilter
from revteam.leads.access import sees_every_lead
from revteam.leads.models import Lead
from revteam.metrics import gtm, views
from revteam.metrics.blame import blame_leads
from revteam.metrics.gtm_queries import fair_game_leads, group_reps
from revteam.metrics.scorecard_kinds import BY, TEAMS
from revteam.metrics.speed_offers import figure_offers, offer_count
from revteam.metrics.milestones import reached_in_cohort
from revteam.periods import Period, midnight
from revteam.revenue.customers import CustomerFilters, customer_count
from revteam.revenue.health import healthy_accounts
from revteam.users.models import Pod, Role, Team, User

HEALTHY = "won leads whose customer's latest health check is not at risk (revenue/health.py)"
GROUPS = {"team": "sales teams, scored on the leads their members own",
          "pod": "pods, scored on their accounts' whole journey: every lead on an account of the pod, "
                 "and the leads its members own",
          "rep": "sales reps, scored on the leads they own"}


def group_leads(by: str, name: str) -> ColumnElement[bool]:
    """The leads a team, pod or rep is scored on (a condition on `Lead`)."""
    owned = Lead.owner_id.in_(group_reps(by, name))
    if by != "pod":
        return owned
    return or_(owned, Lead.account_id.in_(select(Account.id).join(Pod, Pod.id == Account.pod_id)
                                          .where(Pod.name == name)))


def groups(session: Session, by: str) -> dict[str, list[int]]:
    """Every sales team, pod or sales rep by name (a rep by e-mail), with the ids of its members."""
    if by == "rep":
        query = select(User.email, User.id).where(User.role == Role.sales.value).order_by(User.email)
    elif by == "team":
        query = (select(Team.name, User.id).outerjoin(User, User.team_id == Team.id)
                 .where(Team.function == Role.sales.value).order_by(Team.name))
    else:
        query = select(Pod.name, User.id).outerjoin(User, User.pod_id == Pod.id).order_by(Pod.name)
    found: dict[str, list[int]] = {}
    for name, member in session.execute(query):
        found.setdefault(name, []).extend([member] if member is not None else [])
    return found


def lead_filters(*, reached: str | None = None, fair_game: str | None = None, blame: str | None = None,
                 healthy: bool = False, team: str | None = None, pod: str | None = None,
                 rep: str | None = None) -> list[ColumnElement[bool]]:
    """Conditions on `Lead` for the lists the scorecard's and the survey evidence's figures open (the
    /leads page reads the same)."""
    where = [reached_in_cohort(reached, None)] if reached else []
    where += [fair_game_leads(fair_game)] if fair_game else []
    where += [blame_leads(blame)] if blame else []
    where += [group_leads(by, name) for by, name in (("team", team), ("pod", pod), ("rep", rep)) if name]
    return where + ([Lead.account_id.in_(healthy_accounts())] if healthy else [])


def _created(period: Period) -> list[ColumnElement[bool]]:
    within = [Lead.created_at >= midnight(period.start)] if period.start else []
    return within + ([Lead.created_at < midnight(period.end)] if period.end else [])


def _link(period: Period, filters: dict, page: str = "/leads") -> str:
    span = {"from": str(period.first) if period.first else None, "to": str(period.last) if period.last else None}
    return f"{page}?" + urlencode({k: v for k, v in {**filters, **span}.items() if v})


def lead_figure(session: Session, period: Period, viewer: User | None, count: int, **filters) -> dict:
    """A lead figure: the team's count, the list it opens, and what this viewer sees of it."""
    shown = None
    if viewer is not None and not sees_every_lead(session, viewer):
        span = LeadFilter(created_from=period.start and midnight(period.start),
                          created_to=period.end and midnight(period.end))
        shown = lead_queries.filtered_leads(session, viewer=viewer, lead_filter=span, where=lead_filters(**filters),
                                            limit=0)["total"]
    query_filters = {k: ("true" if v is True else v) for k, v in filters.items() if v}
    return {"count": count, "shown": shown, "link": _link(period, query_filters)}


def offer_figure(session: Session, period: Period, viewer: User | None, count: int, measure: str, **group) -> dict:
    """An offer figure (acceptance): the team's count, the offer list it opens, and what this viewer sees of it."""
    shown = None
    if viewer is not None and not sees_every_lead(session, viewer):
        shown = offer_count(session, viewer=viewer, conditions=figure_offers(period, measure, None, **group))
    return {"count": count, "shown": shown, "link": _link(period, {"measure": measure, **group}, "/offers")}


def _healthy(session: Session, period: Period, group: dict) -> int:
    where = lead_filters(reached="won", healthy=True, **group) + _created(period)
    return int(session.scalar(select(func.count()).select_from(Lead).where(*where)))


def kept_among(session: Session, period: Period, **group: str) -> tuple[ColumnElement[bool], ...]:
    """Conditions on `Account`: the customers kept of the period (of one group's leads when named), the
    customer list the figure opens (/customers?kept=true)."""
    scope = and_(*lead_filters(**group)) if group else None
    return _accounts(gtm.kept_customers(session, period, leads=scope)["accounts"])


def _accounts(ids: list[int]) -> tuple[ColumnElement[bool], ...]:
    return (Account.id.in_(ids),)


def _kept(session: Session, period: Period, viewer: User | None, today: date, scope, **group: str) -> dict:
    """Customers kept: the count, the customer list it opens, and what this viewer sees of it."""
    kept = gtm.kept_customers(session, period, leads=scope)
    shown = None
    if viewer is not None and not sees_every_lead(session, viewer):
        shown = customer_count(session, viewer=viewer, filters=CustomerFilters(status="all", among=_accounts(kept["accounts"])),
                               today=today)
    return {"count": kept["kept"], "shown": shown, "link": _link(period, {"kept": "true", "status": "all", **group},
                                                                "/customers"),
            **{key: kept[key] for key in ("won", "churned_within_window", "window_months")}}


def _figures(session: Session, period: Period, viewer: User | None, speed: dict, today: date, **group: str) -> dict:
    """The shared goals, of every lead or of one group's (`team=`, `pod=` or `rep=` its name)."""
    scope = and_(*lead_filters(**group)) if group else None
    quality = gtm.quality_report(session, period, leads=scope)["total"]
    acceptance = gtm.rep_acceptance(session, period, reps=next((group_reps(by, name) for by, name in group.items()), None))
    fair = gtm.rejection_report(session, period, leads=scope)["fair_game"]

    def figure(count: int, **filters) -> dict:
        return lead_figure(session, period, viewer, count, **filters, **group)

    return {
        "customers_gained": figure(quality["won"], reached="won"),
        "customers_healthy": figure(_healthy(session, period, group), reached="won", healthy=True),
        "customers_kept": _kept(session, period, viewer, today, scope, **group),
        "nrr": quality["nrr"],
        "speed_to_lead_hours": speed["mql_to_accept_hours"]["median"],
        "accept_sla_rate": speed["accept_sla"]["rate"],
        "acceptance_rate": acceptance["rate"],
        "offers_decided": offer_figure(session, period, viewer, acceptance["offers"], "decided", **group),
        "offers_accepted": offer_figure(session, period, viewer, acceptance["accepted"], "accepted", **group),
        "accepted_leads": figure(quality["accepted_leads"], reached="accepted"),
        "rejected_leads": figure(fair["rejected_leads"], fair_game="rejected"),
        "rejected_then_won": {**figure(fair["won_by_another_rep"], fair_game="won"), "share": fair["share"]},
    }


def _groups(session: Session, period: Period, by: str, viewer: User | None, now: datetime | None) -> list[dict]:
    members = groups(session, by)
    speeds = gtm.speed_of_groups(session, period, members, now=now)
    today = (now or utcnow()).date()
    return [{"name": name, "members": len(ids), **_figures(session, period, viewer, speeds[name], today, **{by: name})}
            for name, ids in members.items()]


def _team_rows(session: Session, period: Period, team: str, speed_teams: list[dict]) -> dict:
    return {"common_metrics": views.team_viewing(session, period, team),
            "speed_by_team": speed_teams if team == "sales" else []}


def scorecard(session: Session, period: Period, *, team: str | None = None, by: str | None = None,
              viewer: User | None = None, now: datetime | None = None) -> dict:
    """The shared goals for the period, and each team's own rows (one team's when `team` is given); with
    `by` (team, pod or rep), the same goals for each sales team, pod or rep."""
    speed = gtm.speed_report(session, period, now=now)
    card = {"period": period.written(), "healthy_definition": HEALTHY,
            "shared": _figures(session, period, viewer, speed["total"], (now or utcnow()).date()),
            "teams": {name: _team_rows(session, period, name, speed["teams"]) for name in TEAMS
                      if team is None or name == team}}
    if by is not None:
        if by not in BY:
            raise BadInput(f"{by!r} is not one of {', '.join(BY)}", where="by")
        card |= {"by": by, "groups_definition": GROUPS[by], "groups": _groups(session, period, by, viewer, now)}
    return card
