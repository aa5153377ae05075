"""Counting what a list selects, all of it or only up to a cap.

A search's group on the search page says how many match, exactly up to a cap and "more than" beyond
it: counting stops at the first row past the cap, so a common last name (thousands of people, each
checked against what the viewer may see) costs what a thousand rows cost. The list the figure links
to counts all of its rows."""

from collections.abc import Sequence

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session


def count_rows(session: Session, model, where: Sequence[ColumnElement[bool]], up_to: int | None = None) -> int:
    """How many rows of `model` `where` selects; with `up_to`, at most `up_to` + 1 (past it: "more than")."""
    if up_to is None:
        return session.scalar(select(func.count()).select_from(model).where(*where))
    first = select(model.id).where(*where).limit(up_to + 1).subquery()
    return session.scalar(select(func.count()).select_from(first))
