"""Buying-committee coverage per account: which of the playbook's roles are known, engaged or missing.

The one owner of the idea: the inbox, the lead and account pages, the API, the CLI and the facts
that track conditions read (`account.missing_roles`, `account.engaged_roles`,
`account.engagement_score`) all call `account_coverage`. A role is *known* when a person of the
account holds it (set by hand or by import); a title only *suggests* a role, explained, and a
suggestion never counts as known. A person is *engaged* when their touches of the playbook's
window are worth its `engaged_points` after decay; the account's engagement score is its people's
decayed engagement added up.
"""

import re
from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from revteam.accounts.models import Account, Person
from revteam.db.key_lists import among
from revteam.errors import BadInput, NotFound
from revteam.events.service import record
from revteam.leads.models import Activity
from revteam.leads.scoring.rules import engagement_points
from revteam.leads.scoring.touch_decay import touch_decay
from revteam.playbook.committee_schema import Committee
from revteam.playbook.schema import Playbook
from revteam.playbook.versions import active


@dataclass(frozen=True, slots=True)
class Suggestion:
    role: str
    why: str


def suggest_role(title: str | None, committee: Committee) -> Suggestion | None:
    """The role the first matching title rule suggests, with the rule that matched; None without a match."""
    if not title:
        return None
    for rule in committee.title_rules:
        if found := re.search(rule.pattern, title, re.IGNORECASE):
            return Suggestion(rule.role, f"title {title!r} holds {found[0]!r} (rule {rule.pattern!r})")
    return None


@dataclass(slots=True)
class Coverage:
    """One account's committee: people per role, who is engaged, what is missing."""

    account_id: int
    roles: tuple[str, ...]
    known: dict[str, int] = field(default_factory=dict)  # role: people holding it
    engaged: dict[str, int] = field(default_factory=dict)  # role: engaged people holding it
    suggested: dict[str, int] = field(default_factory=dict)  # role: people without a role whose title suggests it
    engagement_score: int = 0

    @property
    def known_roles(self) -> list[str]:
        return [role for role in self.roles if self.known.get(role)]

    @property
    def engaged_roles(self) -> list[str]:
        return [role for role in self.roles if self.engaged.get(role)]

    @property
    def missing_roles(self) -> list[str]:
        return [role for role in self.roles if not self.known.get(role)]

    def as_json(self) -> dict[str, Any]:
        return {"account_id": self.account_id, "known": self.known_roles, "engaged": self.engaged_roles,
                "missing": self.missing_roles, "engagement_score": self.engagement_score,
                "roles": [{"role": role, "people": self.known.get(role, 0), "engaged": self.engaged.get(role, 0),
                           "suggested": self.suggested.get(role, 0)} for role in self.roles]}

    def facts(self) -> dict[str, Any]:
        """The account facts a track or routing condition reads; role lists as text ("champion, user"):
        `contains` tests one role, `missing` holds when the list is empty."""
        return {"account.missing_roles": ", ".join(self.missing_roles),
                "account.engaged_roles": ", ".join(self.engaged_roles),
                "account.engagement_score": self.engagement_score}


NO_COVERAGE_FACTS: dict[str, Any] = {"account.missing_roles": None, "account.engaged_roles": None,
                                     "account.engagement_score": None}
NOT_ENGAGED = (0, False)  # a person without touches


def _engagement_by_person(session: Session, playbook: Playbook, account_ids: Collection[int], *,
                          now: datetime) -> dict[int, tuple[int, bool]]:
    """Each person's decayed engagement, and whether the window's touches make them engaged, by person id
    (none: no touches). The database sums each person's touches per type, all of them and the window's, in
    one pass (as scoring/stored.py sums a lead's); only the few sums per person come to Python."""
    decay = touch_decay(session, playbook, now)
    in_window = Activity.at >= now - timedelta(days=playbook.committee.engaged_within_days)
    query = (select(Activity.person_id, Activity.type, func.sum(decay), func.sum(case((in_window, decay), else_=0.0)))
             .join(Person, Person.id == Activity.person_id).where(among(session, Person.account_id, account_ids))
             .group_by(Activity.person_id, Activity.type))
    every: dict[int, list] = defaultdict(list)
    recent: dict[int, list] = defaultdict(list)
    for person_id, kind, decayed, recent_decayed in session.execute(query):
        every[person_id].append((kind, float(decayed)))
        recent[person_id].append((kind, float(recent_decayed)))
    engaged_points = playbook.committee.engaged_points
    return {person_id: (engagement_points(playbook, decays), engagement_points(playbook, recent[person_id]) >= engaged_points)
            for person_id, decays in every.items()}


def account_coverage(session: Session, account_ids: Collection[int], *, playbook: Playbook,
                     now: datetime) -> dict[int, Coverage]:
    """The committee coverage of these accounts, by id (every id given, an account without people empty)."""
    roles = tuple(playbook.committee.roles)
    coverage = {account_id: Coverage(account_id, roles) for account_id in account_ids}
    if not coverage:
        return coverage
    engagement = _engagement_by_person(session, playbook, account_ids, now=now)
    people = session.execute(select(Person.id, Person.account_id, Person.committee_role, Person.title)
                             .where(among(session, Person.account_id, account_ids)))
    for person_id, account_id, role, title in people:
        entry = coverage[account_id]
        score, engaged = engagement.get(person_id, NOT_ENGAGED)
        entry.engagement_score += score
        if role in roles:
            entry.known[role] = entry.known.get(role, 0) + 1
            entry.engaged[role] = entry.engaged.get(role, 0) + engaged
        elif role is None and (suggestion := suggest_role(title, playbook.committee)):
            entry.suggested[suggestion.role] = entry.suggested.get(suggestion.role, 0) + 1
    return coverage


def committee_map(session: Session, account_id: int, *, playbook: Playbook, now: datetime,
                  people_filter: Any = True) -> list[dict[str, Any]]:
    """The account's people (those `people_filter` lets through) with role, suggestion and engagement."""
    engagement = _engagement_by_person(session, playbook, [account_id], now=now)
    query = (select(Person).where(Person.account_id == account_id, people_filter)
             .order_by(Person.committee_role.is_(None), Person.committee_role, Person.id))
    rows = []
    for person in session.scalars(query):
        score, engaged = engagement.get(person.id, NOT_ENGAGED)
        suggestion = None if person.committee_role else suggest_role(person.title, playbook.committee)
        rows.append({"person_id": person.id, "name": " ".join(filter(None, [person.first_name, person.last_name])),
                     "email": person.email, "title": person.title, "role": person.committee_role,
                     "suggested_role": suggestion.role if suggestion else None,
                     "suggested_because": suggestion.why if suggestion else None,
                     "engagement": score, "engaged": engaged})
    return rows


def target_accounts(session: Session, *, segment: str | None) -> list[Account]:
    """The accounts marketing targets: those with a tier (strategic, named...), of one tier with `segment`."""
    query = select(Account).where(Account.tier.is_not(None) if segment is None else Account.tier == segment)
    return list(session.scalars(query.order_by(Account.name, Account.id)))


def check_role(role: str | None, committee: Committee) -> str | None:
    """A confirmed role as given (None clears it); a name not among the playbook's roles is refused."""
    role = (role or "").strip() or None
    if role is not None and role not in committee.roles:
        raise BadInput(f"committee role is one of {', '.join(committee.roles)}, not {role!r}", where="committee_role")
    return role


def coverage_report(session: Session, *, segment: str | None, now: datetime) -> list[dict[str, Any]]:
    """One row per target account: its roles known, engaged and missing, and its engagement."""
    accounts = target_accounts(session, segment=segment)
    coverage = account_coverage(session, [a.id for a in accounts], playbook=active(session).playbook, now=now)
    return [{"account": account.name, "tier": account.tier, **coverage[account.id].as_json()} for account in accounts]


def account_view(session: Session, account: Account, *, people_filter: Any = True, now: datetime) -> dict[str, Any]:
    """An account with its committee coverage and committee map (the people `people_filter` lets through)."""
    playbook = active(session).playbook
    coverage = account_coverage(session, [account.id], playbook=playbook, now=now)[account.id]
    return {"id": account.id, "name": account.name, "domain": account.domain, "tier": account.tier,
            "industry": account.industry, "employees": account.employees, "country": account.country,
            "coverage": coverage.as_json(),
            "people": committee_map(session, account.id, playbook=playbook, now=now, people_filter=people_filter)}


def set_role(session: Session, *, email: str, role: str | None, actor: str) -> dict[str, Any]:
    """Confirm (or clear, with None) a person's committee role; records `person.committee_role` when it changes."""
    person = session.scalar(select(Person).where(Person.email_normalized == email.strip().casefold()))
    if person is None:
        raise NotFound(f"no person with e-mail {email!r}")
    role = check_role(role, active(session).playbook.committee)
    change = {"person_id": person.id, "old": person.committee_role, "new": role}
    if person.committee_role != role:
        person.committee_role = role
        session.flush()
        record(session, type="person.committee_role", subject_type="person", subject_id=person.id, actor=actor,
               data=change)
    return change
