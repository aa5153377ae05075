"""Routing's view of the database: the roster (open loads given by the caller), and the stored rotations.

A rotation row is also the lock of its group: routers of the same team or pod take turns
(`SELECT ... FOR UPDATE` on PostgreSQL; SQLite has one writer at a time once the first write
statement of the transaction ran), so round robin stays fair and capacity is never overrun.
"""

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session, aliased

from revteam.playbook.conditions import matches
from revteam.routing.models import Rotation
from revteam.routing.roundrobin import RotationState
from revteam.routing.rules import Rep, Roster
from revteam.users.models import Pod, Role, Team, User


def load_roster(session: Session, open_loads: Mapping[int, int]) -> Roster:
    """Every sales user as a routing `Rep`, with their team, pod and open load (leads per rep id)."""
    team, pod = aliased(Team), aliased(Pod)
    query = (
        select(User, team.name, pod.name)
        .outerjoin(team, team.id == User.team_id)
        .outerjoin(pod, pod.id == User.pod_id)
        .where(User.role == Role.sales.value)
        .order_by(User.id)
    )
    return Roster(
        Rep(id=user.id, email=user.email, capacity=user.capacity, team=team_name, pod=pod_name,
            weight=user.weight, open_load=open_loads.get(user.id, 0), active=user.active, available=user.available)
        for user, team_name, pod_name in session.execute(query)
    )


def _target_key(target: Any, facts: Mapping[str, Any]) -> str | None:
    read = (lambda name: target.get(name)) if isinstance(target, Mapping) else (lambda name: getattr(target, name))
    if read("team"):
        return f"team:{read('team')}"
    if read("pod"):
        return f"pod:{read('pod')}"
    rep = read("rep") or (facts.get("account.owner") if read("account_owner") else None)
    return f"rep:{str(rep).casefold()}" if rep else None


def rotation_keys(rules: Sequence[Any], fallback: Any, facts: Mapping[str, Any]) -> list[str]:
    """The groups (and named reps) a lead with these facts may be routed to, sorted."""
    keys = set()
    for rule in rules:
        if all(matches(test.field, test.op, test.value, facts) for test in rule.when):
            keys.add(_target_key(rule.target, facts))
    if fallback is not None:
        keys.add(_target_key(fallback, facts))
    return sorted(key for key in keys if key)


def _insert_missing(session: Session, keys: Iterable[str], now: datetime) -> None:
    dialect = session.get_bind().dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    rows = [{"key": key, "scores": {}, "updated_at": now} for key in keys]
    session.execute(insert(Rotation).values(rows).on_conflict_do_nothing(index_elements=["key"]))


def lock_rotation(session: Session, keys: Sequence[str], *, now: datetime) -> RotationState:
    """The stored scores of these groups, their rows locked until the transaction ends."""
    if not keys:
        return RotationState()
    _insert_missing(session, keys, now)
    query = select(Rotation).where(Rotation.key.in_(keys)).order_by(Rotation.key).with_for_update()
    stored = {row.key: row.scores for row in session.scalars(query)}
    return RotationState.from_dict({"scores": stored})


def save_rotation(session: Session, rotation: RotationState, keys: Sequence[str], *, now: datetime) -> None:
    """Write back the scores of the locked groups."""
    scores = rotation.to_dict()["scores"]
    for row in session.scalars(select(Rotation).where(Rotation.key.in_(keys))):
        if row.key in scores and row.scores != scores[row.key]:
            row.scores = scores[row.key]
            row.updated_at = now
