"""The facts a playbook's conditions may read: the one list of their names, kinds and meanings.

The validator refuses a condition on any other name (it would never match), and
`revteam.leads.scoring.facts` builds exactly these for every reader: fit scoring, routing and
cultivation tracks.
"""

from dataclasses import dataclass
from typing import Literal


@dataclass(frozen=True, slots=True)
class Fact:
    kind: Literal["text", "number", "yes/no"]
    meaning: str
    score: bool = False  # a score the fit rules compute, so fit rules cannot read it
    stored: bool = False  # read from stored records only (the committee), so fit rules cannot read it either


FACTS: dict[str, Fact] = {
    "lead.country": Fact("text", "ISO country code: the person's, else the account's"),
    "lead.source": Fact("text", "where the lead came from (webinar, list_import...)"),
    "lead.campaign": Fact("text", "the name of the campaign that brought the lead"),
    "lead.product_interest": Fact("text", "the product the lead asked about"),
    "lead.fit_score": Fact("number", "the lead's stored fit score", score=True),
    "lead.engagement_score": Fact("number", "the lead's stored engagement score", score=True),
    "lead.score": Fact("number", "the lead's stored total score (fit + engagement)", score=True),
    "lead.predicted": Fact("number", "the latest predictive model's probability (0 to 1) that the lead is won; "
                                     "empty before a model is trained", score=True),
    "lead.confirmed_criteria": Fact("text", "the SQL criteria confirmed on the lead since it last graduated, "
                                    "as 'authority, budget'",
                                    stored=True),
    "person.title": Fact("text", "the person's job title"),
    "person.free_email": Fact("yes/no", "the person's e-mail is at a free mail provider (gmail...)"),
    "person.committee_role": Fact("text", "the person's confirmed buying-committee role (playbook committee.roles)"),
    "account.name": Fact("text", "the matched account's name"),
    "account.domain": Fact("text", "the matched account's web domain"),
    "account.employees": Fact("number", "the account's head count (at intake, the row's when no account)"),
    "account.industry": Fact("text", "the account's industry (at intake, the row's when the account has none)"),
    "account.country": Fact("text", "the account's ISO country code"),
    "account.owner": Fact("text", "the e-mail of the account's owner"),
    "account.tier": Fact("text", "strategic, named, standard..."),
    "account.is_competitor": Fact("yes/no", "the account is a competitor"),
    "account.missing_roles": Fact("text", "committee roles nobody at the account holds, as 'economic_buyer, user'",
                                  stored=True),
    "account.engaged_roles": Fact("text", "committee roles held by an engaged person, as 'champion, user'",
                                  stored=True),
    "account.engagement_score": Fact("number", "the account's people's decayed engagement added up", stored=True),
}
SCORE_FACTS: frozenset[str] = frozenset(name for name, fact in FACTS.items() if fact.score)
STORED_FACTS: frozenset[str] = frozenset(name for name, fact in FACTS.items() if fact.stored)
