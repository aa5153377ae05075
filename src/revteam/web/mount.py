"""Adds the pages to the API app: session cookies, security headers, static files, routes."""

from fastapi import FastAPI, Request
from starlette.middleware.sessions import SessionMiddleware
from starlette.staticfiles import StaticFiles

from revteam.config import get_settings
from revteam.web import errors
from revteam.web.routes import router
from revteam.web.templating import STATIC_DIR

SESSION_HOURS = 12
# Everything is served from here: no CDN, no inline script, no third-party frame.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)


def install(app: FastAPI) -> None:
    """Serve the web UI from the same process as the API."""
    settings = get_settings()
    app.add_middleware(
        SessionMiddleware, secret_key=settings.secret_key, session_cookie="revteam_session",
        max_age=SESSION_HOURS * 3600, same_site="lax", https_only=settings.public_url.startswith("https"),
    )

    @app.middleware("http")
    async def security_headers(request: Request, call_next):
        response = await call_next(request)
        if not request.url.path.startswith("/api"):
            response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
            response.headers.setdefault("X-Content-Type-Options", "nosniff")
            response.headers.setdefault("Referrer-Policy", "same-origin")
        return response

    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    app.include_router(router)
    errors.install(app)
