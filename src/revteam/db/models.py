"""Imports every table so the metadata (and Alembic) sees the whole schema."""

from revteam.accounts.models import Account, Person  # noqa: F401
from revteam.comp.models import CompDispute, CompPeriodClose, CompStatement  # noqa: F401
from revteam.cultivation.models import TrackEnrollment  # noqa: F401
from revteam.db.base import Base  # noqa: F401
from revteam.events.models import Event  # noqa: F401
from revteam.jobs.models import Job  # noqa: F401
from revteam.leads.models import (  # noqa: F401
    AccountSuggestion, Activity, Campaign, Graduation, ImportChunk, Lead, LeadCriterion, WebForm,
)
from revteam.leads.intake.form_posts import FormPost  # noqa: F401
from revteam.leads.scoring.predictive.models import LeadPrediction, PredictiveModel  # noqa: F401
from revteam.playbook.models import PlaybookVersion  # noqa: F401
from revteam.revenue.models import (  # noqa: F401
    AccountMrrDay, Handoff, HealthCheck, Opportunity, Promise, Subscription, SubscriptionChange, SubscriptionDay,
)
from revteam.routing.models import Offer, Rotation  # noqa: F401
from revteam.survey.models import SurveyInvitation, SurveyResponse, SurveyRound  # noqa: F401
from revteam.outreach.models import AddressSuppression, OwnerTask, Suppression  # noqa: F401
from revteam.metrics import indexes as _metric_indexes  # noqa: F401,E402 - declares the metrics' indexes
from revteam.metrics.milestones import LeadMilestones  # noqa: F401
from revteam.metrics.views import MetricsView  # noqa: F401
from revteam.users.models import ApiToken, Pod, Team, User  # noqa: F401
from revteam.users.signin.models import SignInFailure, WebSession  # noqa: F401
