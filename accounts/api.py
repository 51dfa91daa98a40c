import uuid
from typing import Any

from django.http import JsonResponse
from ninja import Router, Schema
from ninja.errors import HttpError
from pydantic import ConfigDict, Field

from . import rights
from .actions import (
    EmailTaken,
    SignupError,
    check_guest_mint_allowed,
    check_signup_allowed,
    confirm_password,
    log_in,
    sign_up,
)
from .auth import ApiRequest
from .identity import Identity
from .models import User
from .schemas import CredentialsIn, DeletedOut, MeOut, SignupIn, TokenOut
from .tokens import guest_token_lifetime, issue_guest_token, issue_user_token, user_token_lifetime

router = Router(tags=["auth"])


class LoginFailed(HttpError):
    """401 with `WWW-Authenticate: Bearer`, as the original API answered."""

    def __init__(self) -> None:
        super().__init__(401, "Incorrect email or password")


def _user_token(user: User) -> dict[str, Any]:
    return {
        "access_token": issue_user_token(user),
        "token_type": "bearer",
        "expires_in": int(user_token_lifetime().total_seconds()),
    }


@router.post("/signup", response=TokenOut, summary="Create an account and get a token")
def signup(request: ApiRequest, payload: SignupIn) -> dict[str, Any]:
    """Sending a guest token along moves that guest's threads into the new account."""
    identity: Identity = request.auth
    check_signup_allowed(request)
    try:
        user = sign_up(payload.email, payload.password, guest_id=identity.guest_id)
    except SignupError as exc:
        # 409 for an address already registered (the request is valid; the state refuses it), 400 for the
        # rest, as the original. The original answered 400 for both; its client shows `detail` for either.
        raise HttpError(409 if isinstance(exc, EmailTaken) else 400, str(exc)) from None
    return _user_token(user)


@router.post("/login", response=TokenOut, summary="Log in with email and password")
def login(request: ApiRequest, payload: CredentialsIn) -> dict[str, Any]:
    """Sending a guest token along moves that guest's threads into the account."""
    identity: Identity = request.auth
    user = log_in(request, payload.email, payload.password, guest_id=identity.guest_id)
    if user is None:
        raise LoginFailed()
    return _user_token(user)


@router.post("/guest", response=TokenOut, summary="Get a guest token")
def guest(request: ApiRequest) -> dict[str, Any]:
    """A guest identity lets a person without an account list their threads.
    Called with a guest token, it renews that same identity."""
    identity: Identity = request.auth
    if identity.user is not None:
        raise HttpError(409, "You are logged in; a guest token is only for callers without an account")
    if identity.guest_id is None:  # a new identity; renewing one is free
        check_guest_mint_allowed(request)
    guest_id = identity.guest_id or uuid.uuid4()
    return {
        "access_token": issue_guest_token(guest_id),
        "token_type": "bearer",
        "expires_in": int(guest_token_lifetime().total_seconds()),
    }


@router.get("/me", response=MeOut, summary="Who the token belongs to")
def me(request: ApiRequest) -> dict[str, Any]:
    identity: Identity = request.auth
    if identity.user is not None:
        user = identity.user
        return {"kind": "user", "id": user.public_id, "email": user.email, "date_joined": user.date_joined}
    if identity.guest_id is not None:
        return {"kind": "guest", "id": identity.guest_id}
    raise HttpError(401, "Not authenticated: send 'Authorization: Bearer <token>'")


me_router = Router(tags=["account"])


class PasswordIn(Schema):
    model_config = ConfigDict(extra="forbid", strict=True)

    password: str = Field(description="Your password, to confirm", max_length=256)


def _user_or_401(identity: Identity) -> User:
    if identity.user is None:
        raise HttpError(401, "Log in to use your account's data")
    return identity.user


@me_router.get("/export", summary="Download all my data (JSON)", response={200: dict})
def export_my_data(request: ApiRequest) -> JsonResponse:
    """The account, every thread and message (with sources and safety answers), and the safety events."""
    user = _user_or_401(request.auth)
    response = JsonResponse(rights.export_user_data(user), json_dumps_params={"ensure_ascii": False})
    response["Content-Disposition"] = 'attachment; filename="medbotx-data.json"'
    return response


@me_router.post("/delete", summary="Delete my account and all my data, now", response={200: DeletedOut})
def delete_my_account(request: ApiRequest, payload: PasswordIn) -> dict[str, str]:
    user = _user_or_401(request.auth)
    if not confirm_password(request, user, payload.password):
        raise HttpError(403, "Incorrect password; nothing was deleted")
    removed = rights.delete_account(user)
    return {"message": f"Your account and {removed.get('threads', 0)} thread(s) were deleted"}
