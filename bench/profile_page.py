"""Where one page's time goes: its SQL statements (count, the slowest) and its Python profile.

    .venv/bin/python bench/profile_page.py --db URL --as EMAIL PATH [PATH ...] [--top 25] [--cold]

Signs in as EMAIL (a demo user, demo password) in-process, fetches each PATH once to warm it up, then
once more while counting every SQL statement the request sends (SQLAlchemy's cursor events) and
profiling it with cProfile (in the threads that serve it). Prints, per page: the status, the wall time, the number of statements and
their total time, the slowest statements, and the functions with the most cumulative time. `--cold`
measures the page as the first view after a write does: with none of its figures kept
(web/figures_cache.py), as when an event was recorded or the minute turned.
"""

import argparse
import cProfile
import io
import pstats
import re
import threading
import time
from collections import defaultdict

from fastapi.testclient import TestClient
from sqlalchemy import event

from revteam.api.app import create_app
from revteam.demo.plan import DEMO_PASSWORD
from revteam.web.figures_cache import FiguresCache


class StatementLog:
    """Every statement an engine sends while `on`, with its time."""

    def __init__(self, engine):
        self.on, self.times, self._started = False, defaultdict(list), {}
        event.listen(engine, "before_cursor_execute", self._before)
        event.listen(engine, "after_cursor_execute", self._after)

    def _before(self, conn, cursor, statement, parameters, context, executemany):
        self._started[id(cursor)] = time.perf_counter()

    def _after(self, conn, cursor, statement, parameters, context, executemany):
        started = self._started.pop(id(cursor), None)
        if self.on and started is not None:
            self.times[" ".join(statement.split())[:160]].append((time.perf_counter() - started) * 1000)


def _signed_in(app, email: str) -> TestClient:
    client = TestClient(app)
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/sign-in").text).group(1)
    answer = client.post("/sign-in", data={"email": email, "password": DEMO_PASSWORD, "csrf_token": token},
                         follow_redirects=False)
    if answer.status_code != 303:
        raise SystemExit(f"could not sign in as {email}: {answer.status_code}")
    return client


def _profile(client: TestClient, log: StatementLog, path: str, top: int, cold: bool) -> None:
    client.get(path)  # warm-up: templates compiled, caches filled
    if cold:
        client.app.state.figures = FiguresCache()
    log.times.clear()
    profiler, log.on = cProfile.Profile(), True
    # The test client serves each request from fresh threads (its event loop's and the endpoint's):
    # each one starts the profiler at its first call.
    threading.setprofile(lambda *_: profiler.enable())
    started = time.perf_counter()
    status = client.get(path).status_code
    threading.setprofile(None)
    took, log.on = (time.perf_counter() - started) * 1000, False
    count = sum(map(len, log.times.values()))
    sql_ms = sum(map(sum, log.times.values()))
    print(f"\n== {path}: {status}, {took:.1f} ms, {count} SQL statements taking {sql_ms:.1f} ms")
    slowest = sorted(log.times.items(), key=lambda item: -sum(item[1]))[:8]
    for statement, times in slowest:
        print(f"  {sum(times):8.1f} ms {len(times):4} x  {statement}")
    text = io.StringIO()
    pstats.Stats(profiler, stream=text).sort_stats("cumulative").print_stats(top)
    print("\n".join(line for line in text.getvalue().splitlines() if line.strip())[-6000:])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("--as", dest="email", required=True, help="the demo user to sign in as")
    parser.add_argument("--top", type=int, default=25, help="functions to print per page")
    parser.add_argument("--cold", action="store_true", help="with no figures kept from the warm-up")
    parser.add_argument("paths", nargs="+")
    args = parser.parse_args()
    app = create_app(args.db)
    log = StatementLog(app.state.engine)
    client = _signed_in(app, args.email)
    for path in args.paths:
        _profile(client, log, path, args.top, args.cold)


if __name__ == "__main__":
    main()
