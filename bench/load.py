"""How the pages hold up under 20 signed-in users at once (target on `medium`: p95 under 150 ms).

    .venv/bin/python bench/load.py --db URL [--users 20] [--seconds 60] [--requests 4000] [--workers 1] [--think 0]

Starts `revteam serve` on a free loopback port over the demo database at URL (build one with
`revteam demo --size medium --no-serve --db URL`), signs in `--users` demo users of every role
(reps, managers, marketing, success, the admin), and lets each one walk the pages its role opens,
one request after another (pausing `--think` seconds on average between two, 0 for none), until
`--seconds` have passed or `--requests` were sent in all. Prints p50 and p95 per page and, as the
ceiling measured in the same run, the same load on /health (no page, no query). A page that answers
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
from revteam.users.models import User

TARGET_P95_MS = 150
REQUEST_TIMEOUT_S = 60  # an answer slower than this is counted as a timeout, not waited for
REVTEAM = Path(sys.executable).with_name("revteam")
# The pages each role works on during a day; {lead} and {account} are a record the user may see.
PAGES = {
    "sales": ("/inbox", "/my-leads", "/leads/{lead}", "/leads", "/dashboard"),
    "manager": ("/inbox", "/cultivation", "/leads?state=rejected", "/dashboard", "/leads/{lead}"),
    "marketing": ("/dashboard", "/cultivation", "/leads?source=webinar", "/playbook", "/scorecards"),
    "success": ("/dashboard", "/scorecards", "/leads?state=won", "/accounts/{account}"),
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
        chosen, turn = [], 0
        while len(chosen) < count and any(by_role.values()):
            role = list(PAGES)[turn % len(PAGES)]
            turn += 1
            if by_role[role]:
                user = by_role[role].pop(0)
                own = session.execute(select(Lead.id, Lead.account_id).where(Lead.owner_id == user.id)
                                      .order_by(Lead.id.desc()).limit(1)).one_or_none()
                lead_id, account_id = own or any_lead
                chosen.append({"email": user.email, "role": role, "lead": lead_id, "account": account_id or any_lead[1]})
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


async def _walk(client: httpx.AsyncClient, paths: list[str], budget: Budget, times: dict, failures: dict,
                think: float, pauses: random.Random) -> None:
    turn = 0
    while budget.take():
        if think:
            await asyncio.sleep(pauses.uniform(0.5, 1.5) * think)
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
                 think: float = 0, server: subprocess.Popen | None = None) -> tuple[dict, dict, float, float]:
    clients = [await _signed_in(base, user["email"]) for user in users]
    times, failures = defaultdict(list), defaultdict(lambda: defaultdict(int))
    routes = []
    for client, user in zip(clients, users):
        pages = ["/health"] if only_health else PAGES[user["role"]]
        paths = [(page, page.format(lead=user["lead"], account=user["account"])) for page in pages]
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
    parser.add_argument("--workers", type=int, default=1, help="server processes (revteam serve --workers)")
    parser.add_argument("--think", type=float, default=0,
                        help="seconds a user pauses between two pages, on average (0: none, every user asks without pause)")
    args = parser.parse_args()
    users = _users(args.db, args.users)
    port = _free_port()
    server = _serve(args.db, port, args.workers)
    base = f"http://127.0.0.1:{port}"
    try:
        times, failures, took, cpu = asyncio.run(_round(base, users, args.seconds, args.requests, only_health=False,
                                                        think=args.think, server=server))
        ceiling, _, _, _ = asyncio.run(_round(base, users, min(args.seconds, 15), 1000, only_health=True))
    finally:
        server.terminate()
        server.wait(timeout=30)
    sent = sum(map(len, times.values())) + sum(sum(f.values()) for f in failures.values())
    print(f"{len(users)} users, think {args.think:g} s, {sent} requests in {took:.1f} s ({sent / took:.0f}/s), "
          f"{args.workers} server process(es), load average {os.getloadavg()[0]:.1f}")
    print(f"server CPU {cpu:.1f} s: {cpu / sent * 1000:.1f} ms per request "
          f"(at most {os.cpu_count() / (cpu / sent):.0f} requests/s on {os.cpu_count()} cores)")
    print(f"{'page':28} {'requests':>8} {'p50 ms':>8} {'p95 ms':>8}  p95 under {TARGET_P95_MS} ms")
    for label in sorted(set(times) | set(failures)):
        values = times.get(label, [])
        refused = ", ".join(f"{count} x {status}" for status, count in failures[label].items())
        if values:
            p95 = _percentile(values, 0.95)
            print(f"{label:28} {len(values):8} {statistics.median(values):8.1f} {p95:8.1f}  "
                  f"{'yes' if p95 < TARGET_P95_MS else 'NO'}{'  not 200: ' + refused if refused else ''}")
        else:
            print(f"{label:28} {'':8} {'':8} {'':8}  not 200: {refused}")
    health = ceiling["/health"]
    print(f"{'ceiling: /health':28} {len(health):8} {statistics.median(health):8.1f} {_percentile(health, 0.95):8.1f}")


if __name__ == "__main__":
    main()
