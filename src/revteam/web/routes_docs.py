"""The interactive API docs: Swagger UI from the vendored files, reading the app's own OpenAPI document."""

from fastapi import APIRouter, Request
from starlette.responses import Response

from revteam.web.templating import render

router = APIRouter()


@router.get("/docs")
def api_docs(request: Request) -> Response:
    return render(request, "api_docs.html", {"openapi_url": request.app.openapi_url})
