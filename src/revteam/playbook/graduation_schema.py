"""The playbook's graduation: when a cultivated lead is sales-qualified and goes to routing."""

from pydantic import Field, ValidationError
from pydantic_core import InitErrorDetails, PydanticCustomError

from revteam.playbook.condition_schema import Condition
from revteam.playbook.strict import Strict

BANT = ["budget", "authority", "need", "timing"]


class Graduation(Strict):
    """Every criterion in `confirmed` confirmed on the lead, every role in `known_roles` held and in
    `engaged_roles` held by an engaged person at its account, and every condition in `when` holds."""

    confirmed: list[str] = Field(default=BANT, min_length=1)  # sql_criteria ids someone confirmed on the lead
    known_roles: list[str] = []  # committee roles somebody at the account holds
    engaged_roles: list[str] = []  # committee roles an engaged person at the account holds
    when: list[Condition] = []  # score thresholds and any other fact, as in tracks

    def role_facts(self) -> set[str]:
        """The committee facts the role requirements read."""
        read = set()
        if self.known_roles:
            read.add("account.missing_roles")
        if self.engaged_roles:
            read.add("account.engaged_roles")
        return read


def _unknown(loc: tuple, names: list[str], allowed: list[str], what: str) -> list[InitErrorDetails]:
    return [InitErrorDetails(type=PydanticCustomError("unknown_name", "not one of {what}: {allowed}",
                                                      {"what": what, "allowed": ", ".join(allowed)}),
                             loc=(*loc, index), input=name)
            for index, name in enumerate(names) if name not in allowed]


def check_graduation(graduation: Graduation, criteria: list[str], roles: list[str]) -> None:
    """Refuse a criterion the playbook's sql_criteria do not define or a role its committee does not have."""
    problems = [*_unknown(("confirmed",), graduation.confirmed, criteria, "sql_criteria ids"),
                *_unknown(("known_roles",), graduation.known_roles, roles, "committee.roles"),
                *_unknown(("engaged_roles",), graduation.engaged_roles, roles, "committee.roles")]
    if problems:
        raise ValidationError.from_exception_data("Graduation", problems)
