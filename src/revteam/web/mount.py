"""Adds the pages to the API app: session cookies, trusted proxies, security headers, static files, routes."""

from fastapi import FastAPI, Request
from starlette.middleware.sessions import SessionMiddleware
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Receive, Scope, Send
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from revteam.config import Settings, get_settings
from revteam.web import errors
from revteam.web.figures_cache import FiguresCache
from revteam.web.routes import router
from revteam.web.routes_outreach import public_router as unsubscribe_pages
from revteam.web.templating import STATIC_DIR

# Everything is served from here: no CDN, no inline script, no third-party frame.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)
HSTS = "max-age=31536000; includeSubDomains"


def _over_https(scope: Scope, settings: Settings) -> bool:
    """Served over https: the request's own scheme (a trusted proxy's X-Forwarded-Proto applied) or the public URL."""
    return scope.get("scheme") == "https" or settings.public_url_is_https


class SessionCookies:
    """Starlette's signed session cookie, marked Secure whenever the request came over https."""

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        options = {"secret_key": settings.secret_key, "session_cookie": "revteam_session",
                   "max_age": settings.session_hours * 3600, "same_site": "lax"}
        self.settings = settings
        self.plain = SessionMiddleware(app, https_only=False, **options)
        self.secure = SessionMiddleware(app, https_only=True, **options)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        chosen = self.secure if _over_https(scope, self.settings) else self.plain
        await chosen(scope, receive, send)


def install(app: FastAPI) -> None:
    """Serve the web UI from the same process as the API."""
    settings = get_settings()
    app.state.figures = FiguresCache()
    errors.install_fault_answers(app)
    app.add_middleware(SessionCookies, settings=settings)

    @app.middleware("http")
    async def security_headers(request: Request, call_next):
        response = await call_next(request)
        if not request.url.path.startswith("/static/"):
            response.headers["Cache-Control"] = "no-store"  # signed-in pages and API answers stay out of caches
        if _over_https(request.scope, settings):
            response.headers.setdefault("Strict-Transport-Security", HSTS)
        if not request.url.path.startswith("/api"):
            response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
            response.headers.setdefault("X-Content-Type-Options", "nosniff")
            response.headers.setdefault("Referrer-Policy", "same-origin")
        return response

    # Outermost, so every layer below sees the client and scheme a trusted proxy reported, and only theirs.
    app.add_middleware(ProxyHeadersMiddleware, trusted_hosts=settings.trusted_proxies)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    app.include_router(router)
    app.include_router(unsubscribe_pages)
    errors.install(app)
