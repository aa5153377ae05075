"""The scorecards page, and the view log both common pages write: one row per user per day."""

import re

from sqlalchemy import func, select

from revteam.db.session import session_scope
from revteam.events.models import Event
from revteam.metrics.views import MetricsView


def _views(engine) -> list[tuple]:
    with session_scope(engine) as session:
        rows = session.execute(select(MetricsView.user_id, MetricsView.day, MetricsView.page)
                               .order_by(MetricsView.day)).all()
        events = session.scalar(select(func.count()).select_from(Event).where(Event.type == "metrics.viewed"))
    return [tuple(row) for row in rows], events


def test_opening_the_common_pages_is_logged_once_per_user_per_day(client, sign_in, app_clock, engine, mia):
    sign_in(mia)
    for page in ("/dashboard", "/scorecards", "/dashboard"):
        assert client.get(page).status_code == 200
    first_day = app_clock.now.date()
    app_clock.advance(days=1)
    client.cookies.clear()
    sign_in(mia)  # a day later the sign-in has lapsed
    assert client.get("/scorecards").status_code == 200
    rows, events = _views(engine)
    assert rows == [(mia.id, first_day, "dashboard"), (mia.id, app_clock.now.date(), "scorecards")] and events == 2


def test_the_scorecards_show_the_share_of_each_team_that_looked(client, sign_in, app_clock, mia, sam, alice):
    sign_in(mia)
    client.get("/dashboard")
    client.cookies.clear()
    sign_in(sam)
    page = client.get("/scorecards", params={"from": "2026-01", "to": "2026-03"}).text
    shares = re.findall(r'data-team="(\w+)">.*?common metrics: <strong>(\d+)</strong> of 1 members', page, flags=re.S)
    looked = {team: int(seen) for team, seen in shares}
    assert looked == {"marketing": 1, "sales": 0, "success": 1}  # mia, nobody, sam


def test_the_scorecards_refuse_a_period_that_runs_backwards(client, sign_in, mia):
    sign_in(mia)
    page = client.get("/scorecards", params={"from": "2026-05", "to": "2026-01"})
    assert page.status_code == 400 and "2026-05 is after 2026-01" in page.text
