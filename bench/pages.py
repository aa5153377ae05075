"""How fast every page renders, for every role, on the `medium` or `large` demo (target: p95 under 300 ms).

    .venv/bin/python bench/pages.py [--db URL] [--rounds 20] [--only TEXT] [--as ROLE]

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
from revteam.revenue.models import Subscription
from revteam.users.models import User

TARGET_MS = 300
ROLES = ("admin", "sdr", "ae", "manager", "marketing", "success")


def build(url: str) -> None:
    engine = get_engine(url)
    upgrade(engine)
    with session_scope(engine) as session:
        ensure_default(session)
    generate(engine, size="medium", seed=7, as_of=date.today())


def sample_ids(url: str) -> dict[str, int | str]:
    """A routed lead (routing 20 waiting leads first), its rep, the rep's manager, its account, a paying
    customer, and a user of every other role."""
    with session_scope(get_engine(url)) as session:
        admin = session.scalar(select(User).where(User.role == "admin"))
        waiting = select(Lead.id).where(Lead.state == "cultivating").order_by(Lead.score.desc()).limit(20)
        offer = None
        for lead_id in session.scalars(waiting):
            offer = flow.route_lead(session, lead_id=lead_id, actor=admin, now=utcnow()) or offer
        lead, rep = session.get(Lead, offer.lead_id), session.get(User, offer.rep_id)
        manager = session.scalar(select(User.email).where(User.role == "manager", User.team_id == rep.team_id)) \
            or session.scalar(select(User.email).where(User.role == "manager"))
        other_rep = select(User.email).where(User.role == "sales", User.sales_role != rep.sales_role).limit(1)
        first_of = {role: session.scalar(select(User.email).where(User.role == role).order_by(User.id).limit(1))
                    for role in ("marketing", "success")}
        customer = session.scalar(select(Subscription.account_id).order_by(Subscription.id).limit(1))
        return {"lead": lead.id, "account": lead.account_id, "customer": customer, "admin": admin.email,
                rep.sales_role: rep.email, ("ae" if rep.sales_role == "sdr" else "sdr"): session.scalar(other_rep),
                "manager": manager, **first_of}


def pages_of(role: str, ids: dict[str, int | str]) -> list[str]:
    """Every page of the navigation a role sees, the lists with their filters and sorts, and a record's pages."""
    last_month, this_month = str(Month.of(date.today()).plus(-1)), str(Month.of(date.today()))
    lists = ["/leads", "/leads?sort=score", "/leads?sort=oldest", "/leads?state=accepted", "/leads?state=rejected",
             "/leads?source=webinar", "/leads?mql=true&sort=score", "/leads?score_min=60", "/accounts",
             "/accounts?sort=oldest", "/customers", "/customers?sort=renewal", "/customers?at_risk=true"]
    records = [f"/leads/{ids['lead']}", f"/accounts/{ids['account']}", f"/customers/{ids['customer']}"]
    common = ["/dashboard", "/scorecards", "/playbook", *lists, *records]
    own = {"admin": ["/inbox", "/my-leads", "/cultivation", f"/comp?period={last_month}",
                     f"/comp?period={this_month}", "/admin"],
           "sdr": ["/inbox", "/my-leads", f"/comp/{ids['sdr']}/{last_month}"],
           "ae": ["/inbox", "/my-leads", f"/comp/{ids['ae']}/{last_month}"],
           "manager": ["/inbox", "/my-leads", "/cultivation", f"/comp?period={last_month}"],
           "marketing": ["/cultivation"], "success": [f"/comp?period={last_month}"]}
    return own[role] + common


def signed_in(app, email: str) -> TestClient:
    client = TestClient(app)
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/sign-in").text).group(1)
    client.post("/sign-in", data={"email": email, "password": DEMO_PASSWORD, "csrf_token": token})
    return client


def timed(client: TestClient, path: str, rounds: int) -> tuple[list[float], list[float]] | None:
    try:
        status = client.get(path).status_code  # warm-up: templates compiled, caches filled
        if status != 200:
            print(f"{path:50} answered {status}")
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


def _p95(times: list[float]) -> float:
    return sorted(times)[max(int(len(times) * 0.95) - 1, 0)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", help="an existing medium or large demo database (a copy: the bench routes leads)")
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--only", help="only the pages whose path contains this text")
    parser.add_argument("--as", dest="roles", action="append", choices=ROLES, help="only this role (repeatable)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = args.db or f"sqlite:///{folder}/medium.db"
        if not args.db:
            build(url)
            print(f"built the medium demo in {url}")
        ids = sample_ids(url)
        app = create_app(url)
        leave_startup_objects_out_of_gc()  # as `revteam serve` does
        ceiling, _ = timed(signed_in(app, ids["admin"]), "/health", args.rounds)
        print(f"{'role':9} {'page':40} {'median ms':>10} {'p95 ms':>8} {'CPU ms':>8}  under {TARGET_MS} ms")
        for role in args.roles or ROLES:
            client = signed_in(app, ids[role])
            for path in pages_of(role, ids):
                if args.only and args.only not in path:
                    continue
                measured = timed(client, path, args.rounds)
                if measured is None:
                    print(f"{role:9} {path:40} {'(not 200)':>10}")
                    continue
                p95 = _p95(measured[0])
                print(f"{role:9} {path:40} {statistics.median(measured[0]):10.1f} {p95:8.1f} "
                      f"{statistics.median(measured[1]):8.1f}  {'yes' if p95 < TARGET_MS else 'NO'}", flush=True)
        print(f"{'':9} {'ceiling: /health (no page, no query)':40} {statistics.median(ceiling):10.1f}")


if __name__ == "__main__":
    main()
