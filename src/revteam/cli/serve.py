"""`revteam serve`: the API and the web pages from one uvicorn process (or several workers)."""

import os
import secrets
import signal
from typing import Annotated

import typer

from revteam.cli.common import DbOption, console, open_database


def app_from_environment():
    """The app each uvicorn worker builds (the database URL travels in REVTEAM_DATABASE_URL)."""
    from revteam.api.app import create_app, leave_startup_objects_out_of_gc
    from revteam.config import get_settings

    get_settings.cache_clear()
    app = create_app()
    leave_startup_objects_out_of_gc()
    return app


JOB_INTERVAL = 5.0  # seconds the job worker waits when nothing is due


def _ensure_secret_key() -> None:
    """Never sign session cookies with the public default: without a key, make one for this run."""
    from revteam.config import UNSAFE_SECRET_KEY, get_settings

    if get_settings().secret_key != UNSAFE_SECRET_KEY:
        return
    os.environ["REVTEAM_SECRET_KEY"] = secrets.token_urlsafe(32)  # inherited by the worker processes
    get_settings.cache_clear()
    console.print("REVTEAM_SECRET_KEY is not set: using a random key, so sign-ins end when this server stops and "
                  "other `revteam serve` processes refuse them; give every process on one database the same key")


def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    workers: Annotated[int, typer.Option(min=1, help="Worker processes (several may share one PostgreSQL).")] = 1,
    job_worker: Annotated[bool, typer.Option("--worker", help="Also run due jobs (SLAs, sweeps...) in this process.")]
    = False,
    db: DbOption = None,
) -> None:
    """Serve the web UI and the REST API (forwarded headers are believed only from REVTEAM_TRUSTED_PROXIES)."""
    from revteam.config import database_url

    _ensure_secret_key()
    url = database_url(db)
    engine = open_database(url)  # fail here, with one clear line, on a missing or old schema
    shown = engine.url.render_as_string(hide_password=True)
    console.print(f"revteam on http://{host}:{port} ({workers} worker{'s' if workers > 1 else ''}, {shown})")
    if not job_worker:
        _run_server(host, port, workers, url)
        return
    from revteam.cli.jobs import worker_id
    from revteam.jobs.runner import background_worker

    console.print(f"due jobs run beside the server every {JOB_INTERVAL:g} s")
    # uvicorn re-raises the SIGTERM it shut down on; by default that would kill the process before
    # the worker finishes its job in hand, so here it only ends the server (then the worker stops).
    previous = signal.signal(signal.SIGTERM, lambda *_: None)
    try:
        with background_worker(engine, worker_id=worker_id(), interval=JOB_INTERVAL):
            _run_server(host, port, workers, url)
    finally:
        signal.signal(signal.SIGTERM, previous)


def _run_server(host: str, port: int, workers: int, url: str) -> None:
    import uvicorn

    from revteam.api.app import create_app, leave_startup_objects_out_of_gc

    if workers == 1:
        app = create_app(url)
        leave_startup_objects_out_of_gc()
        uvicorn.run(app, host=host, port=port, log_level="info", proxy_headers=False)
        return
    os.environ["REVTEAM_DATABASE_URL"] = url  # workers are new processes: hand them the URL
    uvicorn.run("revteam.cli.serve:app_from_environment", factory=True, host=host, port=port,
                workers=workers, log_level="info", proxy_headers=False)
