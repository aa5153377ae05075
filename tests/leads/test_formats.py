from datetime import UTC, datetime
from pathlib import Path

import pytest

from revteam.errors import BadInput
from revteam.leads.intake.formats import (
    CanonicalRow, RefusedRow, detect_format, load_mapping, read_rows,
)

IMPORTS = Path(__file__).parent.parent / "fixtures" / "imports"
DATALOADER = IMPORTS / "salesforce_dataloader.csv"
REPORT = IMPORTS / "salesforce_report.csv"
HUBSPOT = IMPORTS / "hubspot_contacts.csv"


def rows_by_line(path, **options) -> dict[int, CanonicalRow | RefusedRow]:
    return {row.line: row for row in read_rows(path, **options)}


def write(tmp_path, text: str, name="leads.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8"))
    return path


@pytest.mark.parametrize(("header", "format"), [
    (["Id", "FirstName", "LastName", "Company", "Email", "LeadSource", "CreatedDate"], "salesforce"),
    (["First Name", "Last Name", "Company / Account", "Email", "Lead Source", "Create Date"], "salesforce"),
    (["Record ID", "First Name", "Last Name", "Email", "Phone Number", "Lifecycle Stage"], "hubspot"),
    (["first_name", "last_name", "email", "phone", "created_at"], "csv"),
])
def test_export_format_is_detected_from_its_header(header, format):
    assert detect_format(header) == format


def test_header_with_no_known_column_is_bad_input_naming_the_file():
    with pytest.raises(BadInput, match=r"leads\.csv:1"):
        detect_format(["Foo", "Bar"], source="leads.csv")


def test_dataloader_export_lands_with_normalized_values():
    zoe = rows_by_line(DATALOADER)[2]
    assert (zoe.first_name, zoe.last_name, zoe.company) == ("Zoë", "Ångström", "Müller GmbH")
    assert (zoe.email_normalized, zoe.phone_e164, zoe.company_normalized) == (
        "zoe.angstrom@mueller-gmbh.de", "+49301234567", "müller")
    assert (zoe.domain, zoe.country_code, zoe.employees) == ("mueller-gmbh.de", "DE", 1200)
    assert (zoe.source, zoe.status, zoe.product_interest) == ("Web", "Open - Not Contacted", "GC1000 series")
    assert zoe.created_at == datetime(2024, 3, 5, 14, 22, 1, tzinfo=UTC)


def test_unknown_salesforce_columns_are_kept_as_custom_attributes():
    zoe = rows_by_line(DATALOADER)[2]
    assert zoe.custom["Id"] == "00Q5g00000A1bCdEAF"
    assert zoe.custom["Rating"] == "Hot" and zoe.custom["OwnerId"] == "0055g00000AbCdEAAV"


def test_quoted_address_with_newline_and_commas_stays_one_field():
    bob = rows_by_line(DATALOADER)[3]
    assert bob.custom["Street"] == "Suite 400, Building B\r\n1 Market St, Floor 2"
    assert bob.company_normalized == "acme" and bob.phone_e164 == "+14155550132"


def test_records_after_a_multiline_record_report_their_own_start_line():
    assert sorted(rows_by_line(DATALOADER)) == [2, 3, 5, 6, 7, 8, 9, 10]


def test_malformed_email_refuses_the_row_naming_value_and_column():
    refused = rows_by_line(DATALOADER)[5]
    assert isinstance(refused, RefusedRow)
    assert refused.reason.startswith("invalid e-mail 'jane@@globex.com' (column Email)")


def test_row_without_email_or_phone_is_refused():
    assert rows_by_line(DATALOADER)[7] == RefusedRow(7, "no e-mail and no phone")


def test_row_whose_only_contact_is_an_unusable_phone_is_refused():
    refused = rows_by_line(DATALOADER)[8]
    assert refused == RefusedRow(8, "no e-mail and phone '12' (column Phone) is not a phone number")


def test_unparseable_optional_fields_land_empty_with_a_warning_each():
    bill = rows_by_line(DATALOADER)[9]
    assert (bill.phone, bill.phone_e164, bill.website, bill.employees, bill.created_at) == (
        None, None, None, None, None)
    assert bill.warnings == [
        "phone 'call me maybe' (column Phone) is not a phone number; left empty",
        "website 'initech dot com' (column Website) is not a web address; left empty",
        "employees 'lots' (column NumberOfEmployees) is not a number of employees from 0 to 2,147,483,647; left empty",
        "created_at 'last tuesday' (column CreatedDate) is not a date from 1900-01-01 to 2999-12-31; left empty",
    ]


def test_account_domain_falls_back_to_the_email_domain():
    assert rows_by_line(DATALOADER)[9].domain == "initech.com"


def test_free_mail_domain_is_never_the_account_domain():
    li = rows_by_line(DATALOADER)[6]
    assert (li.first_name, li.last_name, li.email_domain, li.domain) == ("雷", "李", "gmail.com", None)


def test_duplicate_person_in_another_spelling_normalizes_to_the_same_email():
    rows = rows_by_line(DATALOADER)
    assert rows[10].email == "Zoe.Angstrom@Mueller-GmbH.de"
    assert rows[10].email_normalized == rows[2].email_normalized


def test_mobile_phone_is_used_when_phone_is_empty_and_kept_in_custom():
    zoe_again = rows_by_line(DATALOADER)[10]
    assert zoe_again.phone_e164 == "+4915123456789"
    assert zoe_again.custom["MobilePhone"] == "+49 151 23456789"


def test_salesforce_report_with_bom_and_crlf_lands_with_label_columns():
    priya = rows_by_line(REPORT)[2]
    assert (priya.first_name, priya.company_normalized, priya.employees) == ("Priya", "tyrell corporation", 1200)
    assert (priya.phone_e164, priya.domain, priya.country_code) == ("+442079460958", "tyrell.co.uk", "GB")
    assert priya.created_at == datetime(2024, 3, 5, 14, 22, tzinfo=UTC)
    assert priya.custom == {"Lead Owner": "Alice Rep", "Street": "1 Canary Wharf", "Rating": "Hot"}


def test_salesforce_report_band_of_employees_gives_its_lower_bound():
    assert rows_by_line(REPORT)[3].employees == 51


def test_hubspot_export_lands_with_its_columns():
    maria = rows_by_line(HUBSPOT)[2]
    assert (maria.last_name, maria.title, maria.company_normalized) == ("García", "Marketing Director", "initrode")
    assert (maria.phone_e164, maria.domain, maria.source) == ("+34912345678", "initrode.es", "Organic Search")
    assert (maria.status, maria.employees, maria.state) == ("NEW", 51, "Madrid")
    assert maria.created_at == datetime(2024, 3, 5, 14, 22, tzinfo=UTC)
    assert (maria.lifecycle_stage, maria.outcome) == ("Marketing Qualified Lead", None)
    assert maria.custom == {"Record ID": "51", "Contact owner": "Carol Marketing", "Favorite Color": "teal"}


def test_hubspot_free_mail_contact_has_no_account_domain():
    assert rows_by_line(HUBSPOT)[3].domain is None


def test_canonical_csv_lands_field_by_field():
    dana = rows_by_line(IMPORTS / "canonical.csv")[2]
    assert (dana.campaign, dana.product_interest, dana.employees) == ("2024-q1-webinar", "analytics", 5000)
    assert (dana.email_normalized, dana.phone_e164, dana.custom) == ("dana@umbrella.com", "+12125550100", {})


def test_mapping_file_reads_any_other_export():
    rows = list(read_rows(IMPORTS / "pipedrive_people.csv",
                          mapping_path=IMPORTS / "pipedrive_mapping.yaml"))
    assert [(r.email_normalized, r.phone_e164, r.company_normalized) for r in rows] == [
        ("mia@soylent.com", "+498912345678", "soylent")]
    assert rows[0].custom == {"Person - Name": "Mia Müller", "Deal - Title": "Q2 expansion"}


def test_mapping_to_an_unknown_field_is_bad_input_naming_file_and_key():
    with pytest.raises(BadInput, match=r"bad_mapping\.yaml: columns\.Person - Name.*'full_name'"):
        load_mapping(IMPORTS / "bad_mapping.yaml")


def test_mapping_without_columns_is_bad_input(tmp_path):
    with pytest.raises(BadInput, match="columns"):
        load_mapping(write(tmp_path, "email: Email\n", "map.yaml"))


def test_mapping_overrides_a_detected_column(tmp_path):
    path = write(tmp_path, "Email,Phone,Work Email\n,,ann@acme.com\n")
    mapping = write(tmp_path, 'columns:\n  "Work Email": email\n', "map.yaml")
    (ann,) = read_rows(path, mapping_path=mapping)
    assert ann.email_normalized == "ann@acme.com"


def test_header_with_duplicate_columns_is_bad_input_on_line_1(tmp_path):
    path = write(tmp_path, "Email,Phone,Email\nann@acme.com,,\n")
    with pytest.raises(BadInput, match=r"leads\.csv:1: duplicate column 'Email'"):
        list(read_rows(path))


def test_header_without_email_or_phone_column_is_bad_input_on_line_1(tmp_path):
    path = write(tmp_path, "FirstName,LastName,Company\nAnn,Lee,Acme\n")
    with pytest.raises(BadInput, match=r"leads\.csv:1: .*no e-mail and no phone column"):
        list(read_rows(path))


def test_unrecognizable_header_is_bad_input_naming_the_file(tmp_path):
    with pytest.raises(BadInput, match=r"leads\.csv:1"):
        list(read_rows(write(tmp_path, "Foo,Bar\n1,2\n")))


def test_explicit_format_overrides_detection(tmp_path):
    path = write(tmp_path, "Email,Job Title\nann@acme.com,CEO\n")
    (ann,) = read_rows(path, format="hubspot")
    assert ann.title == "CEO"


def test_unknown_format_is_bad_input(tmp_path):
    with pytest.raises(BadInput, match="format"):
        list(read_rows(write(tmp_path, "email\nann@acme.com\n"), format="marketo"))


def test_lone_carriage_returns_and_blank_lines_count_as_lines(tmp_path):
    path = write(tmp_path, 'email,city\r\rbad@@x,"Line\r\nBreak"\r\n\r\nann@acme.com,Oslo\r\n')
    rows = list(read_rows(path))
    assert [(type(r).__name__, r.line) for r in rows] == [("RefusedRow", 3), ("CanonicalRow", 6)]


def test_short_rows_are_padded_and_long_rows_refused(tmp_path):
    path = write(tmp_path, "email,phone,city\nann@acme.com\nbo@acme.com,,Oslo,extra\n")
    rows = rows_by_line(path)
    assert rows[2].email_normalized == "ann@acme.com"
    assert rows[3] == RefusedRow(3, "the row has 4 fields but the header has 3")


def test_file_that_is_not_utf8_is_bad_input_naming_the_line(tmp_path):
    path = tmp_path / "leads.csv"
    path.write_bytes(b"email,city\nann@acme.com,Oslo\nbo@acme.com,K\xf8benhavn\n")
    with pytest.raises(BadInput, match=r"leads\.csv:3: not UTF-8 text \(byte 0xf8\)"):
        list(read_rows(path))


def test_rows_are_read_lazily(tmp_path):
    path = write(tmp_path, "email\nann@acme.com\n" + "x\n" * 10)
    rows = read_rows(path)
    assert next(rows).email_normalized == "ann@acme.com"


def test_a_value_longer_than_its_column_is_cut_with_a_warning_naming_it(tmp_path):
    title = "T" * 250
    path = write(tmp_path, f"Email,Title\nann@initech.com,{title}\n")
    (ann,) = read_rows(path)
    assert ann.title == title[:200]
    assert ann.warnings == [f"title {title[:80]!r}... (250 characters) (column Title) is too long; "
                            "cut to the first 200 characters"]


def test_a_company_name_cut_to_its_column_is_matched_by_its_cut_name(tmp_path):
    path = write(tmp_path, "Email,Company\nann@initech.com," + "Initech " * 50 + "\n")
    (ann,) = read_rows(path)
    assert len(ann.company) == 300 and ann.company_normalized == ann.company.casefold().strip()
