"""Where the domains plug into the layers beneath them: the one module that does.

The event log, the job queue and the storage helpers import no domain (tests/test_layering.py).
What they need from above is registered with them here, and only here:
- every event is stamped with the playbook version in force (playbook/versions.py);
- before a transaction that recorded events commits, the lead milestones of the leads those events
  were about are re-derived (metrics/milestones.py);
- the job runner knows the kinds whose handler modules are named in JOB_HANDLER_MODULES;
- every slice of people landing (leads/intake/land.py, whichever door they came by) is checked
  against the hard bounces kept for addresses nobody had yet (outreach/suppression.py): leads/
  cannot import outreach/, which stands on it.

Every process that touches a database opens its engine with `revteam.db.session.get_engine`: the
API and the pages, every CLI command and the job worker, the demo, the tests and the bench
scripts. get_engine imports this module, so none of them can miss a registration, and Python runs
it once per process; an engine made by hand fails at its first event with a message naming this
module. (Registering in create_app would miss the CLI and the tests; registering in each domain's
own module would leave a reader no single place to find them.)

The domain modules are imported when first needed, not here: a command that only reads (`jobs
list`, `users list`) must not pay for loading every domain at start-up.
"""

import importlib

from sqlalchemy.orm import Session

from revteam.db import arrivals
from revteam.events import projections, service as events
from revteam.jobs import registry


JOB_HANDLER_MODULES = ("revteam.cultivation.jobs", "revteam.leads.flow.jobs", "revteam.notify.service",
                       "revteam.leads.scoring.predictive.jobs", "revteam.outreach.touches")


def _import_job_handlers() -> None:
    for module in JOB_HANDLER_MODULES:
        importlib.import_module(module)  # each registers its handlers when imported


def _version_in_force(session: Session) -> int:
    from revteam.playbook.versions import active_version_id

    return active_version_id(session)


def _refresh_lead_milestones(session: Session, subjects: projections.Subjects) -> None:
    from revteam.metrics.milestones import refresh_touched

    refresh_touched(session, subjects)


def _suppress_bounced_arrivals(session: Session, emails: set[str], now) -> None:
    from revteam.outreach.suppression import apply_address_suppressions

    apply_address_suppressions(session, emails, now=now)


events.stamp_with(_version_in_force)
# A touch or a track step records what went out or where the lead is in its track, never its state, offers or
# opportunities (each recorded by events of their own): alone they change no milestone (a tick's steps and sends).
projections.refresh_before_commit(_refresh_lead_milestones, ignoring=("touch.", "track."))
registry.load_handlers_with(_import_job_handlers)
arrivals.check_with(_suppress_bounced_arrivals)
