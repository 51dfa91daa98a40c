"""Access tokens: JWT, HS256, with `sub`, `iat` and `exp`.

A user's token carries the user's public UUID in `sub`; a guest token carries
the guest identity's UUID and `"guest": true`.
"""

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import jwt
from asgiref.sync import sync_to_async
from django.conf import settings

from medbotx import statements

from .identity import Identity
from .models import User

ALGORITHM = "HS256"


class InvalidToken(Exception):
    """A token was presented but cannot be accepted. The message is shown to the caller."""


def _encode(sub: str, lifetime: timedelta, **extra: Any) -> str:
    now = datetime.now(UTC)
    claims = {"sub": sub, "iat": now, "exp": now + lifetime, **extra}
    return jwt.encode(claims, settings.JWT_SECRET, algorithm=ALGORITHM)


def user_token_lifetime() -> timedelta:
    return timedelta(minutes=settings.JWT_ACCESS_TOKEN_MINUTES)


def guest_token_lifetime() -> timedelta:
    return timedelta(days=settings.GUEST_TOKEN_DAYS)


def issue_user_token(user: User) -> str:
    return _encode(str(user.public_id), user_token_lifetime())


def issue_guest_token(guest_id: uuid.UUID) -> str:
    return _encode(str(guest_id), guest_token_lifetime(), guest=True)


def _decode(token: str) -> dict:
    """Verified with the current secret, then with each previous one (JWT_PREVIOUS_SECRETS): a secret can be
    rotated without logging everyone out at once. New tokens are always signed with the current secret."""
    secrets = [settings.JWT_SECRET, *settings.JWT_PREVIOUS_SECRETS]
    for i, secret in enumerate(secrets):
        try:
            return jwt.decode(token, secret, algorithms=[ALGORITHM], options={"require": ["sub", "iat", "exp"]})
        except jwt.InvalidSignatureError:
            if i == len(secrets) - 1:
                raise
    raise jwt.InvalidTokenError("no secret")  # unreachable: the current secret is always tried


def _verified_claims(token: str) -> tuple[dict, uuid.UUID]:
    try:
        claims = _decode(token)
    except jwt.ExpiredSignatureError:
        raise InvalidToken("Token has expired; log in again") from None
    except jwt.InvalidTokenError:
        raise InvalidToken("Invalid token") from None

    try:
        subject = uuid.UUID(str(claims["sub"]))
    except ValueError:
        raise InvalidToken("Invalid token") from None
    return claims, subject


def user_by_public_id(public_id: uuid.UUID) -> User | None:
    """User.objects.filter(public_id=...).first(), with its SQL written once: every request with a token
    runs it (see medbotx/statements.py)."""
    where = f"{statements.column(User, 'public_id')} = %s"
    return statements.first(User, where, [statements.db_value(User, "public_id", public_id)])


def _user_identity(user: User | None) -> Identity:
    if user is None or not user.is_active:
        raise InvalidToken("Token is no longer valid; log in again")
    return Identity(user=user)


def identity_from_token(token: str) -> Identity:
    """Verify a token and return who it stands for, or raise InvalidToken."""
    claims, subject = _verified_claims(token)
    if claims.get("guest") is True:
        return Identity(guest_id=subject)
    return _user_identity(user_by_public_id(subject))


async def aidentity_from_token(token: str) -> Identity:
    """identity_from_token for async views: the one query runs on the async ORM."""
    claims, subject = _verified_claims(token)
    if claims.get("guest") is True:
        return Identity(guest_id=subject)
    return _user_identity(await sync_to_async(user_by_public_id)(subject))
