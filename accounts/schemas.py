import uuid
from datetime import datetime
from typing import Literal

from django.conf import settings
from ninja import Schema
from pydantic import ConfigDict, Field

from medbotx.fields import NOT_ONLY_DIGITS


class CredentialsIn(Schema):
    model_config = ConfigDict(extra="forbid", strict=True)

    email: str = Field(max_length=254, examples=["ada@example.com"])
    password: str = Field(max_length=1024)


class SignupIn(CredentialsIn):
    """The schema says what sign-up enforces (a valid address; the password's length and that it is not all
    digits); those checks, and the ones a schema cannot say (a common password, one like the address),
    answer 400 with the reasons, as the original API did."""

    email: str = Field(max_length=254, json_schema_extra={"format": "email"})
    password: str = Field(
        max_length=1024,
        json_schema_extra={"minLength": settings.PASSWORD_MIN_LENGTH, "pattern": NOT_ONLY_DIGITS},
        description=f"At least {settings.PASSWORD_MIN_LENGTH} characters, not all digits, not a common "
        "password, not like the email address",
    )


class TokenOut(Schema):
    access_token: str
    token_type: Literal["bearer"] = "bearer"  # noqa: S105 (the scheme name, not a secret)
    expires_in: int = Field(description="Seconds until the token expires")


class MeOut(Schema):
    kind: Literal["user", "guest"]
    id: uuid.UUID = Field(description="The user's or guest identity's public id")
    email: str | None = None
    date_joined: datetime | None = None


class DeletedOut(Schema):
    message: str
