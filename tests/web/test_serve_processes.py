"""Several `revteam serve` processes on one PostgreSQL work side by side.

Each test starts real server processes (`python -m revteam serve`) on free ports and talks to
them over HTTP: nothing a process keeps in memory may make it disagree with the others.
"""

import os
import re
import signal
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import httpx
import pytest

from revteam.db.session import session_scope
from revteam.leads.intake.forms import add_form
from tests.concurrency import SAFETY_NET_SECONDS, wait_until
from tests.conftest import BACKEND
from tests.web.conftest import PASSWORD, _free_port, csrf_of

pytestmark = pytest.mark.skipif(BACKEND != "postgresql", reason="side-by-side processes need PostgreSQL")

SHARED_KEY = "one-key-for-every-process-of-this-install"
FORM_LIMIT = 3


@dataclass
class Launched:
    """One `revteam serve` started by a test: its main process, base URL and log file."""

    process: subprocess.Popen
    url: str
    log: Path


def _server_environment(secret_key: str | None) -> dict[str, str]:
    environment = {name: value for name, value in os.environ.items() if name != "REVTEAM_SECRET_KEY"}
    environment["REVTEAM_FORM_RATE_LIMIT_PER_MINUTE"] = str(FORM_LIMIT)
    if secret_key is not None:
        environment["REVTEAM_SECRET_KEY"] = secret_key
    return environment


def _serving(process: subprocess.Popen, url: str, log: Path, workers: int) -> bool:
    """Whether /health answers and every worker has started; fails at once if the server exited."""
    assert process.poll() is None, f"revteam serve exited with {process.returncode}:\n{log.read_text()}"
    try:
        healthy = httpx.get(f"{url}/health", timeout=SAFETY_NET_SECONDS).status_code == 200
    except httpx.TransportError:
        return False
    return healthy and log.read_text().count("Application startup complete") >= workers


def _stop(process: subprocess.Popen) -> None:
    """End the server and its workers (its own process group)."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=20)


def _launch(db_url: str, log_folder: Path, *, workers: int, secret_key: str | None) -> Launched:
    port = _free_port()
    log = log_folder / f"serve-{port}.log"
    command = [sys.executable, "-m", "revteam", "serve", "--port", str(port), "--db", db_url, "--workers", str(workers)]
    with log.open("w") as output:
        process = subprocess.Popen(command, env=_server_environment(secret_key), stdout=output,
                                   stderr=subprocess.STDOUT, start_new_session=True)
    return Launched(process, f"http://127.0.0.1:{port}", log)


@pytest.fixture
def serve(db_url, tmp_path) -> Iterator[Callable[..., list[Launched]]]:
    """Start one `revteam serve` per secret key on this test's database, ready to answer. All stop at the end."""
    launched: list[Launched] = []

    def start(*secret_keys: str | None, workers: int = 1) -> list[Launched]:
        servers = [_launch(db_url, tmp_path, workers=workers, secret_key=key) for key in secret_keys]
        launched.extend(servers)
        for server in servers:
            wait_until(partial(_serving, server.process, server.url, server.log, workers),
                       what=lambda: f"revteam serve to start:\n{server.log.read_text()}")
        return servers

    try:
        yield start
    finally:
        for server in launched:
            _stop(server.process)


@pytest.fixture
def two_servers(serve) -> list[str]:
    return [server.url for server in serve(SHARED_KEY, SHARED_KEY)]


@pytest.fixture
def form_key(engine):
    with session_scope(engine) as session:
        return add_form(session, name="contact-us", source="website", campaign=None, redirect_url=None,
                        actor="test").key


def _at_once(*requests: Callable[[], httpx.Response]) -> list[httpx.Response]:
    """Send the requests from one thread each, released together."""
    barrier = threading.Barrier(len(requests), timeout=SAFETY_NET_SECONDS)
    responses: list = [None] * len(requests)

    def send(index: int) -> None:
        barrier.wait()
        responses[index] = requests[index]()

    threads = [threading.Thread(target=send, args=(index,)) for index in range(len(requests))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=SAFETY_NET_SECONDS)
    return responses


def _sign_in(browser: httpx.Client, user, url: str = "") -> None:
    """Sign in through the server at `url` (or the browser's base URL)."""
    token = csrf_of(browser.get(f"{url}/sign-in").text)
    response = browser.post(f"{url}/sign-in", data={"email": user.email, "password": PASSWORD, "csrf_token": token})
    assert response.status_code == 303, response.text


def test_accepting_one_lead_through_both_processes_at_once_lets_exactly_one_win(
        two_servers, routed_lead, alice, dana, bearer):
    first, second = two_servers
    as_alice, as_dana = bearer(alice.email), bearer(dana.email)
    for lead in [routed_lead() for _ in range(5)]:
        responses = _at_once(partial(httpx.post, f"{first}/api/leads/{lead}/accept", headers=as_alice,
                                     timeout=SAFETY_NET_SECONDS),
                             partial(httpx.post, f"{second}/api/leads/{lead}/accept", headers=as_dana,
                                     timeout=SAFETY_NET_SECONDS))
        assert sorted(response.status_code for response in responses) == [200, 409], [r.text for r in responses]
        refused = next(response for response in responses if response.status_code == 409)
        assert f"lead {lead} " in refused.json()["detail"]
        story = httpx.get(f"{first}/api/leads/{lead}", headers=as_dana, timeout=SAFETY_NET_SECONDS).json()
        assert [event["type"] for event in story["events"]].count("lead.accepted") == 1


def test_a_sign_in_on_one_process_is_honoured_by_the_other(two_servers, alice):
    first, second = two_servers
    with httpx.Client(timeout=SAFETY_NET_SECONDS) as browser:  # one cookie jar, as a browser behind a load balancer
        _sign_in(browser, alice, first)
        page = browser.get(f"{second}/playbook")
        assert page.status_code == 200 and alice.name in page.text
        signed_out = browser.post(f"{second}/sign-out", data={"csrf_token": csrf_of(page.text)})
        assert signed_out.status_code == 303  # the session's CSRF token is valid there too
        assert browser.get(f"{first}/playbook").status_code == 303


def test_a_sign_in_signed_with_another_key_is_refused(serve, alice):
    first, other_install = (server.url for server in serve(SHARED_KEY, "a-different-key-for-another-install"))
    with httpx.Client(timeout=SAFETY_NET_SECONDS) as browser:
        _sign_in(browser, alice, first)
        assert browser.get(f"{other_install}/playbook").status_code == 303


def _playbook_with_reject_reason(shipped_playbook: Path, code: str, target: Path) -> Path:
    text = shipped_playbook.read_text(encoding="utf-8")
    reason = f"  - code: {code}\n    label: Away this week\n    then: reroute\n"
    target.write_text(text.replace("reject_reasons:\n", "reject_reasons:\n" + reason, 1), encoding="utf-8")
    return target


def test_a_playbook_activated_while_both_serve_is_used_by_both(two_servers, routed_lead, alice, bearer, db_url,
                                                               shipped_playbook, tmp_path):
    as_alice = bearer(alice.email)
    offered = {url: routed_lead() for url in two_servers}

    def reject_as_away(url: str) -> httpx.Response:
        return httpx.post(f"{url}/api/leads/{offered[url]}/reject", json={"reason": "away"}, headers=as_alice,
                          timeout=SAFETY_NET_SECONDS)

    for url in two_servers:  # each process has read the playbook in force before
        assert "unknown reject reason 'away'" in reject_as_away(url).json()["detail"]
    new = _playbook_with_reject_reason(shipped_playbook, "away", tmp_path / "playbook.yaml")
    activation = subprocess.run([sys.executable, "-m", "revteam", "playbook", "activate", str(new), "--db", db_url],
                                check=False, capture_output=True, text=True, timeout=SAFETY_NET_SECONDS)
    assert activation.returncode == 0, activation.stderr
    new_version = int(re.search(r"playbook version (\d+) activated", activation.stdout).group(1))
    for url in two_servers:
        assert reject_as_away(url).status_code == 200
        story = httpx.get(f"{url}/api/leads/{offered[url]}", headers=as_alice, timeout=SAFETY_NET_SECONDS).json()
        rejected = next(event for event in story["events"] if event["type"] == "lead.rejected")
        assert rejected["playbook_version"] == new_version


def test_the_form_rate_limit_counts_posts_to_both_processes(two_servers, form_key):
    first, second = two_servers
    servers = [first, second] * 2
    codes = [httpx.post(f"{url}/forms/{form_key}", data={"email": f"visitor{n}@initech.com"},
                        timeout=SAFETY_NET_SECONDS).status_code
             for n, url in enumerate(servers)]
    assert codes == [201] * FORM_LIMIT + [429]


def _workers_of(server: Launched) -> list[int]:
    """The uvicorn worker processes of a `--workers N` server (its spawned children)."""
    workers = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            parent = int(stat.read_text().rsplit(")", 1)[1].split()[1])
            spawned = b"spawn_main" in (stat.parent / "cmdline").read_bytes()
        except (OSError, IndexError):  # a process that ended while we looked
            continue
        if parent == server.process.pid and spawned:
            workers.append(int(stat.parent.name))
    return workers


@contextmanager
def _only_running(worker: int, workers: list[int]) -> Iterator[None]:
    """Pause the other workers, so only `worker` can accept a new connection."""
    others = [pid for pid in workers if pid != worker]
    for pid in others:
        os.kill(pid, signal.SIGSTOP)
    try:
        yield
    finally:
        for pid in others:
            os.kill(pid, signal.SIGCONT)


@pytest.fixture
def two_workers(serve) -> Iterator[Callable[..., tuple[httpx.Client, list[Callable]]]]:
    """Start a two-worker server: a browser to it, and for each worker a context in which only that
    worker runs. The browser keeps no connection alive, so each request opens a new one, which only
    the running worker can accept: every request reaches the worker the test chose."""
    opened: list[httpx.Client] = []

    def start(secret_key: str | None) -> tuple[httpx.Client, list[Callable]]:
        [server] = serve(secret_key, workers=2)
        workers = _workers_of(server)
        assert len(workers) == 2, workers
        opened.append(httpx.Client(base_url=server.url, timeout=SAFETY_NET_SECONDS,
                                   limits=httpx.Limits(max_keepalive_connections=0)))
        return opened[-1], [partial(_only_running, worker, workers) for worker in workers]

    yield start
    for browser in opened:
        browser.close()


def test_two_workers_without_a_configured_key_honour_each_others_sign_ins(two_workers, alice):
    browser, (on_first, on_second) = two_workers(None)
    with on_first():
        _sign_in(browser, alice)
    with on_second():
        page = browser.get("/playbook")
    assert page.status_code == 200 and alice.name in page.text


def test_two_workers_share_the_form_rate_limit(two_workers, form_key):
    browser, (on_first, on_second) = two_workers(SHARED_KEY)
    codes = []
    for n, on_worker in enumerate([on_first, on_second] * 2):
        with on_worker():
            codes.append(browser.post(f"/forms/{form_key}", data={"email": f"visitor{n}@initech.com"}).status_code)
    assert codes == [201] * FORM_LIMIT + [429]
