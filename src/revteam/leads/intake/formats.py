"""Reading lead files exported from Salesforce, HubSpot or in our own columns, streamed row by
row into canonical, normalized rows or refusals that name the file line where the record starts."""

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import yaml

from revteam.accounts.models import Account, Person
from revteam.errors import BadInput, quoted
from revteam.inputs import FIRST_DAY, INT32_MAX, LAST_DAY
from revteam.leads.models import Campaign, Lead
from revteam.accounts.normalize import is_free_mail, normalize_company, normalize_domain
from revteam.leads.intake.outcomes import OUTCOMES, historical_outcome
from revteam.leads.intake.records import CONTROL, UnreadableRecord, open_records
from revteam.leads.intake.normalize import (
    country_code, normalize_email, normalize_phone, parse_created, parse_employees,
)

CANONICAL_FIELDS = (
    "first_name", "last_name", "email", "phone", "title", "company", "website", "country",
    "state", "city", "industry", "employees", "source", "campaign", "status", "created_at",
    "product_interest", "outcome", "closed_at", "lifecycle_stage", "is_converted", "committee_role",
)
FORMATS = ("salesforce", "hubspot", "csv")


@dataclass(slots=True)
class CanonicalRow:
    line: int
    first_name: str | None = None
    last_name: str | None = None
    email: str | None = None
    phone: str | None = None
    title: str | None = None
    company: str | None = None
    website: str | None = None
    country: str | None = None
    state: str | None = None
    city: str | None = None
    industry: str | None = None
    employees: int | None = None
    source: str | None = None
    campaign: str | None = None
    status: str | None = None
    created_at: datetime | None = None
    product_interest: str | None = None
    outcome: str | None = None  # a closed historical lead: won, lost or not_a_lead (intake/history.py)
    closed_at: datetime | None = None
    lifecycle_stage: str | None = None
    is_converted: str | None = None
    committee_role: str | None = None  # as given, casefolded with spaces as underscores; checked when it lands
    email_normalized: str | None = None
    email_domain: str | None = None
    phone_e164: str | None = None
    company_normalized: str = ""
    domain: str | None = None
    country_code: str | None = None
    custom: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


# Fields stored in a column of limited length. A longer value is cut to fit, with a warning,
# the same way on every database (PostgreSQL would refuse the whole chunk, SQLite keep it all).
STORED_LENGTHS = {
    name: column.type.length for name, column in (
        ("first_name", Person.first_name), ("last_name", Person.last_name), ("title", Person.title),
        ("company", Account.name), ("industry", Account.industry), ("source", Lead.source),
        ("campaign", Campaign.name), ("product_interest", Lead.product_interest))
}
_NORMALIZED_COMPANY_LENGTH = Account.name_normalized.type.length


@dataclass(frozen=True, slots=True)
class RefusedRow:
    line: int
    reason: str


# Header names are matched trimmed and casefolded. When several columns feed one field, the
# first listed that has a value wins; the others are also kept in `custom`.
SALESFORCE_COLUMNS = {
    "firstname": "first_name", "first name": "first_name",
    "lastname": "last_name", "last name": "last_name",
    "company": "company", "company / account": "company",
    "email": "email",
    "phone": "phone", "mobilephone": "phone", "mobile": "phone", "mobile phone": "phone",
    "title": "title",
    "leadsource": "source", "lead source": "source",
    "status": "status", "lead status": "status",
    "industry": "industry",
    "numberofemployees": "employees", "no. of employees": "employees", "employees": "employees",
    "country": "country", "countrycode": "country", "country code": "country",
    "state": "state", "state/province": "state", "statecode": "state",
    "city": "city",
    "website": "website",
    "createddate": "created_at", "create date": "created_at", "created date": "created_at",
    "productinterest__c": "product_interest", "product interest": "product_interest",
    "campaign": "campaign", "campaign name": "campaign",
    "isconverted": "is_converted", "converted": "is_converted",
    "converteddate": "closed_at", "converted date": "closed_at",
    "lastmodifieddate": "closed_at", "last modified date": "closed_at",
}
HUBSPOT_COLUMNS = {
    "first name": "first_name", "last name": "last_name", "email": "email",
    "phone number": "phone", "mobile phone number": "phone",
    "job title": "title", "company name": "company", "lead status": "status",
    "create date": "created_at", "website url": "website", "original source": "source",
    "number of employees": "employees", "country/region": "country", "state/region": "state",
    "city": "city", "industry": "industry", "product interest": "product_interest",
    "campaign": "campaign", "campaign name": "campaign",
    "lifecycle stage": "lifecycle_stage",
    "became a customer date": "closed_at", "last modified date": "closed_at",
}
CSV_COLUMNS = {name: name for name in CANONICAL_FIELDS}
_COLUMNS = {"salesforce": SALESFORCE_COLUMNS, "hubspot": HUBSPOT_COLUMNS, "csv": CSV_COLUMNS}
# Columns only one source writes: they decide auto-detection when shared labels tie.
_MARKERS = {
    "csv": {"first_name", "last_name", "created_at", "product_interest"},
    "salesforce": {"firstname", "lastname", "leadsource", "createddate", "numberofemployees",
                   "ownerid", "id", "company / account", "lead source", "no. of employees",
                   "state/province", "lead owner", "mobilephone", "isconverted"},
    "hubspot": {"record id", "phone number", "job title", "company name", "lifecycle stage",
                "website url", "original source", "country/region", "state/region",
                "contact owner", "number of employees", "mobile phone number"},
}


def _key(column: str) -> str:
    return " ".join(column.split()).casefold()


def _format_score(keys: list[str], name: str) -> tuple[int, int]:
    return (sum(k in _MARKERS[name] for k in keys), sum(k in _COLUMNS[name] for k in keys))


def detect_format(header: list[str], *, source: str = "file") -> str:
    """Which export wrote this header: "salesforce", "hubspot" or "csv" (our own columns)."""
    keys = [_key(column) for column in header]
    best = max(("csv", "salesforce", "hubspot"), key=lambda name: _format_score(keys, name))
    if _format_score(keys, best)[1] == 0:
        raise BadInput("no recognizable lead columns (expected a Salesforce or HubSpot export, "
                       "our csv columns, or a --mapping file)", where=f"{source}:1")
    return best


def load_mapping(path: str | Path) -> dict[str, str]:
    """Read a mapping file `{columns: {"Their Column": canonical_name}}` and check its names."""
    try:
        document = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as err:
        raise BadInput(f"cannot read mapping: {err}", where=str(path)) from err
    columns = document.get("columns") if isinstance(document, dict) else None
    if not isinstance(columns, dict) or not columns:
        raise BadInput("a mapping needs `columns:` with 'Their Column: canonical_name' entries",
                       where=str(path))
    for column, target in columns.items():
        if target not in CANONICAL_FIELDS:
            raise BadInput(f"unknown field {quoted(target)}; known fields: {', '.join(CANONICAL_FIELDS)}",
                           where=f"{path}: columns.{column}")
    return {str(column): target for column, target in columns.items()}


@dataclass(frozen=True, slots=True)
class _ColumnPlan:
    header: tuple[str, ...]
    single: tuple[tuple[str, int], ...]
    fallbacks: tuple[tuple[str, tuple[int, ...]], ...]
    custom: tuple[tuple[int, str], ...]

    def column_of(self, name: str, cells: list[str]) -> str:
        """Header of the column a field's value was taken from."""
        indexes = dict(self.fallbacks).get(name) or (dict(self.single)[name],)
        return next(self.header[i] for i in indexes if cells[i].strip())


def _check_header(header: list[str], where: str) -> None:
    seen: set[str] = set()
    for column in header:
        key = _key(column)
        if key and key in seen:
            raise BadInput(f"duplicate column {quoted(column.strip())} in the header", where=where)
        seen.add(key)


def _plan_columns(header: list[str], format: str, mapping: dict[str, str], path) -> _ColumnPlan:
    where = f"{path}:1"
    _check_header(header, where)
    if format == "auto":
        format = detect_format(header, source=str(path)) if not mapping else _lenient(header)
    elif format not in FORMATS:
        raise BadInput(f"unknown format {quoted(format)}; use auto, {', '.join(FORMATS)}", where="--format")
    known = {**_COLUMNS.get(format, {}), **{_key(k): v for k, v in mapping.items()}}
    priority = {key: rank for rank, key in enumerate(known)}
    sources: dict[str, list[int]] = {}
    for index in sorted(range(len(header)), key=lambda i: priority.get(_key(header[i]), 0)):
        target = known.get(_key(header[index]))
        if target:
            sources.setdefault(target, []).append(index)
    if "email" not in sources and "phone" not in sources:
        raise BadInput("the header has no e-mail and no phone column", where=where)
    extra = {i for indexes in sources.values() for i in indexes[1:]}
    mapped = {i for indexes in sources.values() for i in indexes}
    custom = tuple((i, header[i].strip() or f"column {i + 1}")
                   for i in range(len(header)) if i not in mapped or i in extra)
    return _ColumnPlan(tuple(h.strip() for h in header),
                       tuple((f, ix[0]) for f, ix in sources.items() if len(ix) == 1),
                       tuple((f, tuple(ix)) for f, ix in sources.items() if len(ix) > 1), custom)


def _lenient(header: list[str]) -> str:
    try:
        return detect_format(header)
    except BadInput:
        return "mapping-only"


def read_rows(path: str | Path, *, format: str = "auto",
              mapping_path: str | Path | None = None) -> Iterator[CanonicalRow | RefusedRow]:
    """Stream a lead file as canonical rows or refusals, each with the line its record starts on."""
    mapping = load_mapping(mapping_path) if mapping_path else {}
    with open_records(path) as (header, records):
        plan = _plan_columns(header, format, mapping, path)
        for record in records:
            if isinstance(record, UnreadableRecord):
                yield RefusedRow(record.line, record.reason)
                continue
            yield _read_record(record.cells, record.line, plan)


def _without_control_characters(cells: list[str], header: tuple[str, ...]) -> tuple[list[str], list[str]]:
    """The cells with control characters dropped, and a warning for each cell that held some."""
    if not CONTROL.search("".join(cells)):
        return cells, []
    cleaned, warnings = [], []
    for column, cell in zip(header, cells):
        if found := sorted({f"U+{ord(character):04X}" for character in CONTROL.findall(cell)}):
            warnings.append(f"{quoted(cell)} (column {column}) holds control characters ({', '.join(found)}); "
                            "dropped them")
            cell = CONTROL.sub("", cell)
        cleaned.append(cell)
    return cleaned, warnings


def _read_record(cells: list[str], line: int, plan: _ColumnPlan) -> CanonicalRow | RefusedRow:
    width = len(plan.header)
    if len(cells) != width:
        if any(c.strip() for c in cells[width:]):
            return RefusedRow(line, f"the row has {len(cells)} fields but the header has {width}")
        cells = cells[:width] + [""] * (width - len(cells))
    cells, warnings = _without_control_characters(cells, plan.header)
    values = {name: value for name, i in plan.single if (value := cells[i].strip())}
    for name, indexes in plan.fallbacks:
        values[name] = next((v for i in indexes if (v := cells[i].strip())), None)
    custom = {name: value for i, name in plan.custom if (value := cells[i].strip())}
    row = CanonicalRow(line, custom=custom, warnings=warnings, **values)
    refusal = _normalize_contact(row, lambda name: plan.column_of(name, cells))
    if refusal:
        return RefusedRow(line, refusal)
    _normalize_details(row, lambda name: plan.column_of(name, cells))
    return row


def _cut_to_stored_lengths(row: CanonicalRow, column_of: Callable[[str], str]) -> None:
    for name, length in STORED_LENGTHS.items():
        value = getattr(row, name)
        if value is not None and len(value) > length:
            row.warnings.append(f"{name} {quoted(value)} (column {column_of(name)}) is too long; "
                                f"cut to the first {length} characters")
            setattr(row, name, value[:length])


def _normalize_details(row: CanonicalRow, column_of: Callable[[str], str]) -> None:
    _cut_to_stored_lengths(row, column_of)
    if row.committee_role:
        row.committee_role = "_".join(row.committee_role.casefold().split())
    # casefolding can lengthen a name (ß becomes ss)
    row.company_normalized = normalize_company(row.company)[:_NORMALIZED_COMPANY_LENGTH]
    if row.website:
        row.domain = normalize_domain(row.website)
        if row.domain is None:
            _left_empty(row, "website", "is not a web address", column_of)
    if row.domain is None and row.email_domain and not is_free_mail(row.email_domain):
        row.domain = row.email_domain
    if row.employees is not None:
        employees = parse_employees(row.employees)
        if employees is None:
            _left_empty(row, "employees", f"is not a number of employees from 0 to {INT32_MAX:,}", column_of)
        row.employees = employees
    if row.created_at is not None:
        created = parse_created(row.created_at)
        if created is None:
            _left_empty(row, "created_at", f"is not a date from {FIRST_DAY} to {LAST_DAY}", column_of)
        row.created_at = created
    _read_outcome(row, column_of)


def _read_outcome(row: CanonicalRow, column_of: Callable[[str], str]) -> None:
    """The historical outcome the export states, and when the lead closed (history.py decides)."""
    if row.closed_at is not None:
        closed = parse_created(row.closed_at)
        if closed is None:
            _left_empty(row, "closed_at", f"is not a date from {FIRST_DAY} to {LAST_DAY}", column_of)
        row.closed_at = closed
    if row.outcome is not None and row.outcome not in OUTCOMES:
        _left_empty(row, "outcome", f"is not one of {', '.join(OUTCOMES)}", column_of)
    row.outcome = row.outcome or historical_outcome(row.status, row.is_converted, row.lifecycle_stage)


def _normalize_contact(row: CanonicalRow, column_of: Callable[[str], str]) -> str | None:
    """Fill the normalized e-mail and phone; return why the row is refused, if it is."""
    if row.email:
        email = normalize_email(row.email)
        if not email.ok:
            return f"invalid e-mail {quoted(row.email)} (column {column_of('email')}): {email.error}"
        row.email, row.email_normalized, row.email_domain = email.original, email.normalized, email.domain
    row.country_code = country_code(row.country)
    if row.phone:
        row.phone_e164 = normalize_phone(row.phone, row.country_code)
        if row.phone_e164 is None:
            if not row.email:
                return f"no e-mail and phone {quoted(row.phone)} (column {column_of('phone')}) is not a phone number"
            _left_empty(row, "phone", "is not a phone number", column_of)
    elif not row.email:
        return "no e-mail and no phone"
    return None


def _left_empty(row: CanonicalRow, name: str, problem: str, column_of: Callable[[str], str]) -> None:
    row.warnings.append(f"{name} {quoted(getattr(row, name))} (column {column_of(name)}) {problem}; left empty")
    setattr(row, name, None)


def row_from_fields(fields: dict[str, str | None], *, line: int) -> CanonicalRow | RefusedRow:
    """Normalize one lead given in canonical field names (API and web forms); `line` numbers it."""
    values = {name: str(value).strip() for name, value in fields.items()
              if name in CANONICAL_FIELDS and value not in (None, "")}
    row = CanonicalRow(line, **values)
    refusal = _normalize_contact(row, lambda name: name)
    if refusal:
        return RefusedRow(line, refusal)
    _normalize_details(row, lambda name: name)
    return row
