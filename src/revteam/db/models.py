"""Imports every table so the metadata (and Alembic) sees the whole schema."""

from revteam.accounts.models import Account, Person  # noqa: F401
from revteam.db.base import Base  # noqa: F401
from revteam.events.models import Event  # noqa: F401
from revteam.leads.models import AccountSuggestion, Activity, Campaign, ImportChunk, Lead  # noqa: F401
from revteam.playbook.models import PlaybookVersion  # noqa: F401
from revteam.users.models import ApiToken, Pod, Team, User  # noqa: F401
