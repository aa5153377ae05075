from unittest.mock import patch

from hypothesis import given, strategies as st
from rapidfuzz import fuzz, process
from sqlalchemy import text

from intake_files import SF_HEADER
from revteam.accounts import matching
from revteam.accounts.matching import SUGGESTION, AccountIndex


def _accounts(engine):
    with engine.connect() as connection:
        return connection.execute(text("SELECT name, domain FROM accounts ORDER BY id")).all()


def _lead_accounts(engine):
    with engine.connect() as connection:
        return connection.execute(text(
            "SELECT p.email, a.name FROM leads l JOIN people p ON p.id = l.person_id "
            "LEFT JOIN accounts a ON a.id = l.account_id ORDER BY l.id")).all()


def test_a_corporate_domain_creates_its_account_once(import_json, write_csv, engine):
    body = SF_HEADER + "\n" + "\n".join([
        "Ann,Lee,Initech LLC,ann@initech.com,,,,,,,,,,,",
        "Bo,Ray,Initech,bo@initech.com,,,,,,,,,,,",
    ]) + "\n"
    report = import_json(write_csv(body))
    assert report["accounts_created"] == 1
    assert _accounts(engine) == [("Initech LLC", "initech.com")]
    assert {name for _, name in _lead_accounts(engine)} == {"Initech LLC"}


def test_a_website_matches_an_existing_account_across_files(import_json, write_csv, engine):
    import_json(write_csv(SF_HEADER + "\nAnn,Lee,Initech,ann@initech.com,,,,,,,,,,,\n"))
    report = import_json(write_csv(SF_HEADER + "\nCy,Dee,Initech Inc,cy@initech-mail.net,,,,,,,,,,https://www.initech.com/about,\n"))
    assert (report["accounts_created"], report["accounts_matched"]) == (0, 1)


def test_free_mail_never_creates_or_matches_an_account_by_domain(import_json, write_csv, engine):
    body = SF_HEADER + "\n" + "\n".join([
        "Gee,Mail,,gee@gmail.com,,,,,,,,,,,",
        "Out,Look,,out@outlook.com,,,,,,,,,,,",
    ]) + "\n"
    report = import_json(write_csv(body))
    assert report["accounts_created"] == 0 and _accounts(engine) == []
    assert [name for _, name in _lead_accounts(engine)] == [None, None]


def test_free_mail_matches_by_company_name_when_it_is_clear(import_json, write_csv, engine):
    import_json(write_csv(SF_HEADER + "\nAnn,Lee,Initech Corporation,ann@initech.com,,,,,,,,,,,\n"))
    report = import_json(write_csv(SF_HEADER + "\nBo,Ray,Initech Corp.,bo.ray@gmail.com,,,,,,,,,,,\n"))
    assert report["accounts_matched"] == 1
    assert _lead_accounts(engine)[-1] == ("bo.ray@gmail.com", "Initech Corporation")


def test_an_ambiguous_company_name_is_suggested_not_guessed(import_json, write_csv, engine, cli, db_url):
    body = SF_HEADER + "\n" + "\n".join([
        "A,A,Globex Systems,a@globex-systems.com,,,,,,,,,,,",
        "B,B,Globex Solutions,b@globex-solutions.com,,,,,,,,,,,",
    ]) + "\n"
    import_json(write_csv(body))
    import_json(write_csv(SF_HEADER + "\nC,C,Globex Syst,c@gmail.com,,,,,,,,,,,\n"))
    email, account = _lead_accounts(engine)[-1]
    assert account is None
    with engine.connect() as connection:
        suggested = connection.execute(text("SELECT count(*) FROM account_suggestions")).scalar()
    assert suggested >= 1


_COMPANY_NAMES = st.text(alphabet=st.sampled_from("ab \u00a0"), min_size=2, max_size=8)


def _reference_candidates(names: list[str], query: str) -> list[tuple[int, int]]:
    """The definition: every name sharing the query's first two characters, by token_sort_ratio."""
    block = {account_id: name for account_id, name in enumerate(names, start=1) if name[:2] == query[:2]}
    found = process.extract(query, block, scorer=fuzz.token_sort_ratio, score_cutoff=SUGGESTION, limit=3)
    return [(account_id, round(score)) for _, score, account_id in found]


def _check_match(match, names: list[str], query: str) -> None:
    expected = _reference_candidates(names, query)
    if query in names:
        assert match.how == "name"
    elif match.how == "fuzzy_name":
        assert match.account_id == expected[0][0]
    elif match.how == "ambiguous":
        assert match.suggestions == expected
    else:
        assert match.how == "none" and expected == []


@given(st.lists(_COMPANY_NAMES, max_size=12), _COMPANY_NAMES)
def test_fuzzy_name_matching_ranks_candidates_by_token_sort_ratio(names, query):
    index = AccountIndex()
    for account_id, name in enumerate(names, start=1):
        index.add(account_id, None, name)
    _check_match(index.match_name(query), names, query)


# Printable names take the batched path (all of a block's queries scored at once), the others
# one comparison at a time; both must give what matching each name alone by the definition gives.
_PRINTABLE_NAMES = st.text(alphabet=st.sampled_from("abc "), min_size=2, max_size=10)


@given(st.lists(_PRINTABLE_NAMES | _COMPANY_NAMES, max_size=40),
       st.lists(_PRINTABLE_NAMES | _COMPANY_NAMES, min_size=1, max_size=20))
def test_matching_many_names_at_once_gives_each_name_its_own_match(names, queries):
    index = AccountIndex()
    for account_id, name in enumerate(names, start=1):
        index.add(account_id, None, name)
    with patch.object(matching, "MATRIX_CELLS", 40):  # a few queries per pass: they cross passes
        matches = index.match_names(queries)
    assert set(matches) == set(queries)
    for query in queries:
        _check_match(matches[query], names, query)
