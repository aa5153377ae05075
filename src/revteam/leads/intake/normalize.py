"""Normalization of the contact fields a lead arrives with: e-mail, phone, country, company size and
creation time (company names and web domains are the accounts domain's: accounts/normalize.py).
Pure functions, fast enough for bulk import."""

import re
from dataclasses import dataclass
from datetime import UTC, datetime, time
from functools import lru_cache

import email_validator
import phonenumbers
from phonenumbers.geodata.locale import LOCALE_DATA

from revteam.inputs import FIRST_DAY, INT32_MAX, LAST_DAY


@dataclass(frozen=True, slots=True)
class EmailResult:
    original: str
    normalized: str | None = None
    domain: str | None = None
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None and self.normalized is not None


# Plain ASCII addresses are most of any export: a regex accepting a strict subset of what
# email-validator accepts skips its ~50 µs per call. Anything else goes to email-validator.
_FAST_EMAIL = re.compile(
    r"[A-Za-z0-9_!#$%&'*+/=?^`{|}~-]+(?:\.[A-Za-z0-9_!#$%&'*+/=?^`{|}~-]+)*"
    r"@((?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+([A-Za-z]{2,63}))"
)
_SPECIAL_USE_TLDS = frozenset(email_validator.SPECIAL_USE_DOMAIN_NAMES)


def _fast_email(address: str) -> EmailResult | None:
    match = _FAST_EMAIL.fullmatch(address)
    if (match is None or len(address) > 254 or address.index("@") > 64 or "--" in match[1]
            or len(match[1]) > 253 or match[2].lower() in _SPECIAL_USE_TLDS):
        return None
    normalized = address.casefold()
    return EmailResult(address, normalized, normalized[normalized.index("@") + 1:])


def normalize_email(raw: str | None) -> EmailResult:
    """Check an e-mail's syntax (no DNS) and return it trimmed and casefolded, or the error."""
    original = (raw or "").strip()
    if not original:
        return EmailResult(original, error="empty e-mail")
    fast = _fast_email(original)
    if fast is not None:
        return fast
    try:
        checked = email_validator.validate_email(original, check_deliverability=False)
    except email_validator.EmailNotValidError as err:
        return EmailResult(original, error=str(err))
    normalized = checked.normalized.casefold()
    return EmailResult(original, normalized, checked.domain.casefold())


# --- countries -------------------------------------------------------------------------------

_COUNTRY_ALIASES = {
    "uk": "GB", "u.k.": "GB", "great britain": "GB", "britain": "GB", "england": "GB",
    "scotland": "GB", "wales": "GB", "northern ireland": "GB",
    "united kingdom of great britain and northern ireland": "GB",
    "usa": "US", "u.s.": "US", "u.s.a.": "US", "us": "US", "america": "US",
    "united states of america": "US", "the united states": "US",
    "korea": "KR", "republic of korea": "KR", "korea, republic of": "KR",
    "czechia": "CZ", "north macedonia": "MK", "eswatini": "SZ", "türkiye": "TR",
    "turkiye": "TR", "russian federation": "RU", "uae": "AE", "holland": "NL",
    "the netherlands": "NL", "ivory coast": "CI", "viet nam": "VN", "cote d'ivoire": "CI",
    "hong kong sar": "HK", "iran, islamic republic of": "IR", "drc": "CD",
    "democratic republic of the congo": "CD", "macau": "MO", "brasil": "BR",
    "deutschland": "DE", "españa": "ES", "méxico": "MX", "österreich": "AT", "schweiz": "CH",
    "suisse": "CH", "italia": "IT", "nederland": "NL", "polska": "PL", "sverige": "SE",
    "norge": "NO", "danmark": "DK", "suomi": "FI", "belgië": "BE", "belgique": "BE",
    "中国": "CN", "日本": "JP", "대한민국": "KR",
    "gbr": "GB", "deu": "DE", "fra": "FR", "can": "CA", "aus": "AU",
    "esp": "ES", "ita": "IT", "nld": "NL", "che": "CH", "aut": "AT", "swe": "SE", "ind": "IN",
    "jpn": "JP", "chn": "CN", "bra": "BR", "mex": "MX", "irl": "IE", "pol": "PL",
}


def _english_name(region: str) -> str | None:
    names = LOCALE_DATA.get(region, {})
    name = names.get("en")
    while name and name.startswith("*"):  # phonenumbers stores shared names as back-references
        name = names.get(name[1:])
    return name


def _country_table() -> dict[str, str]:
    table = {}
    for region in LOCALE_DATA:
        table[region.casefold()] = region
        name = _english_name(region)
        if name:
            table[name.casefold()] = region
    table.update(_COUNTRY_ALIASES)
    return table


_COUNTRIES = _country_table()


def country_code(raw: str | None) -> str | None:
    """ISO 3166 alpha-2 code for a country name or code ("Germany", "UK", "us"), or None."""
    if not raw:
        return None
    key = raw.strip().casefold()
    return _COUNTRIES.get(key) or _COUNTRIES.get(key.removeprefix("the "))


# --- phone -----------------------------------------------------------------------------------

@lru_cache(maxsize=65536)
def _phone_e164(raw: str, region: str | None) -> str | None:
    try:
        number = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_possible_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def normalize_phone(raw: str | None, country: str | None = None) -> str | None:
    """E.164 form of a phone number read in `country` (name or ISO code), or None if unusable."""
    if not raw or not raw.strip():
        return None
    return _phone_e164(raw.strip(), country_code(country))


# --- numbers and dates -----------------------------------------------------------------------

_EMPLOYEE_COUNT = re.compile(r"(\d+)(?:\.0*)?")
_EMPLOYEE_RANGE = re.compile(r"(\d+)\s*(?:\+|(?:-|–|to)\s*\d+)")


def parse_employees(raw: str | None) -> int | None:
    """Company size as a whole number up to INT32_MAX (the column's); a band ("51-200", "10,001+")
    gives its lower bound."""
    text = (raw or "").strip().replace(",", "").replace("\u00a0", "").replace(" ", "")
    if not text:
        return None
    match = _EMPLOYEE_COUNT.fullmatch(text) or _EMPLOYEE_RANGE.fullmatch(text)
    # Python refuses to convert a digit string over 4,300 characters at all (ValueError)
    if match is None or len(match[1].lstrip("0")) > len(str(INT32_MAX)):
        return None
    count = int(match[1])
    return count if count <= INT32_MAX else None


_US_DATE = re.compile(
    r"(\d{1,2})/(\d{1,2})/(\d{4}|\d{2})(?:,?\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([AaPp][Mm])?)?"
)


def _us_datetime(match: re.Match) -> datetime:
    month, day, year, hour, minute, second, half = match.groups()
    year_n = int(year) + (2000 if len(year) == 2 else 0)
    hour_n = int(hour or 0)
    if half:
        hour_n = hour_n % 12 + (12 if half.lower() == "pm" else 0)
    return datetime(year_n, int(month), int(day), hour_n, int(minute or 0), int(second or 0),
                    tzinfo=UTC)


FIRST_MOMENT = datetime.combine(FIRST_DAY, time.min, UTC)
LAST_MOMENT = datetime.combine(LAST_DAY, time.max, UTC)


def parse_created(raw: str | None) -> datetime | None:
    """Creation time as aware UTC from FIRST_MOMENT to LAST_MOMENT (the days every database and the
    calendar arithmetic after it accept): ISO ("2024-03-05T14:22:01.000Z", "2024-03-05 14:22") or
    US report style ("3/5/2024 2:22 PM"); times without an offset are taken as UTC."""
    try:
        moment = _parsed_moment(raw)
    except (ValueError, OverflowError):  # OverflowError: an offset moving the day out of Python's years
        return None
    return moment if moment is not None and FIRST_MOMENT <= moment <= LAST_MOMENT else None


def _parsed_moment(raw: str | None) -> datetime | None:
    text = (raw or "").strip()
    if not text:
        return None
    if text[:4].isdigit():
        moment = datetime.fromisoformat(text)
    else:
        match = _US_DATE.fullmatch(text)
        if match is None:
            return None
        moment = _us_datetime(match)
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)
