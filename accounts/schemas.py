import uuid
from datetime import datetime
from typing import Literal

from ninja import Schema
from pydantic import ConfigDict, Field


class CredentialsIn(Schema):
    model_config = ConfigDict(extra="forbid")

    email: str = Field(max_length=254, examples=["ada@example.com"])
    password: str = Field(max_length=1024)


class TokenOut(Schema):
    access_token: str
    token_type: Literal["bearer"] = "bearer"  # noqa: S105 (the scheme name, not a secret)
    expires_in: int = Field(description="Seconds until the token expires")


class MeOut(Schema):
    kind: Literal["user", "guest"]
    id: uuid.UUID = Field(description="The user's or guest identity's public id")
    email: str | None = None
    date_joined: datetime | None = None
