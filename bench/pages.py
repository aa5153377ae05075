"""How fast every page renders on the `medium` demo (target: under 200 ms each).

    .venv/bin/python bench/pages.py [--db URL] [--rounds 20]

Without --db it builds the medium demo in a temporary SQLite file first (a minute or two).
Prints the median and 95th percentile per page, the median CPU time the process spent on it (which,
unlike the wall time, hardly moves with the machine's load), and the raw ceiling measured in the same
run: the same client fetching /health, which renders nothing and reads no table.
"""

import argparse
import re
import statistics
import tempfile
import time
from datetime import date

from fastapi.testclient import TestClient
from sqlalchemy import select

from revteam.api.app import create_app, leave_startup_objects_out_of_gc
from revteam.db.base import utcnow
from revteam.db.migrate import upgrade
from revteam.db.session import get_engine, session_scope
from revteam.demo.generator import generate
from revteam.demo.plan import DEMO_PASSWORD
from revteam.leads.flow import actions as flow
from revteam.leads.models import Lead
from revteam.periods import Month
from revteam.playbook.versions import ensure_default
from revteam.users.models import User

TARGET_MS = 200


def build(url: str) -> None:
    engine = get_engine(url)
    upgrade(engine)
    with session_scope(engine) as session:
        ensure_default(session)
    generate(engine, size="medium", seed=7, as_of=date.today())


def sample_ids(url: str) -> dict[str, int | str]:
    """A routed lead (routing 20 waiting leads first), its rep, the rep's manager, and its account."""
    with session_scope(get_engine(url)) as session:
        admin = session.scalar(select(User).where(User.role == "admin"))
        waiting = select(Lead.id).where(Lead.state == "cultivating").order_by(Lead.score.desc()).limit(20)
        offer = None
        for lead_id in session.scalars(waiting):
            offer = flow.route_lead(session, lead_id=lead_id, actor=admin, now=utcnow()) or offer
        lead, rep = session.get(Lead, offer.lead_id), session.get(User, offer.rep_id)
        manager = session.scalar(select(User.email).where(User.role == "manager", User.team_id == rep.team_id)) \
            or session.scalar(select(User.email).where(User.role == "manager"))
        return {"lead": lead.id, "account": lead.account_id, "rep": rep.email, "manager": manager}


def signed_in(app, email: str) -> TestClient:
    client = TestClient(app)
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/sign-in").text).group(1)
    client.post("/sign-in", data={"email": email, "password": DEMO_PASSWORD, "csrf_token": token})
    return client


def timed(client: TestClient, path: str, rounds: int) -> tuple[list[float], list[float]] | None:
    try:
        if client.get(path).status_code != 200:  # warm-up: templates compiled, caches filled
            return None
    except Exception as error:  # a broken page is reported, the others still measured
        print(f"{path:40} failed: {type(error).__name__}: {error}")
        return None
    times, cpu = [], []
    for _ in range(rounds):
        start, start_cpu = time.perf_counter(), time.process_time()
        client.get(path)
        times.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    return times, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", help="an existing medium demo database")
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = args.db or f"sqlite:///{folder}/medium.db"
        if not args.db:
            build(url)
            print(f"built the medium demo in {url}")
        ids = sample_ids(url)
        app = create_app(url)
        leave_startup_objects_out_of_gc()  # as `revteam serve` does
        admin, rep = signed_in(app, "admin@demo.revteam.dev"), signed_in(app, ids["rep"])
        manager = signed_in(app, ids["manager"])
        last_month = str(Month.of(date.today()).plus(-1))  # closed by the demo: stored; this month is live
        pages = [(admin, "/dashboard"), (admin, "/cultivation"), (admin, "/playbook"), (admin, "/admin"),
                 (admin, f"/leads/{ids['lead']}"), (admin, f"/accounts/{ids['account']}"),
                 (admin, "/leads?source=webinar"), (rep, "/inbox"), (admin, f"/comp?period={last_month}"),
                 (admin, f"/comp?period={Month.of(date.today())}"),
                 (rep, f"/comp/{ids['rep']}/{last_month}"), (admin, "/scorecards"), (rep, "/dashboard"),
                 (rep, "/my-leads"), (rep, "/leads"), (rep, f"/leads/{ids['lead']}"), (manager, "/inbox"),
                 (manager, "/cultivation"), (manager, "/dashboard"), (manager, "/leads?state=rejected")]
        ceiling, _ = timed(admin, "/health", args.rounds)
        print(f"{'page':40} {'median ms':>10} {'p95 ms':>8} {'CPU ms':>8}  under {TARGET_MS} ms")
        for client, path in pages:
            measured = timed(client, path, args.rounds)
            if measured is None:
                print(f"{path:40} {'(not 200)':>10}")
                continue
            times = sorted(measured[0])
            p95 = times[int(len(times) * 0.95) - 1]
            print(f"{path:40} {statistics.median(times):10.1f} {p95:8.1f} {statistics.median(measured[1]):8.1f}"
                  f"  {'yes' if p95 < TARGET_MS else 'NO'}")
        print(f"{'ceiling: /health (no page, no query)':40} {statistics.median(ceiling):10.1f}")


if __name__ == "__main__":
    main()
