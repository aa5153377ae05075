"""Build the small demo, serve it, and save the README's screenshots with Chromium.

    .venv/bin/python scripts/screenshots.py        # writes docs/screenshots/{dashboard,inbox}.png

Uses Debian's /usr/bin/chromium through Playwright; nothing downloads a browser.
"""

import socket
import sys
import tempfile
import threading
import time
from datetime import date
from pathlib import Path

import uvicorn
from playwright.sync_api import sync_playwright
from sqlalchemy import select

from revteam.api.app import create_app
from revteam.db.base import utcnow
from revteam.db.migrate import upgrade
from revteam.db.session import get_engine, session_scope
from revteam.demo.generator import generate
from revteam.demo.plan import DEMO_PASSWORD
from revteam.leads.flow import actions as flow
from revteam.leads.models import Lead
from revteam.playbook.versions import ensure_default
from revteam.routing.service import NoEligibleRep
from revteam.users.models import User

OUT = Path(__file__).resolve().parents[1] / "docs" / "screenshots"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]


def build_demo(url: str) -> str:
    """The small demo with a few more MQLs routed (qualified leads only: routing a poor fit by hand would
    put a student in the inbox), so a rep's inbox has work; returns that rep's e-mail."""
    engine = get_engine(url)
    upgrade(engine)
    with session_scope(engine) as session:
        ensure_default(session)
    generate(engine, size="small", seed=7, as_of=date.today())
    with session_scope(engine) as session:
        admin = session.scalar(select(User).where(User.role == "admin"))
        offers = []
        waiting = (select(Lead.id).where(Lead.state.in_(("mql", "cultivating")), Lead.is_mql.is_(True))
                   .order_by(Lead.score.desc()).limit(12))
        for lead_id in session.scalars(waiting):
            try:
                offers.append(flow.route_lead(session, lead_id=lead_id, actor=admin, now=utcnow()))
            except NoEligibleRep:
                continue
        busiest = max({o.rep_id for o in offers}, key=lambda rep: sum(o.rep_id == rep for o in offers))
        return session.get(User, busiest).email


def serve(url: str) -> tuple[uvicorn.Server, str]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(url), host="127.0.0.1", port=port, log_level="warning"))
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    return server, f"http://127.0.0.1:{port}"


def shoot(base: str, email: str, path: str, out: Path, browser) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, device_scale_factor=1)
    page = context.new_page()
    page.goto(f"{base}/sign-in")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto(f"{base}{path}")
    page.wait_for_load_state("networkidle")
    page.screenshot(path=str(out), full_page=True)
    context.close()


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{folder}/demo.db"
        rep = build_demo(url)
        server, base = serve(url)
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
                shoot(base, "admin@demo.revteam.dev", "/dashboard", OUT / "dashboard.png", browser)
                shoot(base, rep, "/inbox", OUT / "inbox.png", browser)
                browser.close()
        finally:
            server.should_exit = True
    sys.stdout.write(f"wrote {OUT / 'dashboard.png'} and {OUT / 'inbox.png'} (inbox of {rep})\n")


if __name__ == "__main__":
    main()
