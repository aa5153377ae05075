"""The unique constraints that settle races: the one list of integrity errors that are a lost race.

Each writer below reads "is there one already?" and inserts when there is none; two writers at
once can both read nothing, and the constraint lets only the first commit. The second lost a
race: a Conflict (409, exit 3). Any other integrity error (a primary key taken, a foreign key, a
NOT NULL, a check) is a bug, and the API, the pages and the CLI report it as one.

Left out on purpose: the jobs' dedupe key and the track enrollments (ON CONFLICT DO NOTHING
settles them without an error), the handoff per opportunity (the conditional UPDATE that closes
the opportunity settles it first) and the random token hashes (sessions, API tokens, form keys),
which no race can repeat.
"""

import logging
from functools import cache

from sqlalchemy import Index, UniqueConstraint
from sqlalchemy.exc import IntegrityError

from revteam.db.models import Base
from revteam.errors import Conflict, InternalError, RevteamError

log = logging.getLogger(__name__)

RACES: dict[str, str] = {
    "uq_people_email_normalized": "a person with this e-mail address",
    "uq_accounts_domain": "an account with this domain",
    "uq_leads_open_person": "an open lead for this person",
    "uq_campaigns_name": "a campaign of this name",
    "uq_import_chunks_file_hash": "this part of the same file, imported by another run",
    "uq_playbook_versions_hash": "a playbook version with this content",
    "uq_users_email": "a user with this e-mail address",
    "uq_teams_name": "a team of this name",
    "uq_pods_name": "a pod of this name",
    "uq_subscriptions_account_id": "a subscription with this key on the account",
    "uq_opportunities_lead_id": "an opportunity on this lead",
}

_UNIQUE_VIOLATION = "23505"  # PostgreSQL's SQLSTATE


def _sqlite_message(name: str) -> str:
    """SQLite names the columns, not the constraint: 'UNIQUE constraint failed: people.email_normalized'."""
    for table in Base.metadata.tables.values():
        for constraint in (*table.constraints, *table.indexes):
            if isinstance(constraint, UniqueConstraint | Index) and constraint.name == name:
                columns = ", ".join(f"{table.name}.{column.name}" for column in constraint.columns)
                return f"UNIQUE constraint failed: {columns}"
    raise LookupError(f"{name} is not a unique constraint of the schema")


@cache
def _races_by_sqlite_message() -> dict[str, str]:
    return {_sqlite_message(name): name for name in RACES}


def _constraint(error: IntegrityError) -> str | None:
    """The name of the unique constraint the error broke, on either database, or None."""
    driver_error = error.orig
    if getattr(driver_error, "sqlstate", None) == _UNIQUE_VIOLATION:
        return driver_error.diag.constraint_name
    if getattr(driver_error, "sqlite_errorname", None) == "SQLITE_CONSTRAINT_UNIQUE":
        return _races_by_sqlite_message().get(str(driver_error))
    return None


def lost_race(error: IntegrityError) -> Conflict | None:
    """The Conflict this error is when it is a lost race on one of RACES; None when it is a bug."""
    name = _constraint(error)
    if name not in RACES:
        return None
    return Conflict(f"conflict with a concurrent change: {RACES[name]} was saved first; nothing was saved")


def as_domain_error(error: IntegrityError, *, during: str) -> RevteamError:
    """What a client is told: the Conflict of a lost race, or, for a bug, InternalError (no internals),
    with the traceback in the server log."""
    conflict = lost_race(error)
    if conflict is not None:
        return conflict
    log.error("integrity error during %s", during, exc_info=error)
    return InternalError()
