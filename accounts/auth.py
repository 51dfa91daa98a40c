"""django-ninja authentication: an optional bearer token.

No Authorization header means an anonymous caller (the original MedBotX let
anyone create a thread and chat). A header that is present but wrong is never
silently ignored: it gets 401, so a client learns its token went bad.
"""

from django.http import HttpRequest
from ninja.security import HttpBearer

from .identity import ANONYMOUS, Identity
from .tokens import InvalidToken, aidentity_from_token, identity_from_token


def bearer_token(request: HttpRequest) -> str | None:
    """The token in `Authorization: Bearer <token>`; None without the header; InvalidToken if malformed."""
    header = request.headers.get("Authorization", "").strip()
    if not header:
        return None
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise InvalidToken("Authorization header must be 'Bearer <token>'")
    return token.strip()


class ApiRequest(HttpRequest):
    """The request django-ninja hands an API view, for type checkers: an HttpRequest whose `auth` holds what
    the operation's authenticator returned (ninja sets it on the request; nothing makes this class)."""

    auth: Identity


class OptionalBearer(HttpBearer):
    def __call__(self, request: HttpRequest) -> Identity:
        token = bearer_token(request)
        return ANONYMOUS if token is None else self.authenticate(request, token)

    def authenticate(self, request: HttpRequest, token: str) -> Identity:
        return identity_from_token(token)


class AsyncOptionalBearer(OptionalBearer):
    """The same rules for async views, without a thread hop."""

    async def __call__(self, request: HttpRequest) -> Identity:  # type: ignore[override]  # ninja awaits it
        token = bearer_token(request)
        return ANONYMOUS if token is None else await aidentity_from_token(token)


optional_bearer = OptionalBearer()
async_optional_bearer = AsyncOptionalBearer()
