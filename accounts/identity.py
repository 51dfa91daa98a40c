"""Who is calling: a user, a guest, or nobody at all.

Threads belong to a user or to a guest identity. A guest identity is a random
UUID carried in a guest token (API) or in the session (pages); an anonymous
caller has neither.
"""

import uuid
from dataclasses import dataclass

from django.http import HttpRequest

from .models import User


@dataclass(frozen=True)
class Identity:
    user: User | None = None
    guest_id: uuid.UUID | None = None

    @property
    def kind(self) -> str:
        if self.user is not None:
            return "user"
        if self.guest_id is not None:
            return "guest"
        return "anonymous"

    @property
    def is_anonymous(self) -> bool:
        return self.user is None and self.guest_id is None


ANONYMOUS = Identity()


SESSION_GUEST_KEY = "guest_id"


def _guest_from_session(value: object) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value)) if value else None
    except ValueError:
        return None


def identity_for_request(request: HttpRequest) -> Identity:
    """The caller of a page: the signed-in user, or the guest identity kept in the session."""
    if request.user.is_authenticated:
        return Identity(user=request.user)
    return Identity(guest_id=_guest_from_session(request.session.get(SESSION_GUEST_KEY)))


async def aidentity_for_request(request: HttpRequest) -> Identity:
    """The same, from an async view (the session and the user are loaded without blocking)."""
    user = await request.auser()
    if user.is_authenticated:
        return Identity(user=user)
    return Identity(guest_id=_guest_from_session(await request.session.aget(SESSION_GUEST_KEY)))


def start_guest_session(request: HttpRequest) -> uuid.UUID:
    """Give this browser a guest identity (kept if it has one already)."""
    current = _guest_from_session(request.session.get(SESSION_GUEST_KEY))
    if current is None:
        current = uuid.uuid4()
        request.session[SESSION_GUEST_KEY] = str(current)
    return current
