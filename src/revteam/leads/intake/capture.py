"""Capturing leads one at a time or in small batches (API, web forms), through the same intake."""

import uuid

from sqlalchemy.orm import Session

from revteam.accounts.matching import AccountIndex
from revteam.db.base import utcnow
from revteam.db.locks import hold_intake_lock
from revteam.leads.intake.formats import CanonicalRow, row_from_fields
from revteam.leads.intake.land import IntakeContext, IntakeResult, land_rows
from revteam.leads.schemas import LeadIn

API_TOUCH = "api_capture"
FORM_TOUCH = "form_submit"


def capture(session: Session, leads: list[LeadIn], *, actor: str, touch_type: str = API_TOUCH) -> IntakeResult:
    """Normalize, dedupe, match and score leads in the caller's transaction; item N is `line` N."""
    rows = [row_from_fields(lead.model_dump(), line=index) for index, lead in enumerate(leads, start=1)]
    good = [row for row in rows if isinstance(row, CanonicalRow)]
    hold_intake_lock(session)
    accounts = AccountIndex.load_for(session, domains={row.domain for row in good if row.domain},
                                     names={row.company_normalized for row in good if not row.domain})
    context = IntakeContext(actor=actor, batch=f"api-{uuid.uuid4().hex[:12]}", now=utcnow(), touch_type=touch_type,
                            accounts=accounts)
    return land_rows(session, rows, context)
