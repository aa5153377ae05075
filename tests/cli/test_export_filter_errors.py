"""`revteam export leads|accounts|customers --filter`: one parser (revteam/list_filters.py), so the
three lists refuse a bad pair, an unknown name and a bad value the same way, exit 2 naming it."""

import pytest

from revteam.leads.lead_list import LEAD_FILTERS, LeadFilter
from revteam.list_filters import parse_filter
from revteam.errors import BadInput

LISTS = ("leads", "accounts", "customers")
BAD_VALUES = {"leads": ("score_min=lots", "score_min"), "accounts": ("country=U\x01S", "country"),
              "customers": ("at_risk=perhaps", "at_risk")}


@pytest.mark.parametrize("listed", LISTS)
def test_each_list_refuses_a_pair_an_unknown_name_and_a_bad_value_alike(cli, engine, db_url, listed):
    what = listed.rstrip("s")
    for written, says in (("colour", "--filter: 'colour' is not NAME=VALUE"), ("=red", "'=red' is not NAME=VALUE"),
                          ("colour=red", f"--filter: no {what} filter 'colour'; filters: "),
                          (BAD_VALUES[listed][0], f"--filter: {BAD_VALUES[listed][1]}=")):
        refused = cli("export", listed, "--filter", written, "--db", db_url)
        assert refused.code == 2 and says in refused.err, (listed, written, refused.err)


def test_values_come_back_typed_and_the_last_of_a_repeated_name_wins():
    chosen = parse_filter(["state=mql", "score_min= 40", "mql=yes", "q=a", "q=linh nguyen"], LeadFilter, LEAD_FILTERS,
                          what="lead")
    assert chosen == LeadFilter(q="linh nguyen", state="mql", score_min=40, mql=True)
    with pytest.raises(BadInput, match="state='bogus': Input should be"):
        parse_filter(["state=bogus"], LeadFilter, LEAD_FILTERS, what="lead")
    with pytest.raises(BadInput, match="mql='maybe'"):
        parse_filter(["mql=maybe"], LeadFilter, LEAD_FILTERS, what="lead")
