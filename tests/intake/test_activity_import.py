"""`revteam import activities`: touches of known people on their open lead (or on them), refused by
line, landed once however often the file comes, re-scoring the lead through the playbook."""

import json

import pytest
from sqlalchemy import func, select

from revteam.db.session import session_scope
from revteam.events.models import Event
from revteam.leads.models import Activity, Campaign, Lead

HEADER = "email,type,at,channel,campaign,detail,count\n"
AT = "2026-03-02T14:00:00Z"  # an hour before the fake clock's now


@pytest.fixture
def import_activities(cli, db_url, clock):
    """Run `revteam import activities FILE --json --now <the fake clock>` and return its report."""

    def run(path):
        result = cli("import", "activities", str(path), "--json", "--now", clock.now.isoformat(), "--db", db_url)
        assert result.code == 0, result.err
        return json.loads(result.out)

    return run


def _touches(engine, **where):
    with session_scope(engine) as session:
        query = select(Activity.type, Activity.lead_id, Activity.source, Activity.detail, Campaign.name).outerjoin(
            Campaign, Campaign.id == Activity.campaign_id).filter_by(**where).order_by(Activity.id)
        return [tuple(row) for row in session.execute(query)]


def _lead(engine, lead_id: int) -> Lead:
    with session_scope(engine) as session:
        return session.get(Lead, lead_id)


def _event_types(engine, subject_type: str, subject_id: int) -> list[str]:
    with session_scope(engine) as session:
        return list(session.scalars(select(Event.type).where(Event.subject_type == subject_type,
                                                             Event.subject_id == subject_id).order_by(Event.id)))


def test_touches_land_on_the_open_lead_with_their_channel_campaign_and_detail(
        import_activities, write_csv, make_lead, engine):
    lead_id = make_lead("cultivating", title="Engineer")
    email = "pat@company1.com"
    report = import_activities(write_csv(HEADER + f"{email},webinar_attended,{AT},webinar,Spring launch,Intro,\n"
                                         + f"{email},Email Open,{AT},email,,Subject A,3\n"))
    assert report | {"batch": None} == {"batch": None, "rows": 2, "landed": 2, "touches": 4, "duplicates": 0,
                                        "on_leads": 2, "on_people": 0, "leads_rescored": 1, "qualified": 0,
                                        "refused": [], "already_imported": False}
    assert _touches(engine, lead_id=lead_id) == [("webinar_attended", lead_id, "webinar", "Intro", "Spring launch")] \
        + [("email_open", lead_id, "email", "Subject A", None)] * 3
    # webinar 10 + 3 opens at 1 point, an hour old with a 30-day half-life: engagement 13
    assert _lead(engine, lead_id).engagement_score == 13
    assert _event_types(engine, "lead", lead_id)[-2:] == ["lead.engaged", "lead.scored"]


def test_refusals_name_the_line_field_and_value_and_lose_nothing_else(import_activities, write_csv, make_lead, engine):
    lead_id = make_lead("cultivating")
    body = (HEADER
            + f"nobody@nowhere.io,page_visit,{AT},,,,\n"           # line 2
            + "pat@company1.com,page_visit,yesterday,,,,\n"       # line 3
            + f"pat@@company1.com,page_visit,{AT},,,,\n"           # line 4
            + f'pat@company1.com,page_visit,{AT},web,,"/pricing\n'  # line 5: the quote never closes
            + f"pat@company1.com,page_visit,{AT},web,,,0\n"        # line 6
            + f"pat@company1.com,,{AT},web,,,\n"                   # line 7
            + f"pat@company1.com,page_visit,{AT},web,,/ok,\n")     # line 8
    report = import_activities(write_csv(body))
    refused = {item["line"]: (item["field"], item["value"]) for item in report["refused"]}
    assert refused == {2: ("email", "nobody@nowhere.io"), 3: ("at", "yesterday"), 4: ("email", "pat@@company1.com"),
                       5: (None, None), 6: ("count", "0"), 7: ("type", "")}
    assert "nobody has this e-mail" in report["refused"][0]["reason"]
    assert "never closes" in report["refused"][3]["reason"]
    assert report["rows"] == 7 and report["landed"] == 1
    assert _touches(engine, lead_id=lead_id) == [("page_visit", lead_id, "web", "/ok", None)]


def test_a_header_without_a_required_column_is_refused_with_the_file_and_line(cli, db_url, write_csv):
    path = write_csv("email,type,when\npat@company1.com,page_visit,2026-03-02\n")
    result = cli("import", "activities", str(path), "--db", db_url)
    assert result.code == 2 and f"{path}:1" in result.err and "'when'" in result.err


def test_the_same_file_again_adds_nothing_nor_the_same_touches_in_another_file(
        import_activities, write_csv, make_lead, engine):
    lead_id = make_lead("cultivating")
    rows = f"pat@company1.com,webinar_attended,{AT},webinar,,,\npat@company1.com,page_visit,{AT},web,,,\n"
    first = import_activities(write_csv(HEADER + rows, name="a.csv"))
    again = import_activities(write_csv(HEADER + rows, name="a.csv"))
    assert first["landed"] == 2 and again["already_imported"] and again["landed"] == 2
    other = import_activities(write_csv(HEADER + rows + f"pat@company1.com,page_visit,{AT},web,,,\n", name="b.csv"))
    assert other["landed"] == 0 and other["duplicates"] == 3 and other["leads_rescored"] == 0
    assert len(_touches(engine, lead_id=lead_id)) == 2
    assert _event_types(engine, "lead", lead_id).count("lead.engaged") == 1


def test_a_type_the_playbook_does_not_know_keeps_its_name_and_earns_nothing(
        import_activities, write_csv, make_lead, engine, cli, db_url):
    lead_id = make_lead("cultivating")
    import_activities(write_csv(HEADER + f"pat@company1.com,Carrier Pigeon,{AT},,,,\n"))
    assert _touches(engine, lead_id=lead_id) == [("carrier_pigeon", lead_id, None, None, None)]
    assert _lead(engine, lead_id).engagement_score == 0
    shown = json.loads(cli("leads", "show", str(lead_id), "--json", "--db", db_url).out)
    assert ["engagement", "carrier_pigeon", 0] in [[line["kind"], line["rule"], line["points"]]
                                                   for line in shown["score_explanation"]["lines"]]


def test_a_person_without_an_open_lead_gets_the_touch_themself(import_activities, write_csv, make_lead, engine):
    lead_id = make_lead("lost")
    report = import_activities(write_csv(HEADER + f"pat@company1.com,page_visit,{AT},web,,,\n"))
    assert report["on_people"] == 1 and report["on_leads"] == 0 and report["leads_rescored"] == 0
    assert _touches(engine, lead_id=None) == [("page_visit", None, "web", None, None)]
    with session_scope(engine) as session:
        person_id = session.get(Lead, lead_id).person_id
        assert session.scalar(select(func.count()).where(Activity.person_id == person_id)) == 1
    assert _event_types(engine, "person", person_id) == ["person.engaged"]
    assert _lead(engine, lead_id).state == "lost"


def test_a_touch_that_crosses_the_threshold_makes_the_lead_an_mql(import_activities, write_csv, make_lead, engine):
    lead_id = make_lead("cultivating")  # a VP at a 300-person US company: a good fit, under the threshold alone
    report = import_activities(write_csv(HEADER + f"pat@company1.com,demo_request,{AT},web,,,\n"))
    lead = _lead(engine, lead_id)
    assert report["qualified"] == 1 and lead.state == "mql" and lead.is_mql
    assert lead.fit_score < 60 <= lead.score == lead.fit_score + 40  # the demo request's 40 points, an hour old
    assert _event_types(engine, "lead", lead_id)[-3:] == ["lead.engaged", "lead.scored", "lead.qualified"]
    assert lead.version == 2  # a move is a new version of the lead, as every score-driven move


def test_a_file_landed_before_scoring_moved_to_the_end_is_answered_as_imported(
        import_activities, write_csv, make_lead, engine):
    from revteam.leads.intake.importer import WHOLE_FILE
    from revteam.leads.models import ImportChunk

    make_lead("cultivating")
    path = write_csv(HEADER + f"pat@company1.com,webinar_attended,{AT},webinar,,,\n", name="old.csv")
    first = import_activities(path)
    with session_scope(engine) as session:  # the ledger as the chunk-by-chunk scoring left it
        session.execute(ImportChunk.__table__.delete().where(ImportChunk.chunk_no == WHOLE_FILE))
        for chunk in session.scalars(select(ImportChunk)):
            chunk.result = {name: value for name, value in chunk.result.items() if name != "lead_ids"}
    again = import_activities(path)
    assert again["already_imported"] and again["landed"] == first["landed"] == 1
    assert again["leads_rescored"] == 0
