"""How fast search answers on a demo database (target: under 100 ms on `large`).

    .venv/bin/python bench/search.py [--db URL] [--size medium] [--rounds 20]

Without --db it builds the demo of --size in a temporary SQLite file first. Searches for names,
e-mails, phones and companies taken from the database, through the domain query (the first page of
/leads?q= and its total) and through the page itself, signed in as the admin and as a rep. Prints the
median and 95th percentile per kind, and the raw ceiling of the same run: the same client fetching
/health, which renders nothing and reads no table.
"""

import argparse
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from sqlalchemy import func, select

sys.path.insert(0, str(Path(__file__).parent))
from pages import signed_in  # noqa: E402

from revteam.accounts.models import Account, Person  # noqa: E402
from revteam.api.app import create_app  # noqa: E402
from revteam.db.migrate import upgrade  # noqa: E402
from revteam.demo.generator import generate  # noqa: E402
from revteam.playbook.versions import ensure_default  # noqa: E402
from revteam.db.session import get_engine, session_scope  # noqa: E402
from revteam.leads.lead_list import LeadFilter  # noqa: E402
from revteam.leads.models import Lead  # noqa: E402
from revteam.leads.queries import filtered_leads  # noqa: E402
from revteam.users.models import User  # noqa: E402

TARGET_MS = 100


def build_demo(url: str, size: str) -> None:
    engine = get_engine(url)
    upgrade(engine)
    with session_scope(engine) as session:
        ensure_default(session)
    generate(engine, size=size, seed=7, as_of=date.today())


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
            "company": companies, "no match": ["zzqxv", "nobody-at-all"]}


def _timed(run, rounds: int, terms=(None,)) -> tuple[float, float]:
    """Median and p95 over every call of `run(term)`, each timed alone."""
    times = []
    for _ in range(rounds):
        for term in terms:
            start = time.perf_counter()
            run(term)
            times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return statistics.median(times), times[max(int(len(times) * 0.95) - 1, 0)]


def _report(label: str, median: float, p95: float) -> None:
    mark = "ok" if p95 < TARGET_MS else "SLOW"
    print(f"{label:<34} median {median:7.1f} ms   p95 {p95:7.1f} ms   {mark}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db")
    parser.add_argument("--size", default="medium")
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    url = args.db
    if url is None:
        url = f"sqlite:///{tempfile.mkdtemp()}/search-bench.db"
        print(f"building the {args.size} demo in {url} ...", flush=True)
        build_demo(url, args.size)
    engine = get_engine(url)
    with session_scope(engine) as session:
        leads = session.scalar(select(func.count()).select_from(Lead))
        admin = session.scalar(select(User).where(User.role == "admin"))
        rep = session.scalar(select(User).where(User.role == "sales").order_by(User.id))
        admin_email, rep_email = admin.email, rep.email
    print(f"{leads:,} leads, {engine.dialect.name}, {args.rounds} rounds per term")
    app = create_app(url)
    clients = {"admin": signed_in(app, admin_email), "rep": signed_in(app, rep_email)}
    _report("raw ceiling: GET /health", *_timed(lambda _: clients["admin"].get("/health"), args.rounds))
    for kind, terms in queries(url).items():
        for who, email in (("admin", admin_email), ("rep", rep_email)):
            def query(term, email=email):
                with session_scope(engine) as session:
                    viewer = session.scalar(select(User).where(User.email == email))
                    filtered_leads(session, viewer=viewer, lead_filter=LeadFilter(q=term), limit=200)
            _report(f"query {kind} ({who})", *_timed(query, args.rounds, terms))
            client = clients[who]
            _report(f"page /leads?q= {kind} ({who})",
                    *_timed(lambda term, client=client: client.get("/leads", params={"q": term}), args.rounds, terms))


if __name__ == "__main__":
    main()
