"""The FastAPI application: API routes (token auth on all but /health) and, later, pages."""

import gc

from fastapi import FastAPI

from revteam import __version__, clock
from revteam.api import errors
from revteam.api.routes import capture, users
from revteam.api.routes import revenue
from revteam.api.routes import leads
from revteam.api.routes import accounts
from revteam.api.routes import cultivation
from revteam.api.routes import search
from revteam.api.routes import survey
from revteam.api.routes import comp
from revteam.api.routes import playbook
from revteam.api.routes import scoring
from revteam.api.routes import activities
from revteam.api.routes import outreach
from revteam.api.routes import tasks
from revteam.config import database_url, get_settings
from revteam.db.migrate import require_current
from revteam.db.session import get_engine
from revteam.web import mount as web


# Objects allocated, net, before the cyclic collector's youngest pass (CPython's default is 700).
# A page builds tens of thousands (ORM rows, template output): at 700 the passes ran hundreds of
# times per hundred pages and promoted enough to start a full pass every 15-20 pages, 20-80 ms of
# CPU each and growing with the heap; at 10,000 the collector's CPU fell by 60% and no full pass ran.
YOUNG_OBJECTS_PER_PASS = 10_000


def leave_startup_objects_out_of_gc() -> None:
    """For a long-running server: the objects alive once the app is built (models, routes, templates)
    live as long as the process, so keep them out of the cyclic collector's full passes, which
    otherwise add about 100 ms to every third dashboard request (bench/pages.py); and let a page's
    own short-lived objects go before the collector passes over the young ones."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(YOUNG_OBJECTS_PER_PASS, *gc.get_threshold()[1:])


def create_app(db_url: str | None = None) -> FastAPI:
    """Build the app on one database; refuses to start on a schema that is not current."""
    engine = get_engine(database_url(db_url))
    require_current(engine)
    app = FastAPI(
        title="revteam", version=__version__,
        description="Leads, customers and honest metrics for one revenue team.",
        docs_url=None, redoc_url=None,  # FastAPI's pages load scripts from a CDN: web/routes_docs.py serves /docs
    )
    app.state.engine = engine
    app.state.settings = get_settings()
    clock.install(app)
    errors.install(app)

    @app.get("/health", tags=["health"])
    def health() -> dict[str, str]:
        return {"status": "ok"}

    app.include_router(users.router)
    app.include_router(capture.router)
    app.include_router(capture.forms_router)
    app.include_router(revenue.router)
    app.include_router(leads.router)
    app.include_router(accounts.router)
    app.include_router(cultivation.router)
    app.include_router(search.router)
    app.include_router(survey.router)
    app.include_router(comp.router)
    app.include_router(playbook.router)
    app.include_router(scoring.router)
    app.include_router(activities.router)
    app.include_router(outreach.router)
    app.include_router(tasks.router)
    web.install(app)  # the pages, their session cookies and static files
    return app
