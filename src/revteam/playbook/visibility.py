"""The playbook's `visibility:` section: which leads each role sees, whose work it may act on, and which
actions each role takes. The leads domain (`leads/access.py`) turns it into SQL and checks."""

from typing import Literal

from pydantic import BaseModel, ConfigDict, model_validator

RoleName = Literal["admin", "marketing", "sales", "success", "manager"]
ROLES: tuple[str, ...] = RoleName.__args__
# own: the user's own leads (owned by or ever offered to them); team / pod: those of any member of
# the user's team / pod; unrouted: leads nobody owns and nobody was ever offered (the routing queue).
Scope = Literal["own", "team", "pod", "unrouted", "all"]
# route and evaluate move a lead between reps; work is what the rep does with it (accept, reject,
# touch, hand off, dispose, opportunities); customer_write is health and promises.
Action = Literal["route", "evaluate", "work", "customer_write"]
ACTIONS: tuple[str, ...] = Action.__args__


class Visibility(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    see: dict[RoleName, list[Scope]] = {
        "admin": ["all"], "marketing": ["all"], "success": ["all"],
        "manager": ["team", "pod", "unrouted"], "sales": ["own"],
    }
    act: dict[RoleName, list[Scope]] = {
        "admin": ["all"], "marketing": ["all"], "success": [],
        "manager": ["team", "pod", "unrouted"], "sales": ["own"],
    }
    actions: dict[Action, list[RoleName]] = {
        "route": ["admin", "marketing", "manager"],
        "evaluate": ["admin", "marketing", "manager"],
        "work": ["admin", "manager", "sales"],
        "customer_write": ["admin", "manager", "success"],
    }

    @model_validator(mode="after")
    def _every_role_and_action_said(self):
        for section, names, known in (("see", self.see, ROLES), ("act", self.act, ROLES),
                                      ("actions", self.actions, ACTIONS)):
            missing = [name for name in known if name not in names]
            if missing:
                raise ValueError(f"visibility.{section} must name every one of {', '.join(known)}; "
                                 f"missing: {', '.join(missing)}")
        return self
