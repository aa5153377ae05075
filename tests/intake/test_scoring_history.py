import json

from intake_files import SF_HEADER

ROW = "Vic,Tor,Initech,vic@initech.com,,VP Sales,Web,Open,Software,300,United States,,,initech.com,"


def _show(cli, db_url, lead_id=1):
    return json.loads(cli("leads", "show", str(lead_id), "--json", "--db", db_url).out)


def test_leads_show_explains_every_point_of_the_score(cli, db_url, import_json, write_csv):
    import_json(write_csv(SF_HEADER + "\n" + ROW + "\n"))
    story = _show(cli, db_url)
    explanation = story["score_explanation"]
    assert sum(line["points"] for line in explanation["lines"]) == explanation["total"] == story["score"]
    assert {"senior_title", "mid_market_size"} <= {line["rule"] for line in explanation["lines"]}
    assert [event["type"] for event in story["events"]][:2] == ["lead.captured", "lead.scored"]


def test_a_new_playbook_rescores_open_leads_and_keeps_the_old_scores(cli, db_url, import_json, write_csv,
                                                                     shipped_playbook, tmp_path, engine):
    import_json(write_csv(SF_HEADER + "\n" + ROW + "\n"))
    before = _show(cli, db_url)
    lower = tmp_path / "lower.yaml"
    lower.write_text(shipped_playbook.read_text().replace("mql_threshold: 60", "mql_threshold: 20"))
    activated = cli("playbook", "activate", str(lower), "--db", db_url)
    assert activated.code == 0 and "1 open leads re-scored" in activated.out
    after = _show(cli, db_url)
    scored = [event for event in after["events"] if event["type"] == "lead.scored"]
    assert len(scored) == 2 and scored[0]["playbook_version"] != scored[1]["playbook_version"]
    assert before["state"] == "cultivating" and after["state"] == "mql" and _version(engine) == 2
    assert after["events"][-1]["type"] == "lead.qualified"


def test_activating_the_same_playbook_again_changes_nothing(cli, db_url, shipped_playbook):
    result = cli("playbook", "activate", str(shipped_playbook), "--db", db_url)
    assert result.code == 0 and "already active" in result.out


def test_rescoring_a_new_lead_below_the_threshold_records_cultivation_not_qualification(
        cli, db_url, import_json, write_csv, engine, shipped_playbook, tmp_path):
    from sqlalchemy import text

    import_json(write_csv(SF_HEADER + "\n" + ROW + "\n"))
    with engine.begin() as connection:
        connection.execute(text("UPDATE leads SET state = 'new'"))
    higher = tmp_path / "higher.yaml"
    higher.write_text(shipped_playbook.read_text().replace("mql_threshold: 60", "mql_threshold: 95"))
    assert cli("playbook", "activate", str(higher), "--db", db_url).code == 0
    story = _show(cli, db_url)
    assert story["state"] == "cultivating" and story["events"][-1]["type"] == "lead.cultivating"


def _version(engine) -> int:
    from sqlalchemy import text

    with engine.connect() as connection:
        return connection.execute(text("SELECT version FROM leads")).scalar_one()


def _activate_threshold(cli, db_url, shipped_playbook, tmp_path, threshold: int) -> None:
    changed = tmp_path / f"threshold_{threshold}.yaml"
    changed.write_text(shipped_playbook.read_text().replace("mql_threshold: 60", f"mql_threshold: {threshold}"))
    assert cli("playbook", "activate", str(changed), "--db", db_url).code == 0


def test_a_new_score_that_moves_nothing_keeps_the_lead_version(
        cli, db_url, import_json, write_csv, engine, shipped_playbook, tmp_path):
    """Cultivation enrolls a lead once per version: a lead merely re-scored keeps its track."""
    import_json(write_csv(SF_HEADER + "\n" + ROW + "\n"))
    assert _show(cli, db_url)["state"] == "cultivating" and _version(engine) == 1
    _activate_threshold(cli, db_url, shipped_playbook, tmp_path, 95)  # re-scored, still under
    assert _show(cli, db_url)["state"] == "cultivating" and _version(engine) == 1
    import_json(write_csv(SF_HEADER + "\n" + ROW.replace("Web", "Webinar") + "\n"))  # a second touch
    assert _show(cli, db_url)["state"] == "cultivating" and _version(engine) == 1


def test_a_move_by_an_imported_touch_is_a_new_version_of_the_lead(cli, db_url, import_json, write_csv, engine):
    """A lead that qualifies (and may fall back to cultivating) comes back as a new stay."""
    import_json(write_csv(SF_HEADER + "\n" + ROW + "\n"))
    import_json(write_csv(SF_HEADER + "\n" + ROW.replace("Web", "Webinar") + "\n"))  # a second touch
    assert _show(cli, db_url)["state"] == "mql" and _version(engine) == 2
