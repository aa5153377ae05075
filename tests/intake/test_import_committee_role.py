"""A lead file's `committee_role` column confirms the role of the people it brings."""

from sqlalchemy import select

from revteam.accounts.models import Person
from revteam.db.session import session_scope


def _roles(engine) -> dict[str, str | None]:
    with session_scope(engine) as session:
        return dict(session.execute(select(Person.email_normalized, Person.committee_role)).all())


def test_a_new_person_takes_the_role_of_the_column(import_json, write_csv, engine):
    import_json(write_csv("email,title,committee_role\nnora@initech.com,VP Sales,Decision Maker\n"
                          "carlos@initech.com,Ops,\n"))
    assert _roles(engine) == {"nora@initech.com": "decision_maker", "carlos@initech.com": None}


def test_a_role_the_playbook_does_not_name_lands_empty_with_a_warning_on_its_line(cli, db_url, write_csv, engine):
    result = cli("import", "leads", write_csv("email,committee_role\nnora@initech.com,cheerleader\n"), "--db", db_url)
    assert result.code == 0, result.err
    assert "line 2" in result.out and "committee_role 'cheerleader' is not one of decision_maker" in result.out
    assert _roles(engine) == {"nora@initech.com": None}


def test_a_known_persons_role_is_not_changed_by_a_file(import_json, write_csv, engine):
    import_json(write_csv("email,committee_role\nnora@initech.com,champion\n", name="first.csv"))
    import_json(write_csv("email,committee_role\nnora@initech.com,blocker\n", name="second.csv"))
    assert _roles(engine) == {"nora@initech.com": "champion"}
