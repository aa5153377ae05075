"""Stages that build the company before any lead: the revenue team, accounts, people, campaigns."""

import math
import random
import re
from datetime import UTC, datetime, timedelta

import phonenumbers
from argon2 import PasswordHasher

from revteam.accounts.models import Account, Person
from revteam.demo import names
from revteam.demo.plan import DEMO_DOMAIN, DEMO_PASSWORD, AccountPlan, CampaignPlan, DemoContext, PersonPlan, UserPlan
from revteam.demo.writer import insert_rows
from revteam.leads.models import Campaign
from revteam.leads.scoring.facts import NO_ACCOUNT, lead_facts
from revteam.leads.scoring.rules import ScoreResult, fit_score
from revteam.users.models import Pod, Team, User

# (team or pod, sales role, share of the reps, territory)
SALES_UNITS = (
    ("na-sdr", "sdr", 0.25, "na"), ("emea-sdr", "sdr", 0.17, "emea"), ("apac-sdr", "sdr", 0.08, "apac"),
    ("enterprise-ae", "ae", 0.17, None), ("mid-market-ae", "ae", 0.17, None),
    ("pod-alpha", "ae", 0.08, "emea"), ("pod-beta", "ae", 0.08, None),
)
PODS = ("pod-alpha", "pod-beta")
MIN_TEAM = 3
STRATEGIC_EMPLOYEES = 5_000
_REGION_OF = {country: region for country, _, region in names.COUNTRIES}
_REGION_COUNTRIES = {region: [country for country, _, of in names.COUNTRIES if of == region]
                     for region in set(_REGION_OF.values())}
_TLD = {"US": "com", "CA": "ca", "GB": "co.uk", "DE": "de", "FR": "fr", "NL": "nl", "AU": "com.au", "JP": "jp"}


def _full_name(rng: random.Random) -> tuple[str, str]:
    return rng.choice(names.FIRST_NAMES), rng.choice(names.LAST_NAMES)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "", text.lower().replace("ü", "u"))


def unique_email(ctx: DemoContext, local: str, domain: str) -> str:
    """local@domain, numbered when that address is taken already."""
    email, number = f"{local}@{domain}", 1
    while email in ctx.emails:
        number += 1
        email = f"{local}{number}@{domain}"
    ctx.emails.add(email)
    return email


def _add_user(ctx: DemoContext, rng: random.Random, role: str, **unit) -> UserPlan:
    first, last = _full_name(rng)
    email = unique_email(ctx, _slug(f"{first}.{last}") or "user", DEMO_DOMAIN)
    user = UserPlan(id=ctx.take_id("users"), email=email, name=f"{first} {last}", role=role, **unit)
    ctx.users.append(user)
    return user


def _plan_team(ctx: DemoContext, rng: random.Random) -> None:
    for unit, sales_role, share, territory in SALES_UNITS:
        is_pod = unit in PODS
        for _ in range(max(1, round(ctx.size.reps * share))):
            rep = _add_user(ctx, rng, "sales", sales_role=sales_role, territory=territory,
                            **({"pod": unit} if is_pod else {"team": unit}))
            ctx.members.setdefault(unit, []).append(rep)
        if not is_pod:
            ctx.managers[unit] = _add_user(ctx, rng, "manager", team=unit, territory=territory)
    # At least the survey's smallest group (3) in each, so every team shows in the survey's results.
    for _ in range(max(MIN_TEAM, ctx.size.reps // 6)):
        _add_user(ctx, rng, "marketing", team="marketing")
    for _ in range(max(MIN_TEAM, ctx.size.reps // 5)):
        ctx.members.setdefault("success", []).append(_add_user(ctx, rng, "success", team="customer-success"))
    admin = UserPlan(id=ctx.take_id("users"), email=f"admin@{DEMO_DOMAIN}", name="Demo Admin", role="admin")
    ctx.emails.add(admin.email)
    ctx.users.append(admin)


def team_stage(ctx: DemoContext) -> None:
    """Teams, pods and users: SDRs, AEs, managers, marketers, success managers and an admin."""
    rng = ctx.rng("team")
    # Hashed once with a seeded salt: argon2 is slow on purpose, and the same seed gives the same rows.
    ctx.password_hash = PasswordHasher().hash(DEMO_PASSWORD, salt=rng.randbytes(16))
    _plan_team(ctx, rng)
    functions = {"marketing": "marketing", "customer-success": "success"}
    for user in ctx.users:
        if user.team and user.team not in ctx.teams:
            ctx.teams[user.team] = ctx.take_id("teams")
    ctx.pods = {pod: ctx.take_id("pods") for pod in PODS}
    joined = ctx.start - timedelta(days=400)
    with ctx.engine.begin() as connection:
        insert_rows(connection, Team.__table__, (
            {"id": id_, "name": name, "function": functions.get(name, "sales")} for name, id_ in ctx.teams.items()))
        insert_rows(connection, Pod.__table__, ({"id": id_, "name": name} for name, id_ in ctx.pods.items()))
        ctx.counts["users"] = insert_rows(connection, User.__table__, (_user_row(ctx, u, joined) for u in ctx.users))


def _user_row(ctx: DemoContext, user: UserPlan, joined: datetime) -> dict:
    return {
        "id": user.id, "email": user.email, "name": user.name, "role": user.role, "sales_role": user.sales_role,
        "team_id": ctx.teams.get(user.team), "pod_id": ctx.pods.get(user.pod), "territory": user.territory,
        "capacity": 50, "weight": 1, "active": True, "available": True,
        "password_hash": ctx.password_hash, "created_at": joined,
    }


def _account_name(rng: random.Random, taken: set[str]) -> str:
    name = f"{rng.choice(names.COMPANY_WORDS)} {rng.choice(names.COMPANY_SUFFIXES)}"
    while name in taken:
        name = f"{rng.choice(names.COMPANY_WORDS)} {name}" if rng.random() < 0.7 else f"{name} {rng.randint(2, 99)}"
    taken.add(name)
    return name


def _unique_domain(name: str, country: str, domains: set[str]) -> str:
    """Different names can share a slug ("Acme-Labs", "Acme Labs"): number the later ones."""
    slug, tld = _slug(name), _TLD.get(country, "com")
    domain, number = f"{slug}.{tld}", 1
    while domain in domains:
        number += 1
        domain = f"{slug}{number}.{tld}"
    domains.add(domain)
    return domain


def _plan_account(ctx: DemoContext, rng: random.Random, taken: set[str], domains: set[str]) -> AccountPlan:
    name = _account_name(rng, taken)
    country, _, region = rng.choices(names.COUNTRIES, weights=[c[1] for c in names.COUNTRIES])[0]
    low, high, _ = rng.choices(names.EMPLOYEE_BANDS, weights=[b[2] for b in names.EMPLOYEE_BANDS])[0]
    employees = round(math.exp(rng.uniform(math.log(low), math.log(high))))
    industry = rng.choices(names.INDUSTRIES, weights=[i[1] for i in names.INDUSTRIES])[0][0]
    account = AccountPlan(id=ctx.take_id("accounts"), name=name, domain=_unique_domain(name, country, domains),
                          industry=industry, employees=employees, country=country, region=region)
    if employees >= STRATEGIC_EMPLOYEES:
        account.pod = "pod-alpha" if region == "emea" else "pod-beta"
        account.owner_id = rng.choice(ctx.members[account.pod]).id
    elif rng.random() < 0.08:
        account.owner_id = rng.choice(ctx.members["enterprise-ae" if employees >= 1000 else "mid-market-ae"]).id
    return account


def account_stage(ctx: DemoContext) -> None:
    """Accounts with industries, log-normal sizes and countries; strategic ones owned by pods."""
    rng, taken, domains = ctx.rng("accounts"), set(), set()
    ctx.accounts = [_plan_account(ctx, rng, taken, domains) for _ in range(ctx.size.accounts)]
    with ctx.engine.begin() as connection:
        ctx.counts["accounts"] = insert_rows(connection, Account.__table__, (
            {"id": a.id, "name": a.name, "name_normalized": a.name.lower(), "domain": a.domain,
             "industry": a.industry, "employees": a.employees, "country": a.country, "owner_id": a.owner_id,
             "pod_id": ctx.pods.get(a.pod), "created_at": ctx.start - timedelta(days=rng.randint(30, 1500))}
            for a in ctx.accounts))


def fit_of(ctx: DemoContext, account: AccountPlan, title: str, country: str, email: str | None) -> ScoreResult:
    """The fit score and its lines under the active playbook, from the facts scoring reads (memoized)."""
    domain = email.rpartition("@")[2] if email else None
    key = (account.employees, account.industry, account.country, title, country, domain)
    if key not in ctx.fit_cache:
        facts = lead_facts({**NO_ACCOUNT, "source": None, "campaign": None, "product_interest": None,
                            "title": title, "email": email, "committee_role": None, "country": country,
                            "account_employees": account.employees, "account_industry": account.industry,
                            "account_country": account.country, "account_is_competitor": False})
        ctx.fit_cache[key] = fit_score(ctx.playbook, facts)
    return ctx.fit_cache[key]


def _office_country(ctx: DemoContext, account: AccountPlan, title: str, drawn: str, email: str | None) -> str:
    """Where a contact drawn to work abroad (in `drawn`) works: in the account's own region, which is
    where the demo routes the account's leads, as the playbook's territory rules route by the contact's
    country. Outside that region, the region's first country whose fit is the drawn one's (so the fit,
    and every draw that follows from it, stays that of the drawn country), else the account's own."""
    if _REGION_OF[drawn] == account.region:
        return drawn
    fit = fit_of(ctx, account, title, drawn, email)
    return next((country for country in _REGION_COUNTRIES[account.region]
                 if fit_of(ctx, account, title, country, email) == fit), account.country)


def new_person(ctx: DemoContext, rng: random.Random, account: AccountPlan) -> PersonPlan:
    """A new contact at `account`: ~15% on free mail, ~5% reachable by phone only."""
    first, last = _full_name(rng)
    title, role, _ = rng.choices(names.TITLES, weights=[t[2] for t in names.TITLES])[0]
    abroad = None if rng.random() < 0.9 else rng.choice(names.COUNTRIES)[0]
    free_email, phone_only = rng.random() < 0.15, rng.random() < 0.05
    local = _slug(f"{first}.{last}") or "contact"
    email = None if phone_only else unique_email(
        ctx, local, rng.choice(names.FREE_MAIL_DOMAINS) if free_email else account.domain)
    country = account.country if abroad is None else _office_country(ctx, account, title, abroad, email)
    has_phone = phone_only or rng.random() < 0.4
    phone = phone_number(rng, country) if has_phone else None
    person = PersonPlan(
        id=ctx.take_id("people"), account_id=account.id, first_name=first, last_name=last, email=email,
        phone=phone, title=title, committee_role=role, country=country, free_email=free_email and not phone_only,
        fit=fit_of(ctx, account, title, country, email))
    account.people.append(person.id)
    ctx.people[person.id] = person
    return person


def phone_number(rng: random.Random, country: str) -> str:
    """A valid E.164 number of `country`: its example mobile number with the last digits drawn anew."""
    example = phonenumbers.example_number_for_type(country, phonenumbers.PhoneNumberType.MOBILE)
    digits = str(example.national_number)
    for _ in range(20):
        example.national_number = int(digits[:-4] + f"{rng.randrange(10_000):04d}")
        if phonenumbers.is_valid_number(example):
            break
    else:
        example.national_number = int(digits)
    return phonenumbers.format_number(example, phonenumbers.PhoneNumberFormat.E164)


def person_row(person: PersonPlan, created_at: datetime) -> dict:
    """The people-table row of a planned person."""
    return {
        "id": person.id, "account_id": person.account_id, "first_name": person.first_name,
        "last_name": person.last_name, "email": person.email, "email_normalized": person.email,
        "phone_e164": person.phone, "title": person.title, "committee_role": person.committee_role,
        "country": person.country, "custom": None, "created_at": created_at,
    }


def people_stage(ctx: DemoContext) -> None:
    """The known buying committee: 1-8 contacts per account, more at bigger companies."""
    rng = ctx.rng("people")
    rows = []
    for account in ctx.accounts:
        mode = min(8.0, 1 + math.log10(account.employees) * 1.5)
        for _ in range(round(rng.triangular(1, 8, mode))):
            rows.append(person_row(new_person(ctx, rng, account), ctx.start - timedelta(days=rng.randint(1, 700))))
    with ctx.engine.begin() as connection:
        ctx.counts["people"] = insert_rows(connection, Person.__table__, rows)


def months_between(start: datetime, end: datetime) -> list[datetime]:
    """First instants of each month from start's month up to end."""
    month, months = datetime(start.year, start.month, 1, tzinfo=UTC), []
    while month < end:
        months.append(month)
        month = datetime(month.year + month.month // 12, month.month % 12 + 1, 1, tzinfo=UTC)
    return months


def campaign_stage(ctx: DemoContext) -> None:
    """One campaign per channel per month, with its cost in minor units (organic is free)."""
    rng = ctx.rng("campaigns")
    for month in months_between(ctx.start, ctx.end):
        for channel, _, cost, _ in names.CHANNELS:
            name = f"{month:%Y-%m} {channel.replace('_', ' ')}: {rng.choice(names.CAMPAIGN_THEMES)}"
            ctx.campaigns[(channel, f"{month:%Y-%m}")] = CampaignPlan(
                id=ctx.take_id("campaigns"), name=name, channel=channel,
                cost_minor=round(cost * rng.uniform(0.6, 1.4)) if cost else 0, started_on=month)
    with ctx.engine.begin() as connection:
        ctx.counts["campaigns"] = insert_rows(connection, Campaign.__table__, (
            {"id": c.id, "name": c.name, "channel": c.channel, "cost_minor": c.cost_minor, "started_on": c.started_on}
            for c in ctx.campaigns.values()))
