import json

import pytest
from sqlalchemy import update

from revteam.db.session import session_scope
from revteam.leads.flow import actions as flow
from revteam.leads.models import Lead


@pytest.fixture
def leads_cli(cli, db_url):
    def run(*args):
        return cli("leads", *args, "--db", db_url)

    return run


def test_route_accept_and_dispose_from_the_command_line(team, make_lead, leads_cli):
    lead = make_lead()
    routed = leads_cli("route", lead, "--as", "mia@acme.io", "--json")
    assert routed.code == 0, routed.err
    assert json.loads(routed.out)["owner"] == "alice@acme.io"
    assert leads_cli("accept", lead, "--as", "alice@acme.io").code == 0
    assert leads_cli("touch", lead, "--as", "alice@acme.io").code == 0
    done = leads_cli("dispose", lead, "--as", "alice@acme.io", "--outcome", "lost", "--reason", "price")
    assert done.code == 0 and f"lead {lead}: lost" in done.out


def test_reject_then_evaluate_from_the_command_line(team, make_lead, leads_cli):
    lead = make_lead()
    leads_cli("route", lead, "--as", "mia@acme.io")
    rejected = leads_cli("reject", lead, "--as", "alice@acme.io", "--reason", "not_ready", "--note", "next year")
    assert rejected.code == 0, rejected.err
    evaluated = leads_cli("evaluate", lead, "--as", "dana@acme.io", "--to", "reroute", "--json")
    assert json.loads(evaluated.out)["owner"] == "carl@acme.io"


def test_refused_move_exits_2_with_one_line_naming_the_lead(team, make_lead, leads_cli):
    lead = make_lead()
    result = leads_cli("accept", lead, "--as", "root@acme.io")
    assert result.code == 2
    assert result.err == f"error: lead {lead} is mql; cannot accept it (allowed from mql: route, cultivate, withdraw)\n"


def test_reject_without_reason_option_is_refused(team, make_lead, leads_cli):
    lead = make_lead()
    leads_cli("route", lead, "--as", "mia@acme.io")
    result = leads_cli("reject", lead, "--as", "alice@acme.io")
    assert result.code == 2 and result.err.startswith("error: reason: a reject needs a reason code; the playbook has:")


def test_acting_without_saying_who_is_refused(team, make_lead, leads_cli):
    result = leads_cli("route", make_lead())
    assert result.code == 2 and result.err == "error: --as: say who acts: --as EMAIL\n"


def test_lost_race_exits_3(team, make_lead, leads_cli, engine, monkeypatch):
    lead = make_lead()
    leads_cli("route", lead, "--as", "mia@acme.io")
    read = flow.require_visible

    def read_then_someone_else_acts(session, user, lead_id):
        seen = read(session, user, lead_id)
        with session_scope(engine) as other:
            other.execute(update(Lead).where(Lead.id == lead_id).values(version=Lead.version + 1))
        return seen

    monkeypatch.setattr(flow, "require_visible", read_then_someone_else_acts)
    result = leads_cli("accept", lead, "--as", "alice@acme.io")
    assert result.code == 3
    assert f"lead {lead} was changed by someone else" in result.err and result.err.count("\n") == 1


def test_unknown_user_is_refused(team, make_lead, leads_cli):
    result = leads_cli("route", make_lead(), "--as", "nobody@acme.io")
    assert result.code == 2 and "no user with e-mail" in result.err


def test_route_ready_routes_waiting_mqls(team, make_lead, leads_cli):
    make_lead(), make_lead()
    result = leads_cli("route-ready", "--json")
    assert json.loads(result.out) == {"routed": 2, "waiting": 0, "conflicts": 0}


def test_show_json_tells_the_whole_story(team, make_lead, leads_cli):
    lead = make_lead()
    leads_cli("route", lead, "--as", "mia@acme.io")
    leads_cli("reject", lead, "--as", "alice@acme.io", "--reason", "no_capacity")
    leads_cli("evaluate", lead, "--as", "mia@acme.io")
    leads_cli("accept", lead, "--as", "carl@acme.io")
    leads_cli("dispose", lead, "--as", "carl@acme.io", "--outcome", "won")
    story = json.loads(leads_cli("show", lead, "--json").out)
    assert story["state"] == "won" and story["owner"] == "carl@acme.io"
    flow_events = [(e["type"], e["actor"]) for e in story["events"] if not e["type"].startswith("notification")]
    assert flow_events == [
        ("lead.routed", "mia@acme.io"), ("lead.rejected", "alice@acme.io"), ("lead.evaluated", "mia@acme.io"),
        ("lead.routed", "mia@acme.io"), ("lead.accepted", "carl@acme.io"), ("lead.disposed", "carl@acme.io"),
    ]
    assert story["events"][0]["data"]["rule"] == "na_territory"


def test_list_filters_by_state_and_owner(team, make_lead, leads_cli):
    first, _second = make_lead(), make_lead()
    leads_cli("route", first, "--as", "mia@acme.io")
    listed = json.loads(leads_cli("list", "--state", "routed", "--owner", "alice@acme.io", "--json").out)
    assert [lead["id"] for lead in listed] == [first]
