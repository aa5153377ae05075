"""The flat facts that fit rules and routing rules read: `account.employees`, `lead.country`..."""

from typing import Any

from revteam.leads.intake.normalize import is_free_mail


def lead_facts(*, lead: dict[str, Any], person: dict[str, Any], account: dict[str, Any] | None) -> dict[str, Any]:
    """Facts from plain values of one lead, its person and (when matched) its account."""
    account = account or {}
    facts = {
        "lead.country": lead.get("country") or person.get("country") or account.get("country"),
        "lead.source": lead.get("source"),
        "lead.campaign": lead.get("campaign"),
        "lead.product_interest": lead.get("product_interest"),
        "person.title": person.get("title"),
        "person.free_email": is_free_mail(person.get("email_domain")) if person.get("email_domain") else None,
        "person.committee_role": person.get("committee_role"),
        "account.name": account.get("name"),
        "account.domain": account.get("domain"),
        "account.employees": account.get("employees") if account else lead.get("employees"),
        "account.industry": account.get("industry") or lead.get("industry"),
        "account.country": account.get("country"),
        "account.owner": account.get("owner"),
        "account.tier": account.get("tier"),
        "account.is_competitor": account.get("is_competitor"),
    }
    return facts
