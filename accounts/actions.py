"""Things that change accounts. Each owns its transaction."""

import uuid

from django.contrib.auth import authenticate
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.http import HttpRequest

from .models import User
from .signals import guest_became_user

EMAIL_TAKEN = "Email already registered"


class SignupError(Exception):
    """Signup refused; the message is for the person signing up."""


def _clean_email(raw: str) -> str:
    email = User.objects.normalize_email(raw.strip())
    try:
        validate_email(email)
    except ValidationError:
        raise SignupError("Enter a valid email address") from None
    return email


@transaction.atomic
def sign_up(email: str, password: str, *, guest_id: uuid.UUID | None = None) -> User:
    email = _clean_email(email)
    candidate = User(email=email)
    try:
        validate_password(password, user=candidate)
    except ValidationError as exc:
        raise SignupError(" ".join(exc.messages)) from None
    if User.objects.filter(email__iexact=email).exists():
        raise SignupError(EMAIL_TAKEN)
    try:
        with transaction.atomic():
            user = User.objects.create_user(email=email, password=password)
    except IntegrityError:  # a concurrent signup with the same address won the race
        raise SignupError(EMAIL_TAKEN) from None
    except ValidationError as exc:
        raise SignupError(" ".join(exc.messages)) from None
    if guest_id is not None:
        guest_became_user.send(sender=User, user=user, guest_id=guest_id)
    return user


def log_in(request: HttpRequest, email: str, password: str, *, guest_id: uuid.UUID | None = None) -> User | None:
    """The active user with these credentials, or None. Runs the hasher either way (no timing oracle)."""
    user = authenticate(request, username=email.strip(), password=password)
    if user is not None and guest_id is not None:
        with transaction.atomic():
            guest_became_user.send(sender=User, user=user, guest_id=guest_id)
    return user


def deactivate_users(users) -> int:
    """Deactivate accounts: they can no longer log in and their tokens stop working at once."""
    return users.filter(is_active=True).update(is_active=False)
