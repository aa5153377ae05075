"""All page routers in one: every unsafe request passes the CSRF check."""

from fastapi import APIRouter, Depends

from revteam.web import (
    routes_admin,
    routes_auth,
    routes_comp,
    routes_cultivation,
    routes_customers,
    routes_dashboard,
    routes_docs,
    routes_inbox,
    routes_leads,
    routes_offers,
    routes_outreach,
    routes_playbook,
    routes_scoring,
    routes_search,
    routes_survey,
    routes_tasks,
    routes_work,
)
from revteam.web.csrf import require_csrf

router = APIRouter(dependencies=[Depends(require_csrf)], include_in_schema=False)
PAGES = (
    routes_auth,
    routes_inbox,
    routes_cultivation,
    routes_dashboard,
    routes_work,
    routes_leads,
    routes_search,
    routes_customers,
    routes_offers,
    routes_playbook,
    routes_survey,
    routes_comp,
    routes_scoring,
    routes_admin,
    routes_docs,
    routes_outreach,
    routes_tasks,
)
for page in PAGES:
    router.include_router(page.router)
