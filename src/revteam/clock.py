"""The app's clock: every API route and page reads the time through it, so a test can set it
(`app.state.clock`) and a served process reads the wall clock."""

from datetime import datetime
from typing import Annotated

from fastapi import Depends, FastAPI, Request

from revteam.db.base import utcnow


def install(app: FastAPI) -> None:
    app.state.clock = utcnow


def now(request: Request) -> datetime:
    return request.app.state.clock()


Now = Annotated[datetime, Depends(now)]
