"""User shapes for the API and the CLI."""

from pydantic import BaseModel, ConfigDict, EmailStr, Field

from revteam.inputs import Count, Line
from revteam.users.models import Role, SalesRole


class UserIn(BaseModel):
    email: EmailStr
    name: Line = Field(min_length=1, max_length=200)
    role: Role
    sales_role: SalesRole | None = None
    team: Line | None = Field(default=None, max_length=80)
    pod: Line | None = Field(default=None, max_length=80)
    territory: Line | None = Field(default=None, max_length=80)
    capacity: Count = 50
    weight: Count = Field(default=1, ge=1)
    password: Line | None = Field(default=None, min_length=8, max_length=1000)


class UserOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    email: str
    name: str
    role: str
    sales_role: str | None
    territory: str | None
    capacity: int
    weight: int
    active: bool
    available: bool
    team: str | None = None
    pod: str | None = None
