"""User shapes for the API and the CLI."""

from pydantic import BaseModel, ConfigDict, EmailStr, Field

from revteam.users.models import Role, SalesRole


class UserIn(BaseModel):
    email: EmailStr
    name: str = Field(min_length=1, max_length=200)
    role: Role
    sales_role: SalesRole | None = None
    team: str | None = None
    pod: str | None = None
    territory: str | None = None
    capacity: int = Field(default=50, ge=0)
    weight: int = Field(default=1, ge=1)
    password: str | None = Field(default=None, min_length=8)


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
