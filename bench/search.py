"""How fast search answers on a big database (target: under 100 ms).

    .venv/bin/python bench/search.py --fill 1000000 [--db URL] [--rounds 5]
    .venv/bin/python bench/search.py --size medium [--db URL]       # the demo instead
    .venv/bin/python bench/search.py --db URL                        # a database already filled

--fill N writes N leads straight into the tables (one person each, an account per ten, 200 reps in
three teams with a manager each, a third of the leads offered to a rep and owned), with names,
e-mails, phones and companies drawn from the demo's pools, so a common last name matches about one
person in 60; the search triggers index them as any write would. --size builds that demo instead.
Without --db both go to a temporary SQLite file.

Searches for last names, full names, e-mails, phones and companies taken from the database, the
first two letters of a last name, and a word nothing matches, as the admin (sees every lead), a
manager (their team's) and a rep (their own): the domain query of the search page (three groups'
first rows and totals, `leads/search_all.py`), the page /search, GET /api/search, and the lead list
/leads?q=. Prints the median and 95th percentile (wall) and the median CPU time of this process per
kind and viewer (`--kind` picks kinds), and the raw ceiling of the same run: /health, which renders
nothing and reads no table.
"""

import argparse
import math
import random
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import func, insert, select

sys.path.insert(0, str(Path(__file__).parent))
from pages import signed_in  # noqa: E402

from revteam.accounts.models import Account, Person  # noqa: E402
from revteam.api.app import create_app  # noqa: E402
from revteam.db.base import utcnow  # noqa: E402
from revteam.db.migrate import upgrade  # noqa: E402
from revteam.db.session import get_engine, session_scope  # noqa: E402
from revteam.demo.generator import generate  # noqa: E402
from revteam.demo.names import COMPANY_SUFFIXES, COMPANY_WORDS, FIRST_NAMES, LAST_NAMES  # noqa: E402
from revteam.demo.plan import DEMO_PASSWORD  # noqa: E402
from revteam.leads.models import Lead  # noqa: E402
from revteam.leads.search_all import search_everything  # noqa: E402
from revteam.playbook.versions import ensure_default  # noqa: E402
from revteam.routing.models import Offer  # noqa: E402
from revteam.users.models import User  # noqa: E402
from revteam.users.schemas import UserIn  # noqa: E402
from revteam.users.service import add_user, issue_token  # noqa: E402

TARGET_MS = 100
TEAMS = ("na-sdr", "emea-sdr", "apac-sdr")
REPS = 200
CHUNK = 20_000


def build_demo(url: str, size: str) -> None:
    engine = get_engine(url)
    upgrade(engine)
    with session_scope(engine) as session:
        ensure_default(session)
    generate(engine, size=size, seed=7, as_of=date.today())


def _users(session) -> list[int]:
    """The admin, a manager per team and the reps; only the first of each role signs in (hashing is slow)."""
    add_user(session, UserIn(email="admin@bench.io", name="Admin", role="admin", password=DEMO_PASSWORD), actor="bench")
    for n, team in enumerate(TEAMS):
        add_user(session, UserIn(email=f"manager-{team}@bench.io", name=f"Manager {team}", role="manager", team=team,
                                 password=DEMO_PASSWORD if n == 0 else None), actor="bench")
    return [add_user(session, UserIn(email=f"rep{n}@bench.io", name=f"Rep {n}", role="sales", sales_role="sdr",
                                     team=TEAMS[n % 3], password=DEMO_PASSWORD if n == 0 else None), actor="bench").id
            for n in range(REPS)]


def _accounts(count: int, rng: random.Random) -> list[dict]:
    return [{"id": n, "name": f"{rng.choice(COMPANY_WORDS)} {rng.choice(COMPANY_SUFFIXES)} {n}",
             "name_normalized": f"account {n}", "domain": f"firm{n}.example", "country": "US"}
            for n in range(1, count + 1)]


def _lead_rows(n: int, accounts: int, reps: list[int], rng: random.Random, now) -> tuple[dict, dict, dict | None]:
    first, last, account = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES), rng.randint(1, accounts)
    email = f"{first.lower()}.{last.lower()}{n}@firm{account}.example"
    phone = f"+1{rng.randint(201, 989)}{rng.randint(200, 999)}{n % 10_000:04d}"  # a valid NANP number
    person = {"id": n, "account_id": account, "first_name": first, "last_name": last, "email": email,
              "email_normalized": email, "phone_e164": phone, "country": "US", "created_at": now}
    rep = rng.choice(reps) if n % 3 == 0 else None
    lead = {"id": n, "person_id": n, "account_id": account, "state": "accepted" if rep else "mql", "owner_id": rep,
            "source": "web", "score": rng.randint(0, 100), "version": 1, "created_at": now, "updated_at": now}
    offer = rep and {"lead_id": n, "rep_id": rep, "stage": "sdr", "offered_at": now, "outcome": "accepted",
                     "accept_by": now + timedelta(hours=4), "decision": {"rule": "bench"}}
    return person, lead, offer


def fill(url: str, leads: int) -> None:
    """`leads` leads, one person each, an account per ten, written in chunks (the triggers index them)."""
    engine, rng, now = get_engine(url), random.Random(14), utcnow()
    upgrade(engine)
    accounts = max(leads // 10, 1)
    with session_scope(engine) as session:
        ensure_default(session)
        reps = _users(session)
        session.execute(insert(Account), _accounts(accounts, rng))
    for start in range(1, leads + 1, CHUNK):
        rows = [_lead_rows(n, accounts, reps, rng, now) for n in range(start, min(start + CHUNK, leads + 1))]
        with session_scope(engine) as session:
            session.execute(insert(Person), [person for person, _, _ in rows])
            session.execute(insert(Lead), [lead for _, lead, _ in rows])
            session.execute(insert(Offer), [offer for _, _, offer in rows if offer])


def queries(url: str, count: int = 5) -> dict[str, list[str]]:
    """Real search terms of each kind, from people and accounts spread over the table."""
    with session_scope(get_engine(url)) as session:
        total = session.scalar(select(func.count()).select_from(Person))
        step = max(total // count, 1)
        people = [session.get(Person, person_id) for person_id in session.scalars(
            select(Person.id).where(Person.id % step == 0).limit(count))]
        companies = list(session.scalars(select(Account.name).where(Account.id % 7 == 0).limit(count)))
    return {"last name": [p.last_name for p in people if p.last_name],
            "full name": [f"{p.first_name} {p.last_name}" for p in people if p.first_name and p.last_name],
            "e-mail": [p.email for p in people if p.email],
            "phone": [p.phone_e164 for p in people if p.phone_e164],
            "company": companies, "two letters": [people[0].last_name[:2].lower()] if people else [],
            "no match": ["zzqxv", "nobody-at-all"]}


def _timed(run, rounds: int, terms=(None,)) -> tuple[float, float, float]:
    """Median and p95 (wall) and median CPU time of this process over every call of `run(term)`, each
    timed alone, after one untimed warm-up. On SQLite the CPU is the query's; on PostgreSQL the server's
    work is not in it."""
    run(terms[0])
    times, cpu = [], []
    for _ in range(rounds):
        for term in terms:
            start, cpu_start = time.perf_counter(), time.process_time()
            run(term)
            times.append((time.perf_counter() - start) * 1000)
            cpu.append((time.process_time() - cpu_start) * 1000)
    times.sort()
    return statistics.median(times), times[math.ceil(len(times) * 0.95) - 1], statistics.median(cpu)


def _report(label: str, median: float, p95: float, cpu: float) -> None:
    mark = "ok" if p95 < TARGET_MS else "SLOW"
    print(f"{label:<40} median {median:7.1f} ms   p95 {p95:7.1f} ms   cpu {cpu:7.1f} ms   {mark}", flush=True)


def _viewers(engine) -> dict[str, str]:
    with session_scope(engine) as session:
        first = {role: session.scalar(select(User.email).where(User.role == role).order_by(User.id))
                 for role in ("admin", "manager", "sales")}
    return {"admin": first["admin"], "manager": first["manager"], "rep": first["sales"]}


def _token(engine, email: str) -> dict[str, str]:
    with session_scope(engine) as session:
        return {"Authorization": f"Bearer {issue_token(session, email, name='bench', actor='bench')}"}


def measure(url: str, rounds: int, kinds: list[str] | None = None) -> None:
    engine = get_engine(url)
    with session_scope(engine) as session:
        leads = session.scalar(select(func.count()).select_from(Lead))
        people = session.scalar(select(func.count()).select_from(Person))
        accounts = session.scalar(select(func.count()).select_from(Account))
    print(f"{leads:,} leads, {people:,} people, {accounts:,} accounts, {engine.dialect.name}, "
          f"{rounds} rounds per term", flush=True)
    app = create_app(url)
    viewers = _viewers(engine)
    clients = {who: signed_in(app, email) for who, email in viewers.items()}
    tokens = {who: _token(engine, email) for who, email in viewers.items()}
    _report("raw ceiling: GET /health", *_timed(lambda _: clients["admin"].get("/health"), rounds))
    for kind, terms in queries(url).items():
        if kinds and kind not in kinds or not terms:
            continue
        for who, email in viewers.items():
            def query(term, email=email):
                with session_scope(engine) as session:
                    search_everything(session, viewer=session.scalar(select(User).where(User.email == email)), q=term)
            client, token = clients[who], tokens[who]
            _report(f"query {kind} ({who})", *_timed(query, rounds, terms))
            _report(f"page /search {kind} ({who})",
                    *_timed(lambda term, client=client: client.get("/search", params={"q": term}), rounds, terms))
            _report(f"GET /api/search {kind} ({who})",
                    *_timed(lambda term, client=client, token=token: client.get(
                        "/api/search", params={"q": term}, headers=token), rounds, terms))
            _report(f"page /leads?q= {kind} ({who})",
                    *_timed(lambda term, client=client: client.get("/leads", params={"q": term}), rounds, terms))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db")
    parser.add_argument("--fill", type=int, help="Write this many leads (and their people and accounts) first.")
    parser.add_argument("--size", help="Build this demo first instead (small, medium, large).")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--kind", action="append", help="Measure only this kind of term (repeatable): "
                        "'last name', 'full name', 'e-mail', 'phone', company, 'two letters', 'no match'.")
    args = parser.parse_args()
    url = args.db or f"sqlite:///{tempfile.mkdtemp()}/search-bench.db"
    started = time.perf_counter()
    if args.fill:
        print(f"writing {args.fill:,} leads into {url} ...", flush=True)
        fill(url, args.fill)
    elif args.size:
        print(f"building the {args.size} demo in {url} ...", flush=True)
        build_demo(url, args.size)
    if args.fill or args.size:
        print(f"built in {time.perf_counter() - started:.0f} s", flush=True)
    measure(url, args.rounds, args.kind)


if __name__ == "__main__":
    main()
