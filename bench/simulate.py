"""How long `revteam playbook simulate` takes: `python bench/simulate.py [--leads 100000] [--db URL]`.

Builds a fresh database holding LEADS leads created in the last 30 days (people in a mix of countries,
1-4 touches each, a third of them already routed to a rep of their territory), then times the whole
simulation of a draft with a higher MQL threshold against the active playbook over `--since 30d`,
as the command runs it (read-only transaction included), and prints where the time went.
"""

import argparse
import cProfile
import pstats
import random
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from sqlalchemy import insert

from revteam.accounts.models import Person
from revteam.db.base import utcnow
from revteam.db.migrate import upgrade
from revteam.db.read_only import read_only_scope
from revteam.db.session import get_engine, session_scope
from revteam.leads.models import Activity, Lead
from revteam.playbook.loader import default_playbook_path
from revteam.playbook.versions import ensure_default
from revteam.routing.models import Offer
from revteam.simulation.service import simulate, window
from revteam.users.schemas import UserIn
from revteam.users.service import add_user

COUNTRIES = {"US": "na-sdr", "CA": "na-sdr", "DE": "emea-sdr", "GB": "emea-sdr", "FR": "emea-sdr",
             "AU": "apac-sdr", "JP": "apac-sdr", "BR": "na-sdr"}
TOUCHES = ["form_submit", "webinar_attended", "email_click", "demo_request", "page_visit"]


def _reps(session) -> dict[str, list[int]]:
    teams: dict[str, list[int]] = {}
    for number in range(24):
        team = ("na-sdr", "emea-sdr", "apac-sdr")[number % 3]
        user = add_user(session, UserIn(email=f"rep{number}@acme.io", name=f"Rep {number}", role="sales",
                                        sales_role="sdr", team=team, capacity=10_000, weight=1 + number % 3),
                        actor="bench")
        teams.setdefault(team, []).append(user.id)
    return teams


def _fill(engine, count: int) -> None:
    rng, now = random.Random(19), utcnow()
    with session_scope(engine) as session:
        ensure_default(session)
        teams = _reps(session)
        countries = list(COUNTRIES)
        people, leads, touches, offers = [], [], [], []
        for number in range(1, count + 1):
            at = now - timedelta(days=29, hours=rng.uniform(0, 23)) + timedelta(seconds=number * 2_000_000 // count)
            country = rng.choice(countries)
            people.append({"id": number, "email": f"p{number}@firm{number}.io", "email_normalized": f"p{number}@firm{number}.io",
                           "country": country, "title": rng.choice(["VP Sales", "Engineer", "CFO", None]),
                           "created_at": at})
            leads.append({"id": number, "person_id": number, "state": "mql", "source": "web", "created_at": at,
                          "updated_at": at, "version": 1})
            touches += [{"person_id": number, "lead_id": number, "type": rng.choice(TOUCHES),
                         "at": at - timedelta(hours=rng.uniform(0, 200))} for _ in range(rng.randint(1, 4))]
            if number % 3 == 0:
                offers.append({"lead_id": number, "rep_id": rng.choice(teams[COUNTRIES[country]]), "stage": "sdr",
                               "offered_at": at + timedelta(minutes=5), "accept_by": at + timedelta(hours=4),
                               "outcome": "accepted", "decision": {"rule": "bench"}})
        for model, rows in ((Person, people), (Lead, leads), (Activity, touches), (Offer, offers)):
            session.execute(insert(model), rows)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--leads", type=int, default=100_000)
    parser.add_argument("--db")
    parser.add_argument("--profile", action="store_true", help="Print the 15 costliest functions.")
    arguments = parser.parse_args()
    url = arguments.db or f"sqlite:///{Path(tempfile.mkdtemp()) / 'simulate.db'}"
    engine = get_engine(url)
    upgrade(engine)
    started = time.perf_counter()
    _fill(engine, arguments.leads)
    print(f"filled {arguments.leads:,} leads in {time.perf_counter() - started:.1f} s ({url})")
    draft = default_playbook_path().read_text(encoding="utf-8").replace("mql_threshold: 60", "mql_threshold: 75")
    profile = cProfile.Profile() if arguments.profile else None
    started, cpu = time.perf_counter(), time.process_time()
    if profile:
        profile.enable()
    with read_only_scope(engine) as session:
        start, end = window(since="30d", now=utcnow())
        result = simulate(session, draft_text=draft, start=start, end=end)
    spent, cpu = time.perf_counter() - started, time.process_time() - cpu
    if profile:
        profile.disable()
        pstats.Stats(profile).sort_stats("cumulative").print_stats(15)
    print(f"simulated {result['leads']:,} leads in {spent:.1f} s wall, {cpu:.1f} s CPU (budget 30 s): MQL {result['mql']['active']:,}"
          f" -> {result['mql']['draft']:,}, {len(result['routing']['changed']):,} routings change")


if __name__ == "__main__":
    main()
