"""`revteam metrics funnel` over the hand-built story (test_gtm_story.py)."""

import json

from test_gtm_story import outbox, story  # noqa: F401 - fixtures


def _report(cli, db_url, *args) -> dict:
    result = cli("metrics", "funnel", *args, "--json", "--db", db_url)
    assert result.code == 0, result.err
    return json.loads(result.out)


def test_cohort_counts_each_step_and_its_conversion(story, cli, db_url):
    [cohort] = _report(cli, db_url)["cohorts"]
    assert {key: cohort[key] for key in ("month", "leads", "mql", "accepted", "opportunity", "won")} == {
        "month": "2026-02", "leads": 3, "mql": 2, "accepted": 2, "opportunity": 2, "won": 2}
    assert cohort["conversion"] == {"signup": None, "mql": 0.666667, "accepted": 1.0, "opportunity": 1.0, "won": 1.0}


def test_median_days_per_step_are_the_lower_middle_of_two_leads(story, cli, db_url):
    # to MQL 1.5 / 0.5 days; to accept 26.54 / 27.7; to opportunity 1.96 / 2.79; to won 5.375 / 14.375
    [cohort] = _report(cli, db_url)["cohorts"]
    assert cohort["median_days"] == {"mql": 0.5, "accepted": 26.5, "opportunity": 1.9, "won": 5.3}


def test_period_keeps_only_the_cohorts_created_in_it(story, cli, db_url):
    report = _report(cli, db_url, "--from", "2026-03", "--to", "2026-04")
    assert report["period"] == ["2026-03", "2026-04"]
    assert report["cohorts"] == [] and report["total"]["leads"] == 0


def test_report_names_the_playbook_version_and_definition(story, cli, db_url):
    report = _report(cli, db_url)
    assert report["playbook_version"]["id"] == 1 and len(report["playbook_version"]["hash"]) == 64
    assert report["definition"].startswith("Cohort funnel visit -> sign-up -> MQL")


def test_a_month_that_is_not_a_month_is_refused(cli, db_url):
    result = cli("metrics", "funnel", "--from", "2026-13", "--db", db_url)
    assert result.code == 2 and "'2026-13' is not a month" in result.err


def test_human_view_shows_the_cohort_and_its_definition(story, cli, db_url):
    result = cli("metrics", "funnel", "--db", db_url)
    assert result.code == 0, result.err
    assert "2026-02" in result.out and "definition: Cohort funnel" in result.out
