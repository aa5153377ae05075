"""Who may see and act on a lead, an account and a customer: one policy, read from the playbook.

`visible_leads(session, user)` is the SQL predicate every list, page, drill-down and export uses;
`require_visible` and `require_may_act` guard every single-record read and action. A lead the user
may not see answers exactly as a lead that does not exist (NotFound), so nothing leaks, and
permission is checked before the lead's state. The rules are the playbook's `visibility:` section.
"""

from sqlalchemy import ColumnElement, Select, and_, exists, false, or_, select, true
from sqlalchemy.orm import Session, aliased

from revteam.accounts.models import Account, Person
from revteam.errors import Forbidden, NotFound
from revteam.leads.models import Lead
from revteam.playbook.versions import active
from revteam.playbook.visibility import Action, Scope, Visibility
from revteam.routing.models import Offer
from revteam.users.models import User

REP_SCOPES: tuple[Scope, ...] = ("own", "team", "pod")
# The policy's subqueries read their tables through aliases of their own, apart from whatever the outer
# query joins (so nothing is correlated away). Made once: building an alias's columns anew for every
# query cost more than running the query.
_REP, _OFFER_TO_REPS, _OFFER_OF_LEAD, _SEEN = aliased(User), aliased(Offer), aliased(Offer), aliased(Lead)


def _policy(session: Session) -> Visibility:
    return active(session).playbook.visibility


def _scope_reps(user: User, scopes: list[Scope]) -> Select | None:
    """The ids of the reps whose leads these scopes cover, or None when they cover no rep."""
    rep, members = _REP, []
    if "own" in scopes:
        members.append(rep.id == user.id)
    if "team" in scopes and user.team_id is not None:
        members.append(rep.team_id == user.team_id)
    if "pod" in scopes and user.pod_id is not None:
        members.append(rep.pod_id == user.pod_id)
    return select(rep.id).where(or_(*members)) if members else None


def _leads_of(reps: Select, lead, few: bool) -> ColumnElement[bool]:
    """Leads these reps own or were ever offered: the owner is the lead's own indexed column and the
    offers one index range of the reps' offers, read once. (Asked as an EXISTS over each lead's
    offers, every list and count probed the offers of every lead it passed.) When the query reaches
    `few` leads (a search: the leads of the people its words found), each one's own offers are read
    instead: a team's range is a third of all offers, read anew by every statement of a search."""
    offer = _OFFER_TO_REPS
    if few:
        offered = exists().where(offer.lead_id == lead.id, offer.rep_id.in_(reps))
    else:
        offered = lead.id.in_(select(offer.lead_id).where(offer.rep_id.in_(reps)))
    return or_(lead.owner_id.in_(reps), offered)


def _never_routed(lead) -> ColumnElement[bool]:
    return and_(lead.owner_id.is_(None), ~exists().where(_OFFER_OF_LEAD.lead_id == lead.id))


def _sees_own_only(session: Session, user: User) -> bool:
    """A viewer who sees only their own leads (a rep): a few thousand among a million, so reading all of
    them by the owner and offer indexes costs less than checking lead by lead the rows a page passes
    over to find theirs. `few` is a wider viewer's choice."""
    return set(_policy(session).see.get(user.role, [])) <= {"own"}


def visible_leads(session: Session, user: User, lead=Lead, *, few: bool = False) -> ColumnElement[bool]:
    """The leads this user may see, as a condition on `Lead` (or on `lead`, an alias of it) for any query;
    `few` when the query's other conditions reach few leads, which are then checked one by one."""
    scopes = _policy(session).see.get(user.role, [])
    if not user.active:
        return false()
    if "all" in scopes:
        return true()
    clauses = []
    reps = _scope_reps(user, scopes)
    if reps is not None:
        clauses.append(_leads_of(reps, lead, few and not _sees_own_only(session, user)))
    if "unrouted" in scopes:
        clauses.append(_never_routed(lead))
    return or_(*clauses) if clauses else false()


def sees_every_lead(session: Session, user: User) -> bool:
    return user.active and "all" in _policy(session).see.get(user.role, [])


def require_visible(session: Session, user: User, lead_id: int) -> Lead:
    """The lead, when this user may see it; otherwise the same NotFound as a missing lead."""
    lead = session.scalar(select(Lead).where(Lead.id == lead_id, visible_leads(session, user)))
    if lead is None:
        raise NotFound(f"no lead {lead_id}")
    return lead


def acts_for(session: Session, user: User, rep_id: ColumnElement) -> ColumnElement[bool]:
    """Whose work this user may act for, as a condition on a rep-id column (an offer's rep, say)."""
    scopes = _policy(session).act.get(user.role, [])
    if not user.active:
        return false()
    if "all" in scopes:
        return true()
    reps = _scope_reps(user, [scope for scope in scopes if scope in REP_SCOPES])
    return rep_id.in_(reps) if reps is not None else false()


def _acts_for_rep(session: Session, user: User, rep_id: int | None) -> bool:
    if rep_id is None:
        return bool({"unrouted", "all"} & set(_policy(session).act.get(user.role, [])))
    return session.scalar(select(User.id).where(User.id == rep_id, acts_for(session, user, User.id))) is not None


def require_may_act(session: Session, user: User, *, lead_id: int, action: Action, verb: str,
                    rep_id: int | None) -> None:
    """Forbidden unless the user's role takes this action and `rep_id` (whose work it is) is theirs to act for."""
    if not user.active:
        raise Forbidden(f"{user.email} is deactivated")
    policy = _policy(session)
    if user.role not in policy.actions[action]:
        raise Forbidden(f"{user.email} is {user.role}; only {', '.join(policy.actions[action])} may {verb} lead {lead_id}")
    if not _acts_for_rep(session, user, rep_id):
        raise Forbidden(f"{user.email} may not {verb} lead {lead_id}: it is not theirs or their team's")


def may_act(session: Session, user: User, *, action: Action, rep_id: int | None) -> bool:
    """`require_may_act` as a yes or no, for pages that offer only the actions the user may take."""
    return user.active and user.role in _policy(session).actions[action] and _acts_for_rep(session, user, rep_id)


def _has_visible_lead(session: Session, user: User, link: ColumnElement[bool], few: bool) -> ColumnElement[bool]:
    """A lead (`_SEEN`, joined by `link`) that the user may see, checked per outer row (through the lead's
    person or account index), so it costs what the outer query selects, never every lead the user sees."""
    return exists().where(link, visible_leads(session, user, _SEEN, few=few))


def visible_people(session: Session, user: User, *, few: bool = False) -> ColumnElement[bool]:
    """People this user may see: those with a lead they may see (everyone, for a role that sees every lead);
    `few` when the query reaches few people (a search), whose leads are then checked one by one."""
    if sees_every_lead(session, user):
        return true()
    return _has_visible_lead(session, user, _SEEN.person_id == Person.id, few)


def visible_accounts(session: Session, user: User, account_id: ColumnElement, *, few: bool = False,
                     paged: bool = False) -> ColumnElement[bool]:
    """The accounts (and the customers they may be) this user may see, as a condition on an account-id
    column: whoever sees every lead sees every account, anyone else the accounts of the leads they see.
    A list or count asks it as IN those leads' accounts, reading the user's leads once through the
    policy's indexes; `few` (a search reaching few accounts) checks each account's leads instead, as
    `visible_people` does. `paged`: a page that stops at its last row checks a wider viewer's accounts
    one by one as it goes, but reads a rep's at once (checked one by one, it passed over thousands of
    others' accounts to find a rep's). One account is asked by `may_see_account`."""
    if sees_every_lead(session, user):
        return true()
    if few or (paged and not _sees_own_only(session, user)):
        return _has_visible_lead(session, user, _SEEN.account_id == account_id, True)
    return account_id.in_(select(_SEEN.account_id).where(visible_leads(session, user, _SEEN)))


def may_see_account(session: Session, user: User, account_id: int) -> bool:
    """An account (and the customer it may be) is seen by whoever sees every lead or one of its leads,
    asked through the account's leads (its index), never the whole set a manager sees."""
    if sees_every_lead(session, user):
        return True
    seen = _has_visible_lead(session, user, _SEEN.account_id == account_id, False)
    return session.scalar(select(Account.id).where(Account.id == account_id, seen)) is not None


def require_visible_account(session: Session, user: User, account_id: int) -> Account:
    """The account, when this user may see it; otherwise the same NotFound as a missing account."""
    account = session.get(Account, account_id)
    if account is None or not may_see_account(session, user, account_id):
        raise NotFound(f"no account {account_id}")
    return account


def may_write_customers(session: Session, user: User) -> bool:
    """`require_customer_writer` as a yes or no, for pages that offer only the forms the user may use."""
    return user.active and user.role in _policy(session).actions["customer_write"]


def require_customer_writer(session: Session, user: User, *, what: str) -> None:
    """Health and promises are written by the roles the playbook names (success, managers, admin)."""
    writers = _policy(session).actions["customer_write"]
    if not user.active or user.role not in writers:
        raise Forbidden(f"{user.email} is {user.role}; only {', '.join(writers)} may {what}")


def managers_of(session: Session, rep_id: int) -> list[User]:
    """The active managers of the rep's team."""
    rep = session.get(User, rep_id)
    if rep is None or rep.team_id is None:
        return []
    query = select(User).where(User.team_id == rep.team_id, User.role == "manager", User.active.is_(True))
    return list(session.scalars(query.order_by(User.id)))
