"""Leads as the files other systems read: our own columns, a Salesforce or a HubSpot lead export.

Each shape is the importer's own columns (`leads/intake/formats.py`), so an exported file imports back
into revteam unchanged: the people, companies, sources, campaigns and creation times it carries.
A lead's state, score and owner are revteam's own decisions and travel only in our columns (the
importer keeps them as custom fields; it scores and routes a lead afresh)."""

from collections.abc import Iterable, Iterator
from typing import Any

from revteam.errors import BadInput, quoted
from revteam.exports.csv_table import csv_lines

CONTACT_FIELDS = ("first_name", "last_name", "email", "phone", "title", "company", "website", "country",
                  "industry", "employees", "source", "campaign", "product_interest", "created_at")
# (canonical field, header) per shape; each header is one the importer maps back to that field.
SHAPES: dict[str, tuple[tuple[str, str], ...]] = {
    "csv": (("id", "id"), *((name, name) for name in CONTACT_FIELDS),
            ("lead_state", "lead_state"), ("score", "score"), ("owner", "owner")),
    "salesforce": tuple(zip(CONTACT_FIELDS, (
        "FirstName", "LastName", "Email", "Phone", "Title", "Company", "Website", "Country", "Industry",
        "NumberOfEmployees", "LeadSource", "Campaign", "ProductInterest__c", "CreatedDate"))),
    "hubspot": tuple(zip(CONTACT_FIELDS, (
        "First Name", "Last Name", "Email", "Phone Number", "Job Title", "Company Name", "Website URL",
        "Country/Region", "Industry", "Number of Employees", "Original Source", "Campaign", "Product Interest",
        "Create Date"))),
}


def lead_fields(row: dict[str, Any]) -> dict[str, Any]:
    """One listed lead (`leads.queries` row) in the export's field names."""
    lead, person, account = row["lead"], row["person"], row["account_record"]
    return {"id": lead.id, "first_name": person.first_name, "last_name": person.last_name, "email": person.email,
            "phone": person.phone_e164, "title": person.title, "company": account and account.name,
            "website": account and account.domain, "country": person.country or (account and account.country),
            "industry": account and account.industry, "employees": account and account.employees,
            "source": lead.source, "campaign": row["campaign"], "product_interest": lead.product_interest,
            "created_at": lead.created_at, "lead_state": lead.state, "score": lead.score,
            "owner": row["owner_email"]}


def lead_csv(rows: Iterable[dict[str, Any]], shape: str = "csv") -> Iterator[str]:
    """The listed leads as CSV lines in one of SHAPES."""
    if shape not in SHAPES:
        raise BadInput(f"no export format {quoted(shape)}; formats: {', '.join(SHAPES)}", where="--format")
    columns, headers = zip(*SHAPES[shape])
    return csv_lines((lead_fields(row) for row in rows), columns, headers=headers)
