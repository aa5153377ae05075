from datetime import UTC, datetime

import email_validator
import pytest
from cleanco import basename
from hypothesis import given
from hypothesis import strategies as st

from revteam.accounts.normalize import is_free_mail, normalize_company, normalize_domain
from revteam.leads.intake.normalize import (
    country_code, normalize_email, normalize_phone, parse_created, parse_employees,
)


def test_email_is_trimmed_and_casefolded_with_its_domain():
    result = normalize_email("  Bob.Smith@Acme.COM ")
    assert (result.ok, result.normalized, result.domain) == (True, "bob.smith@acme.com", "acme.com")


@pytest.mark.parametrize("raw", ["bob@@acme.com", "bob", "bob@acme", "bob@acme.test", "a b@acme.com", ""])
def test_malformed_email_is_an_error_with_a_message(raw):
    result = normalize_email(raw)
    assert not result.ok and result.normalized is None and result.error


def test_unicode_email_keeps_its_unicode_domain():
    result = normalize_email("Zoë@Exämple.de")
    assert (result.normalized, result.domain) == ("zoë@exämple.de", "exämple.de")


def test_punycode_email_domain_is_read_as_unicode():
    assert normalize_email("a@xn--mller-kva.de").domain == "müller.de"


def _reference_email(raw: str) -> str | None:
    try:
        checked = email_validator.validate_email(raw.strip(), check_deliverability=False)
    except email_validator.EmailNotValidError:
        return None
    return checked.normalized.casefold()


_email_alphabet = st.sampled_from(list("abcXYZ019.-_+@'!é李") + ["xn--", "--", ".test", ".com"])


@given(st.lists(_email_alphabet, max_size=30).map("".join))
def test_fast_email_check_agrees_with_email_validator(raw):
    assert normalize_email(raw).normalized == _reference_email(raw)


@given(st.from_regex(r"[a-z0-9.+_-]{1,70}@[a-z0-9.-]{1,70}\.[a-z]{1,5}", fullmatch=True))
def test_fast_email_check_agrees_with_email_validator_on_plausible_addresses(raw):
    assert normalize_email(raw).normalized == _reference_email(raw)


@pytest.mark.parametrize(("raw", "country", "e164"), [
    ("(415) 555-0132", "United States", "+14155550132"),
    ("020 7946 0958", "UK", "+442079460958"),
    ("030 1234567", "Germany", "+49301234567"),
    ("030 1234567", "de", "+49301234567"),
    ("+34 912 345 678", None, "+34912345678"),
    ("+34 912 345 678", "Narnia", "+34912345678"),
])
def test_phone_is_e164_read_in_its_country(raw, country, e164):
    assert normalize_phone(raw, country) == e164


@pytest.mark.parametrize("raw", ["12", "call me maybe", "", "   ", None])
def test_unusable_phone_is_none(raw):
    assert normalize_phone(raw, "US") is None


def test_national_phone_without_a_country_is_none():
    assert normalize_phone("030 1234567", None) is None


@pytest.mark.parametrize(("raw", "normalized"), [
    ("Acme, Inc.", "acme"),
    ("ACME INC", "acme"),
    ("Müller GmbH", "müller"),
    ("Initrode S.A.", "initrode"),
    ("Tyrell Corporation Ltd", "tyrell corporation"),
    ("Globex LLC", "globex"),
    ("Procter & Gamble Co.", "procter gamble"),
    ("  Wayne   Enterprises ", "wayne enterprises"),
    ("李雷科技有限公司", "李雷科技有限公司"),
    ("", ""),
])
def test_company_is_casefolded_without_legal_form_or_punctuation(raw, normalized):
    assert normalize_company(raw) == normalized


def _reference_company(raw: str) -> str:
    import re
    return " ".join(re.sub(r"[^\w]+", " ", basename(raw).casefold()).replace("_", " ").split())


_company_words = st.sampled_from(
    ["Acme", "inc", "Inc.", "GmbH", "&", "Co.", "KG", "S.A.", "s", "de", "rl", "ltd", "LLC", "Müller",
     "ООО", "AB", "Corp", ",", "!", " ", "-", "oy", "Société", "Générale", "plc", "bv", "N.V."])


@given(st.lists(_company_words, max_size=8).map(" ".join))
def test_company_suffix_removal_matches_cleanco(raw):
    assert normalize_company(raw) == _reference_company(raw)


@given(st.text(max_size=25))
def test_company_normalization_matches_cleanco_for_any_text(raw):
    assert normalize_company(raw) == _reference_company(raw)


@pytest.mark.parametrize(("raw", "domain"), [
    ("https://www.Acme.com/about?x=1", "acme.com"),
    ("acme.com:8080", "acme.com"),
    ("http://user@www.müller.de/x", "müller.de"),
    ("xn--mller-kva.de", "müller.de"),
    ("WWW.TYRELL.CO.UK.", "tyrell.co.uk"),
    ("initrode.es/en/", "initrode.es"),
])
def test_domain_is_the_bare_lowercase_host(raw, domain):
    assert normalize_domain(raw) == domain


@pytest.mark.parametrize("raw", ["n/a", "initech dot com", "localhost", "1.2.3.4", "http://", "", None,
                                 ".".join(["a" * 60] * 5) + ".com"])
def test_website_without_a_domain_gives_none(raw):
    assert normalize_domain(raw) is None


@pytest.mark.parametrize("domain", [
    "gmail.com", "googlemail.com", "outlook.com", "hotmail.fr", "yahoo.co.uk", "icloud.com",
    "proton.me", "gmx.at", "web.de", "mail.ru", "yandex.ru", "qq.com", "163.com", "GMAIL.COM",
])
def test_consumer_mail_domains_are_free_mail(domain):
    assert is_free_mail(domain)


@pytest.mark.parametrize("domain", ["acme.com", "mueller-gmbh.de", "yahoo.acme.com", "", None])
def test_company_domains_are_not_free_mail(domain):
    assert not is_free_mail(domain)


@pytest.mark.parametrize(("raw", "code"), [
    ("Germany", "DE"), ("germany ", "DE"), ("DE", "DE"), ("United States", "US"), ("USA", "US"),
    ("us", "US"), ("UK", "GB"), ("United Kingdom", "GB"), ("South Korea", "KR"),
    ("The Netherlands", "NL"), ("Deutschland", "DE"), ("China", "CN"),
])
def test_country_names_and_codes_give_iso2(raw, code):
    assert country_code(raw) == code


@pytest.mark.parametrize("raw", ["Narnia", "", None])
def test_unknown_country_is_none(raw):
    assert country_code(raw) is None


@pytest.mark.parametrize(("raw", "count"), [
    ("1200", 1200), ("1,200", 1200), ("1200.0", 1200), (" 250 ", 250),
    ("51-200", 51), ("1,001 - 5,000", 1001), ("10,001+", 10001),
])
def test_employees_are_a_whole_number_and_a_band_its_lower_bound(raw, count):
    assert parse_employees(raw) == count


@pytest.mark.parametrize("raw", ["lots", "-5", "1.5", "", None])
def test_unparseable_employees_are_none(raw):
    assert parse_employees(raw) is None


@pytest.mark.parametrize(("raw", "moment"), [
    ("2024-03-05T14:22:01.000Z", datetime(2024, 3, 5, 14, 22, 1, tzinfo=UTC)),
    ("3/5/2024 2:22 PM", datetime(2024, 3, 5, 14, 22, tzinfo=UTC)),
    ("12/31/2023 12:05 AM", datetime(2023, 12, 31, 0, 5, tzinfo=UTC)),
    ("2024-03-05 14:22", datetime(2024, 3, 5, 14, 22, tzinfo=UTC)),
    ("3/5/2024", datetime(2024, 3, 5, tzinfo=UTC)),
    ("2024-03-05T16:22:00+02:00", datetime(2024, 3, 5, 14, 22, tzinfo=UTC)),
])
def test_created_dates_of_each_export_are_utc(raw, moment):
    parsed = parse_created(raw)
    assert parsed == moment and parsed.utcoffset().total_seconds() == 0


@pytest.mark.parametrize("raw", ["last tuesday", "13/45/2024", "2024-02-30", "", None])
def test_unparseable_created_date_is_none(raw):
    assert parse_created(raw) is None
