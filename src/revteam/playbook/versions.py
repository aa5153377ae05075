"""Playbook versions stored in the database; the active one stamps every event."""

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from revteam.db.base import utcnow
from revteam.errors import NotFound
from revteam.events.models import Event
from revteam.playbook.diff import diff_playbooks, format_changes
from revteam.playbook.loader import default_playbook_path, load_playbook_text, playbook_version
from revteam.playbook.models import PlaybookVersion
from revteam.playbook.schema import Playbook

_CACHE_KEY = "revteam.active_playbook"


@dataclass(frozen=True)
class ActivePlaybook:
    version_id: int
    playbook: Playbook


def activate(session: Session, text: str, *, source: str, actor: str = "system",
             simulation: dict[str, Any] | None = None) -> tuple[PlaybookVersion, bool]:
    """Validate, store (once per content hash) and activate a playbook; True when it changed. The headline
    of a simulation looked at before (`simulation`) goes into the activation's event."""
    playbook = load_playbook_text(text, source=source)
    digest = playbook_version(playbook)
    # Two activations at once (two processes) take turns here; without it, each could switch off
    # only the versions it saw and leave its own and the other's new version both active.
    session.execute(select(PlaybookVersion.id).where(PlaybookVersion.active.is_(True)).with_for_update())
    version = session.scalar(select(PlaybookVersion).where(PlaybookVersion.hash == digest))
    if version is None:
        version = PlaybookVersion(hash=digest, name=playbook.name, content=text)
        session.add(version)
        session.flush()
    if version.active:
        return version, False
    session.execute(update(PlaybookVersion).values(active=False))
    version.active = True
    version.activated_at = utcnow()
    session.add(Event(
        type="playbook.activated", subject_type="playbook", subject_id=version.id, actor=actor,
        data={"hash": digest, "name": playbook.name, "source": source, **({"simulation": simulation} if simulation else {})},
        playbook_version_id=version.id,
    ))
    session.flush()
    session.info.pop(_CACHE_KEY, None)
    return version, True


def ensure_default(session: Session) -> None:
    """Activate the shipped default playbook when the database has none yet."""
    if session.scalar(select(PlaybookVersion.id).limit(1)) is None:
        text = default_playbook_path().read_text(encoding="utf-8")
        activate(session, text, source="default_playbook.yaml", actor="revteam init")


def active(session: Session) -> ActivePlaybook:
    """The playbook in force, parsed once per session."""
    cached = session.info.get(_CACHE_KEY)
    if cached is None:
        version = session.scalar(select(PlaybookVersion).where(PlaybookVersion.active.is_(True)))
        if version is None:
            raise NotFound("no active playbook: run `revteam init`")
        cached = ActivePlaybook(version.id, _parsed(version.id, version.content))
        session.info[_CACHE_KEY] = cached
    return cached


@lru_cache(maxsize=32)
def _parsed(version_id: int, content: str) -> Playbook:
    """Stored versions never change, so each is parsed once per process."""
    return load_playbook_text(content, source=f"playbook v{version_id}")


def playbook_of(session: Session, version_id: int) -> Playbook:
    """The playbook of a stored version (what a record made under it was judged by)."""
    return _parsed(*version_text(session, version_id))


def version_text(session: Session, version_id: int | None = None) -> tuple[int, str]:
    """A stored version's id and YAML as written (the active one when no id is given)."""
    if version_id is None:
        version_id = active(session).version_id
    content = session.scalar(select(PlaybookVersion.content).where(PlaybookVersion.id == version_id))
    if content is None:
        raise NotFound(f"no playbook version {version_id}")
    return version_id, content


def active_version_id(session: Session) -> int:
    return active(session).version_id


def list_versions(session: Session) -> list[PlaybookVersion]:
    return list(session.scalars(select(PlaybookVersion).order_by(PlaybookVersion.id)))


def version_history(session: Session) -> list[dict[str, Any]]:
    """Every version newest first, parsed, each with what changed from the one before it."""
    rows, previous = [], None
    for version in list_versions(session):
        playbook = _parsed(version.id, version.content)
        changes = format_changes(diff_playbooks(previous, playbook)) if previous else []
        rows.append({"version": version, "playbook": playbook, "changes": changes})
        previous = playbook
    return rows[::-1]
