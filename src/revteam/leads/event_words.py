"""What a lead's event says in words, for people reading a timeline or the inbox's recent activity
(the event's type and data stay as they are for the API and `--json`)."""

from collections.abc import Callable, Mapping
from typing import Any

# Keys that explain the machinery rather than what happened: left out of the details people read.
INTERNAL_KEYS = frozenset({"lines", "candidates", "skipped", "offer", "enrollment", "campaign_id"})


def _words(code: Any) -> str:
    return str(code).replace("_", " ")


def _routed(data: Mapping[str, Any]) -> str:
    rep = data.get("rep")
    where = f" by rule {data['rule']}" if data.get("rule") else ""
    return f"routed to {rep}{where}" if rep else f"routed{where}"


def _rejected(data: Mapping[str, Any]) -> str:
    reason = f": {_words(data['reason'])}" if data.get("reason") else ""
    return f"rejected{reason}"


def _contacted(data: Mapping[str, Any]) -> str:
    via = _words(data.get("via") or data.get("kind") or "contact")
    return f"first contact by {via}" if data.get("first") else f"contacted by {via}"


def _disposed(data: Mapping[str, Any]) -> str:
    reason = f" ({_words(data['reason'])})" if data.get("reason") else ""
    return f"closed as {_words(data.get('outcome') or 'done')}{reason}"


def _track(verb: str) -> Callable[[Mapping[str, Any]], str]:
    return lambda data: f"{verb} cultivation track {_words(data.get('track', ''))}".rstrip()


PHRASES: dict[str, Callable[[Mapping[str, Any]], str]] = {
    "lead.captured": lambda d: f"came in from {_words(d['source'])}" if d.get("source") else "came in",
    "lead.touched": lambda d: f"engaged: {_words(d.get('type', 'activity'))}"
                              + (f" (+{d['points']} points)" if d.get("points") else ""),
    "lead.engaged": lambda d: f"{d.get('touches')} touch(es) from outside: "
                              + ", ".join(f"{_words(kind)} x {n}" for kind, n in (d.get("types") or {}).items()),
    "lead.scored": lambda d: f"scored {d.get('total')} (fit {d.get('fit')} + engagement {d.get('engagement')})",
    "lead.qualified": lambda d: f"became a marketing-qualified lead at score {d.get('total')}",
    "lead.routed": _routed,
    "lead.accepted": lambda d: "accepted",
    "lead.rejected": _rejected,
    "lead.contacted": _contacted,
    "lead.noted": lambda d: "note added",
    "lead.handed_off": lambda d: "handed off to an AE",
    "lead.reassigned": lambda d: f"reassigned to {d['rep']}" if d.get("rep") else "reassigned",
    "lead.returned": lambda d: "sent back to cultivation" + (f" ({_words(d['why'])})" if d.get("why") else ""),
    "lead.cultivating": _track("placed in"),
    "lead.evaluated": lambda d: f"evaluated: {_words(d.get('to', 'decided'))}",
    "lead.escalated": lambda d: f"escalated to the manager ({_words(d.get('why', 'late'))})",
    "lead.sla_warning": lambda d: "close to its accept deadline",
    "lead.sla_expired": lambda d: "missed its deadline" + (f" ({_words(d['then'])})" if d.get("then") else ""),
    "lead.disposed": _disposed,
    "touch.sent": lambda d: f"e-mailed {d.get('asset', 'a touch')} ({d.get('subject', '')})",
    "touch.failed": lambda d: f"e-mail {d.get('asset', '')} not delivered, attempt {d.get('attempt')}"
                              + (" (given up)" if d.get("final") else " (will retry)"),
    "touch.skipped": lambda d: f"touch {d.get('asset', '')} not sent: {d.get('why', 'suppressed')}",
    "task.created": lambda d: f"task for the owner: {d.get('title', d.get('asset', ''))}",
    "task.done": lambda d: f"task done: {d.get('title', '')}",
    "person.suppressed": lambda d: f"no more touches: {_words(d.get('kind', 'suppressed'))}"
                                   + (f" ({d['reason']})" if d.get("reason") else ""),
    "lead.edited": lambda d: "edited: " + ", ".join(_words(field) for field in d) if d else "edited",
    "lead.withdrawn": lambda d: "offer withdrawn",
    "lead.merged": lambda d: "merged with a duplicate",
    "track.enrolled": _track("entered"),
    "track.step": lambda d: f"cultivation: {d['what']}" if d.get("what") else "cultivation step",
    "track.completed": _track("finished"),
    "track.exited": _track("left"),
}


def phrase(event_type: str, data: Mapping[str, Any] | None) -> str:
    """What happened, in words: 'rejected: wrong territory', 'first contact by call'."""
    known = PHRASES.get(event_type)
    if known is None:
        return _words(event_type.split(".", 1)[-1])
    return known(data or {})


def shown(value: Any) -> str:
    """One value as a person reads it: lists joined, yes/no for flags, no Python syntax."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list | tuple):
        return ", ".join(shown(item) for item in value)
    if isinstance(value, dict):
        return ", ".join(f"{_words(key)} {shown(item)}" for key, item in value.items())
    return str(value)


def details(data: Mapping[str, Any] | None) -> list[tuple[str, str]]:
    """The event's details people read: (label, value) without empty values or internal keys."""
    return [(_words(key), shown(value)) for key, value in (data or {}).items()
            if key not in INTERNAL_KEYS and value not in (None, "", [], {})]
