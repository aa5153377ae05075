"""`import subscriptions`: change rows in idempotent chunks, as the lead import does.

The batch is named by the file's content (salted, so it never collides with a lead import of
the same bytes). Each chunk lands in one transaction with its `import_chunks` row, so a crash
leaves whole chunks and a re-run skips them; importing the same file again lands nothing.

Accounts: the `account` cell is a web domain when it reads as one (acme.io, www.acme.io), else
a company name. It is matched exactly - by domain, or by normalized name - never fuzzily,
because a wrong guess would move revenue between customers. An unknown account is created
(with that domain, or that name) and counted in `accounts_created`.
"""

import hashlib
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path

from sqlalchemy import Engine, insert, select
from sqlalchemy.orm import Session

from revteam.accounts.matching import AccountIndex
from revteam.accounts.models import Account
from revteam.db.base import utcnow
from revteam.db.ids import reserve_ids
from revteam.db.locks import hold_intake_lock
from revteam.db.session import session_scope
from revteam.events.service import record_many
from revteam.leads.intake.importer import file_batch_id
from revteam.leads.models import ImportChunk
from revteam.accounts.normalize import normalize_company, normalize_domain
from revteam.revenue.models import Subscription, SubscriptionChange
from revteam.revenue.rollups import refresh_accounts
from revteam.revenue.rows import ChangeRow, RefusedLine, read_change_rows

CHUNK_ROWS = 5_000
COUNTS = ("rows", "landed", "accounts_created", "subscriptions_created")


@dataclass
class SubscriptionImport:
    batch: str
    rows: int = 0
    landed: int = 0
    accounts_created: int = 0
    subscriptions_created: int = 0
    refused: list[dict] = field(default_factory=list)
    chunks_skipped: int = 0
    chunks_landed: int = 0

    def add(self, stored: dict) -> None:
        for name in COUNTS:
            setattr(self, name, getattr(self, name) + stored[name])
        self.refused += stored["refused"]

    def as_json(self) -> dict:
        """The documented `--json` shape."""
        return {"batch": self.batch, "rows": self.rows, "landed": self.landed, "refused": self.refused,
                "accounts_created": self.accounts_created, "subscriptions_created": self.subscriptions_created,
                "already_imported": self.chunks_skipped > 0 and self.chunks_landed == 0}


def import_subscriptions(engine: Engine, path: Path, *, actor: str = "import") -> SubscriptionImport:
    """Import a subscriptions CSV; safe to re-run after a crash or on the same file."""
    batch = hashlib.sha256(f"subscriptions:{file_batch_id(path)}".encode()).hexdigest()
    with session_scope(engine) as session:
        query = select(ImportChunk.chunk_no, ImportChunk.result).where(ImportChunk.file_hash == batch)
        landed = dict(session.execute(query).all())
        accounts = AccountIndex.load(session)
    report = SubscriptionImport(batch)
    rows = read_change_rows(path)
    chunk_no = 0
    while chunk := list(islice(rows, CHUNK_ROWS)):
        if chunk_no in landed:
            report.add(landed[chunk_no])
            report.chunks_skipped += 1
        else:
            with session_scope(engine) as session:
                hold_intake_lock(session)
                accounts.catch_up(session)
                stored = land_changes(session, chunk, accounts, actor=actor, batch=batch)
                session.add(ImportChunk(file_hash=batch, chunk_no=chunk_no, file_name=path.name, result=stored))
            report.add(stored)
            report.chunks_landed += 1
        chunk_no += 1
    return report


def land_changes(session: Session, rows: list[ChangeRow | RefusedLine], accounts: AccountIndex, *,
                 actor: str, batch: str | None = None) -> dict:
    """Land one slice of rows in the caller's transaction; returns its stored result."""
    refused = [{"line": row.line, "reason": row.reason} for row in rows if isinstance(row, RefusedLine)]
    refused += [{"line": row.line, "reason": f"account {row.account!r} is neither a web domain nor a company name"}
                for row in rows if isinstance(row, ChangeRow) and account_key(row.account) == (None, "")]
    changes = [row for row in rows if isinstance(row, ChangeRow) and account_key(row.account) != (None, "")]
    account_ids, accounts_created = _resolve_accounts(session, changes, accounts, actor)
    subscriptions, subscriptions_created = _resolve_subscriptions(session, changes, account_ids, actor)
    values, events = [], []
    for row in changes:
        subscription_id = subscriptions[(account_ids[row.account], row.subscription)]
        values.append({"subscription_id": subscription_id, "account_id": account_ids[row.account], "date": row.date,
                       "mrr_minor": row.mrr_minor, "seats": row.seats, "term_months": row.term_months,
                       "currency": row.currency, "plan": row.plan, "created_at": utcnow()})
        events.append(_event("subscription.changed", subscription_id, actor, {
            "date": row.date.isoformat(), "mrr_minor": row.mrr_minor, "seats": row.seats,
            "term_months": row.term_months, "plan": row.plan, "batch": batch, "line": row.line}))
    if values:
        session.connection().execute(insert(SubscriptionChange.__table__), values)
    record_many(session, events)
    refresh_accounts(session, {value["account_id"] for value in values})
    return {"rows": len(rows), "landed": len(values), "refused": sorted(refused, key=lambda r: r["line"]),
            "accounts_created": accounts_created, "subscriptions_created": subscriptions_created}


def _event(type_: str, subject_id: int, actor: str, data: dict, subject_type: str = "subscription") -> dict:
    return {"type": type_, "subject_type": subject_type, "subject_id": subject_id, "actor": actor, "data": data}


def account_key(text: str) -> tuple[str | None, str]:
    """(domain, normalized name) of an `account` cell: a domain when it reads as one, else a name."""
    domain = normalize_domain(text) if " " not in text.strip() else None
    return domain, normalize_company(text) if domain is None else domain


def _resolve_accounts(session: Session, rows: list[ChangeRow], accounts: AccountIndex,
                      actor: str) -> tuple[dict[str, int], int]:
    found: dict[str, int] = {}
    missing: dict[tuple[str | None, str], str] = {}
    for row in rows:
        if row.account in found:
            continue
        domain, name = account_key(row.account)
        known = accounts.by_domain.get(domain) if domain else accounts.by_name.get(name)
        if known is not None:
            found[row.account] = known
        else:
            missing.setdefault((domain, name), row.account)
    if missing:
        ids = reserve_ids(session, Account.__table__, len(missing))
        now = utcnow()
        session.connection().execute(insert(Account.__table__), [
            {"id": new_id, "name": text, "name_normalized": name, "domain": domain, "is_competitor": False,
             "created_at": now} for new_id, ((domain, name), text) in zip(ids, missing.items(), strict=True)])
        record_many(session, [_event("account.created", new_id, actor, {"name": text, "by": "subscriptions import"},
                                     "account") for new_id, text in zip(ids, missing.values(), strict=True)])
        for new_id, (domain, name) in zip(ids, missing, strict=True):
            accounts.add(new_id, domain, name)
    for row in rows:
        domain, name = account_key(row.account)
        found.setdefault(row.account, accounts.by_domain.get(domain) if domain else accounts.by_name[name])
    return found, len(missing)


def _resolve_subscriptions(session: Session, rows: list[ChangeRow], account_ids: dict[str, int],
                           actor: str) -> tuple[dict[tuple[int, str], int], int]:
    wanted = {(account_ids[row.account], row.subscription): row for row in reversed(rows)}
    table = Subscription.__table__
    known: dict[tuple[int, str], int] = {}
    for account_id, key, subscription_id in session.execute(
            select(table.c.account_id, table.c.key, table.c.id)
            .where(table.c.account_id.in_(sorted({account for account, _ in wanted})))):
        known[(account_id, key)] = subscription_id
    missing = [key for key in wanted if key not in known]
    ids = reserve_ids(session, table, len(missing))
    if missing:
        session.connection().execute(insert(table), [
            {"id": new_id, "account_id": account_id, "key": key, "plan": wanted[(account_id, key)].plan,
             "currency": wanted[(account_id, key)].currency, "created_at": utcnow()}
            for new_id, (account_id, key) in zip(ids, missing, strict=True)])
        record_many(session, [_event("subscription.created", new_id, actor, {"account_id": account_id, "key": key})
                              for new_id, (account_id, key) in zip(ids, missing, strict=True)])
    known.update(zip(missing, ids, strict=True))
    return known, len(missing)
