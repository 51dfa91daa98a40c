"""django-ninja authentication: an optional bearer token.

No Authorization header means an anonymous caller (the original MedBotX let
anyone create a thread and chat). A header that is present but wrong is never
silently ignored: it gets 401, so a client learns its token went bad.
"""

from django.http import HttpRequest
from ninja.security import HttpBearer

from .identity import ANONYMOUS, Identity
from .tokens import InvalidToken, identity_from_token


class OptionalBearer(HttpBearer):
    def __call__(self, request: HttpRequest) -> Identity:
        header = request.headers.get("Authorization", "")
        if not header.strip():
            return ANONYMOUS
        scheme, _, token = header.strip().partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise InvalidToken("Authorization header must be 'Bearer <token>'")
        return self.authenticate(request, token.strip())

    def authenticate(self, request: HttpRequest, token: str) -> Identity:
        return identity_from_token(token)


optional_bearer = OptionalBearer()
