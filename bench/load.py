"""How the pages hold up under 20 signed-in users at once (target on `medium`: p95 under 150 ms).

    .venv/bin/python bench/load.py --db URL [--users 20] [--seconds 60] [--requests 4000] [--workers 2] [--think 1-3]

Starts `revteam serve --workers N` (as the README serves production: one process per core) on a free
loopback port over the demo database at URL (build one with `revteam demo --size medium --no-serve
--db URL`), signs in `--users` demo users of every role (reps, managers, marketing, success, the
admin), and lets each one walk the pages its role opens, one request after another, until
`--seconds` have passed or `--requests` were sent in all. Between two pages a user reads: `--think
MIN-MAX` pauses a time drawn uniformly from MIN to MAX seconds (locust's `between`; by default 1-3,
a person clicking through their day), `--think 0` none (a closed loop: every user asks again as soon
as answered, which saturates the server and measures its throughput rather than a person's wait).
Prints p50, p95 and p99 per page and over all pages, requests per second and, as the ceiling
measured in the same run, the same users with the same pauses asking /health (no page, no query)
for up to 15 s: what the machine alone adds to every answer. A page that answers
anything but 200 is counted and reported. Beside the times, which on a shared machine follow its
load, it prints the CPU the server processes spent per request (from /proc): what the pages cost,
whatever else runs beside them.
"""

import argparse
import asyncio
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

import httpx
from sqlalchemy import func, select

from revteam.db.session import get_engine, session_scope
from revteam.demo.plan import DEMO_PASSWORD
from revteam.leads.models import Lead
from revteam.revenue.models import Subscription
from revteam.users.models import User

TARGET_P95_MS = 150
REQUEST_TIMEOUT_S = 60  # an answer slower than this is counted as a timeout, not waited for
REVTEAM = Path(sys.executable).with_name("revteam")
# The pages each role works on during a day; {lead}, {account} and {customer} are records the user may see.
PAGES = {
    "sales": ("/inbox", "/my-leads", "/leads/{lead}", "/leads", "/dashboard"),
    "manager": ("/inbox", "/cultivation", "/leads?state=rejected", "/dashboard", "/leads/{lead}"),
    "marketing": ("/dashboard", "/cultivation", "/leads?source=webinar", "/playbook", "/scorecards"),
    "success": ("/dashboard", "/customers", "/customers?at_risk=true", "/customers/{customer}", "/scorecards",
                "/leads?state=won"),
    "admin": ("/dashboard", "/admin", "/leads/{lead}", "/accounts/{account}", "/playbook"),
}


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _users(url: str, count: int) -> list[dict]:
    """`count` active users, every role taking its turn, each with a lead and an account to open."""
    with session_scope(get_engine(url)) as session:
        by_role = defaultdict(list)
        for user in session.scalars(select(User).where(User.active.is_(True)).order_by(User.id)):
            by_role[user.role].append(user)
        any_lead = session.execute(select(Lead.id, Lead.account_id).where(Lead.account_id.is_not(None))
                                   .order_by(Lead.id.desc()).limit(1)).one()
        customer = session.scalar(select(Subscription.account_id).order_by(Subscription.id).limit(1))
        chosen, turn = [], 0
        while len(chosen) < count and any(by_role.values()):
            role = list(PAGES)[turn % len(PAGES)]
            turn += 1
            if by_role[role]:
                user = by_role[role].pop(0)
                own = session.execute(select(Lead.id, Lead.account_id).where(Lead.owner_id == user.id)
                                      .order_by(Lead.id.desc()).limit(1)).one_or_none()
                lead_id, account_id = own or any_lead
                chosen.append({"email": user.email, "role": role, "lead": lead_id, "account": account_id or any_lead[1],
                               "customer": customer})
        print(f"{session.scalar(select(func.count()).select_from(Lead)):,} leads; {len(chosen)} users: "
              + ", ".join(f"{role} {sum(u['role'] == role for u in chosen)}" for role in PAGES))
        return chosen


def _serve(url: str, port: int, workers: int) -> subprocess.Popen:
    server = subprocess.Popen([str(REVTEAM), "serve", "--db", url, "--port", str(port), "--workers", str(workers)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env={**os.environ})
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/health", timeout=2).status_code == 200:
                return server
        except httpx.HTTPError:
            time.sleep(0.3)
    server.terminate()
    raise SystemExit("the server did not answer /health within 120 s")


async def _signed_in(base: str, email: str) -> httpx.AsyncClient:
    client = httpx.AsyncClient(base_url=base, timeout=REQUEST_TIMEOUT_S)
    form = await client.get("/sign-in")
    token = re.search(r'name="csrf_token" value="([^"]+)"', form.text).group(1)
    answer = await client.post("/sign-in", data={"email": email, "password": DEMO_PASSWORD, "csrf_token": token})
    if answer.status_code != 303:
        raise SystemExit(f"could not sign in as {email}: {answer.status_code}")
    return client


class Budget:
    """Stops every user once the time is up or the requests are spent (started after the warm-up)."""

    def __init__(self, seconds: float, requests: int):
        self.until, self.left = time.monotonic() + seconds, requests

    def take(self) -> bool:
        if self.left <= 0 or time.monotonic() >= self.until:
            return False
        self.left -= 1
        return True


def _cpu_seconds(server: subprocess.Popen) -> float:
    """CPU time (user and system) of the server and its worker processes so far, from /proc."""
    pids = [server.pid, *map(int, Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split())]
    ticks = 0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        ticks += int(fields[11]) + int(fields[12])  # utime, stime
    return ticks / os.sysconf("SC_CLK_TCK")


def _think_range(text: str) -> tuple[float, float]:
    """`--think`: 'MIN-MAX' seconds, or one number for a fixed pause (0: none)."""
    low, _, high = text.partition("-")
    try:
        pause = (float(low), float(high or low))
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not MIN-MAX seconds (e.g. 1-3) or 0") from None
    if not 0 <= pause[0] <= pause[1]:
        raise argparse.ArgumentTypeError(f"{text!r}: want 0 <= MIN <= MAX")
    return pause


async def _walk(client: httpx.AsyncClient, paths: list[str], budget: Budget, times: dict, failures: dict,
                think: tuple[float, float], pauses: random.Random) -> None:
    turn = 0
    while True:
        if think[1]:
            await asyncio.sleep(pauses.uniform(*think))
        if not budget.take():
            return
        label, path = paths[turn % len(paths)]
        turn += 1
        started = time.perf_counter()
        try:
            status = (await client.get(path)).status_code
        except httpx.TimeoutException:
            status = "timeout"
        elapsed = (time.perf_counter() - started) * 1000
        if status == 200:
            times[label].append(elapsed)
        else:
            failures[label][status] += 1


async def _round(base: str, users: list[dict], seconds: float, requests: int, only_health: bool,
                 think: tuple[float, float] = (0, 0), server: subprocess.Popen | None = None) -> tuple[dict, dict, float, float]:
    clients = [await _signed_in(base, user["email"]) for user in users]
    times, failures = defaultdict(list), defaultdict(lambda: defaultdict(int))
    routes = []
    for client, user in zip(clients, users):
        pages = ["/health"] if only_health else PAGES[user["role"]]
        paths = [(page, page.format(lead=user["lead"], account=user["account"], customer=user["customer"]))
                 for page in pages]
        for label, path in paths:  # warm-up, one user after another: templates compiled, not measured
            started = time.perf_counter()
            await client.get(path)
            if (took := time.perf_counter() - started) > 1:
                print(f"warm-up: {label} took {took:.1f} s for {user['role']}")
        routes.append(paths)
    budget, started = Budget(seconds, requests), time.monotonic()  # once everyone is signed in and warm
    cpu_before = _cpu_seconds(server) if server else 0.0
    pauses = random.Random(7)
    await asyncio.gather(*(_walk(client, paths, budget, times, failures, think, pauses)
                           for client, paths in zip(clients, routes)))
    took = time.monotonic() - started
    cpu = _cpu_seconds(server) - cpu_before if server else 0.0
    for client in clients:
        await client.aclose()
    return times, failures, took, cpu


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, int(len(ordered) * share + 0.5) - 1)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True, help="a demo database (small, medium or large)")
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--requests", type=int, default=4000)
    parser.add_argument("--workers", type=int, default=2, help="server processes (revteam serve --workers; one per core)")
    parser.add_argument("--think", type=_think_range, default="1-3",
                        help="seconds a user reads between two pages, MIN-MAX uniform (0: none, a closed loop)")
    args = parser.parse_args()
    users = _users(args.db, args.users)
    load_before = os.getloadavg()[0]
    port = _free_port()
    server = _serve(args.db, port, args.workers)
    base = f"http://127.0.0.1:{port}"
    try:
        times, failures, took, cpu = asyncio.run(_round(base, users, args.seconds, args.requests, only_health=False,
                                                        think=args.think, server=server))
        ceiling, _, _, _ = asyncio.run(_round(base, users, min(args.seconds, 15), 1000, only_health=True,
                                              think=args.think))
    finally:
        server.terminate()
        server.wait(timeout=30)
    sent = sum(map(len, times.values())) + sum(sum(f.values()) for f in failures.values())
    think = "none (closed loop)" if not args.think[1] else f"{args.think[0]:g}-{args.think[1]:g} s uniform"
    print(f"{len(users)} users, think {think}, {sent} requests in {took:.1f} s ({sent / took:.1f}/s), "
          f"{args.workers} server process(es), load average {load_before:.1f} before, {os.getloadavg()[0]:.1f} after")
    print(f"server CPU {cpu:.1f} s: {cpu / sent * 1000:.1f} ms per request "
          f"(at most {os.cpu_count() / (cpu / sent):.0f} requests/s on {os.cpu_count()} cores)")
    print(f"{'page':28} {'requests':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}  p95 under {TARGET_P95_MS} ms")
    for label in sorted(set(times) | set(failures)):
        refused = ", ".join(f"{count} x {status}" for status, count in failures[label].items())
        _print_row(label, times.get(label, []), f"  not 200: {refused}" if refused else "")
    _print_row("all pages", [took_ms for values in times.values() for took_ms in values], "")
    _print_row("ceiling: /health", ceiling["/health"], "")


def _print_row(label: str, values: list[float], remark: str) -> None:
    if not values:
        print(f"{label:28} {'':8} {'':8} {'':8} {'':8} {remark}")
        return
    p95 = _percentile(values, 0.95)
    print(f"{label:28} {len(values):8} {statistics.median(values):8.1f} {p95:8.1f} {_percentile(values, 0.99):8.1f}  "
          f"{'yes' if p95 < TARGET_P95_MS else 'NO'}{remark}")


if __name__ == "__main__":
    main()
