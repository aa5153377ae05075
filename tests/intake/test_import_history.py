"""Historical outcomes in Salesforce and HubSpot exports land as closed leads at their dates."""

import json
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from revteam.accounts.models import Person
from revteam.events.models import Event
from revteam.jobs.models import Job
from revteam.leads.intake.outcomes import historical_outcome
from revteam.leads.models import Lead
from revteam.routing.models import Offer

SALESFORCE = """FirstName,LastName,Company,Email,LeadSource,Status,IsConverted,ConvertedDate,CreatedDate,LastModifiedDate
Wanda,Won,Initech,wanda@initech.com,Web,Closed - Converted,true,2024-05-20,2024-03-01T10:00:00Z,2024-06-01
Larry,Lost,Globex,larry@globex.com,Web,Closed - Not Converted,false,,2024-03-02T10:00:00Z,2024-04-15
Olga,Open,Hooli,olga@hooli.com,Web,Open - Not Contacted,false,,2024-03-03T10:00:00Z,2024-03-03
"""
HUBSPOT = """Record ID,First Name,Last Name,Email,Lifecycle Stage,Lead Status,Create Date,Became a Customer Date,Last Modified Date
1,Cora,Customer,cora@initech.com,customer,,2024-02-01 09:00,2024-04-10 12:00,2024-05-01 08:00
2,Ugo,Unqualified,ugo@globex.com,lead,Unqualified,2024-02-02 09:00,,2024-02-20 08:00
3,Mo,Maybe,mo@hooli.com,marketingqualifiedlead,Open,2024-02-03 09:00,,2024-02-03 09:00
"""


def _day(year, month, day, hour=0):
    return datetime(year, month, day, hour, tzinfo=UTC)


def _landed(engine):
    with engine.connect() as connection:
        leads = {row.email: row for row in connection.execute(
            select(Lead.id, Lead.state, Lead.created_at, Event.at.label("closed_at"),
                   Person.email_normalized.label("email"))
            .join(Person, Person.id == Lead.person_id)
            .outerjoin(Event, (Event.subject_id == Lead.id) & (Event.type == "lead.disposed")))}
        offers = connection.execute(select(Offer.id)).all()
        jobs = connection.execute(select(Job.kind, Job.payload)).all()
    return leads, offers, jobs


@pytest.mark.parametrize(("status", "converted", "stage", "outcome"), [
    ("Closed - Converted", "", "", "won"), ("Closed - Not Converted", "false", "", "lost"),
    ("Open - Not Contacted", "false", "", None), ("Working - Contacted", "", "", None),
    ("", "true", "", "won"), ("Unqualified", "", "lead", "not_a_lead"), ("", "", "Customer", "won"),
    ("Open", "", "salesqualifiedlead", None),
])
def test_export_values_map_to_an_outcome(status, converted, stage, outcome):
    assert historical_outcome(status, converted, stage) == outcome


def test_salesforce_closed_leads_land_created_and_closed_at_their_dates(import_json, write_csv, engine):
    report = import_json(write_csv(SALESFORCE))
    assert (report["landed"], report["new_leads"], report["refused"]) == (3, 3, [])
    leads, offers, jobs = _landed(engine)
    won, lost, open_ = leads["wanda@initech.com"], leads["larry@globex.com"], leads["olga@hooli.com"]
    assert (won.state, won.created_at, won.closed_at) == ("won", _day(2024, 3, 1, 10), _day(2024, 5, 20))
    assert (lost.state, lost.created_at, lost.closed_at) == ("lost", _day(2024, 3, 2, 10), _day(2024, 4, 15))
    assert open_.state in ("cultivating", "mql") and open_.closed_at is None
    assert offers == [] and not [job for job in jobs if job.payload.get("lead_id") in (won.id, lost.id)]


def test_hubspot_customers_are_won_and_unqualified_contacts_not_leads(import_json, write_csv, engine):
    import_json(write_csv(HUBSPOT))
    leads, offers, _ = _landed(engine)
    cora, ugo, mo = leads["cora@initech.com"], leads["ugo@globex.com"], leads["mo@hooli.com"]
    assert (cora.state, cora.created_at, cora.closed_at) == ("won", _day(2024, 2, 1, 9), _day(2024, 4, 10, 12))
    assert (ugo.state, ugo.closed_at) == ("not_a_lead", _day(2024, 2, 20, 8))
    assert mo.state in ("cultivating", "mql") and offers == []


def test_a_historical_lead_has_dated_events_and_never_enters_a_track(import_json, write_csv, cli, db_url, engine):
    import_json(write_csv(SALESFORCE))
    assert cli("cultivation", "sweep", "--db", db_url).code == 0
    won = _landed(engine)[0]["wanda@initech.com"]
    story = json.loads(cli("leads", "show", str(won.id), "--json", "--db", db_url).out)
    assert [event["type"] for event in story["events"]] == ["lead.captured", "lead.scored", "lead.disposed"]
    assert story["events"][0]["at"].startswith("2024-03-01") and story["events"][2]["at"].startswith("2024-05-20")
    assert story["events"][2]["data"]["historical"] is True


def test_a_closed_row_for_a_person_with_an_open_lead_adds_history_and_keeps_the_open_lead(
        import_json, write_csv, engine):
    import_json(write_csv(SALESFORCE))
    again = SALESFORCE.splitlines()[0] + "\nOlga,Open,Hooli,olga@hooli.com,Web,Closed - Not Converted,false,,2023-01-05T10:00:00Z,2023-02-01\n"
    report = import_json(write_csv(again))
    assert (report["new_leads"], report["merged"]) == (0, 1)
    with engine.connect() as connection:
        olga = connection.execute(select(Person.id).where(Person.email_normalized == "olga@hooli.com")).scalar_one()
        states = sorted(connection.execute(select(Lead.state).where(Lead.person_id == olga)).scalars())
    assert states[0] in ("cultivating", "mql") and states[1:] == ["lost"]
