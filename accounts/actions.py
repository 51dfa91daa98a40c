"""Things that change accounts. Each owns its transaction."""

import uuid

from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from medbotx import limits

from .models import User
from .signals import guest_became_user

EMAIL_TAKEN = gettext_lazy("Email already registered")


class SignupError(Exception):
    """Signup refused; the message is for the person signing up, `field` the input it is about."""

    def __init__(self, message: str, field: str = "email") -> None:
        super().__init__(message)
        self.field = field


class EmailTaken(SignupError):
    """The address belongs to an account already (in any letter case)."""

    def __init__(self) -> None:
        super().__init__(str(EMAIL_TAKEN))  # in the language of the request that raised it


def _clean_email(raw: str) -> str:
    email = User.objects.normalize_email(raw.strip())
    try:
        validate_email(email)
    except ValidationError:
        raise SignupError(_("Enter a valid email address")) from None
    return email


def check_signup_allowed(request: HttpRequest) -> None:
    verdict = limits.hit("signup-ip", limits.client_ip(request), settings.SIGNUP_PER_IP_PER_HOUR, 3600)
    if not verdict.allowed:
        raise limits.Throttled(
            _("Too many new accounts from here. Try again %(when)s.") % {"when": verdict.retry_text},
            verdict.retry_after,
        )


def check_password_reset_allowed(request: HttpRequest, email: str) -> None:
    """Reset e-mails are limited per client address and per address asked for (limits.Throttled)."""
    ip = limits.client_ip(request)
    per_ip = limits.hit("reset-ip", ip, settings.PASSWORD_RESET_PER_IP_PER_HOUR, 3600)
    per_email = limits.hit("reset-email", email.strip().lower(), settings.PASSWORD_RESET_PER_EMAIL_PER_HOUR, 3600)
    for verdict in (per_ip, per_email):
        if not verdict.allowed:
            raise limits.Throttled(
                _("Too many password reset requests. Try again %(when)s.") % {"when": verdict.retry_text},
                verdict.retry_after,
            )


@transaction.atomic
def sign_up(email: str, password: str, *, guest_id: uuid.UUID | None = None) -> User:
    email = _clean_email(email)
    candidate = User(email=email)
    try:
        validate_password(password, user=candidate)
    except ValidationError as exc:
        raise SignupError(" ".join(exc.messages), "password") from None
    if User.objects.filter(email__iexact=email).exists():
        raise EmailTaken()
    try:
        with transaction.atomic():
            user = User.objects.create_user(email=email, password=password)
    except IntegrityError:  # a concurrent signup with the same address won the race
        raise EmailTaken() from None
    except ValidationError as exc:
        raise SignupError(" ".join(exc.messages), "password") from None
    if guest_id is not None:
        guest_became_user.send(sender=User, user=user, guest_id=guest_id)
    return user


def check_guest_mint_allowed(request: HttpRequest) -> None:
    verdict = limits.hit("guest-ip", limits.client_ip(request), settings.GUEST_MINT_PER_IP_PER_HOUR, 3600)
    if not verdict.allowed:
        raise limits.Throttled(
            _("Too many new guest sessions from here. Try again %(when)s, or create an account.")
            % {"when": verdict.retry_text},
            verdict.retry_after,
        )


def _check_login_allowed(request: HttpRequest, email: str) -> str:
    ip = limits.client_ip(request)
    per_ip = limits.hit("login-ip", ip, settings.LOGIN_PER_IP_PER_MINUTE, 60)
    if not per_ip.allowed:
        raise limits.Throttled(
            _("Too many login attempts from here. Try again %(when)s.") % {"when": per_ip.retry_text},
            per_ip.retry_after,
        )
    key = f"login:{email.strip().lower()}"
    locked = limits.lockout(key)
    if not locked.allowed:
        raise limits.Throttled(
            _("Too many failed attempts for this account. Try again %(when)s.") % {"when": locked.retry_text},
            locked.retry_after,
        )
    return key


def log_in(request: HttpRequest, email: str, password: str, *, guest_id: uuid.UUID | None = None) -> User | None:
    """The active user with these credentials, or None. Runs the hasher either way (no timing oracle).
    Limited per address and per account: after a few failures an account is locked for a growing while
    (limits.Throttled says until when)."""
    key = _check_login_allowed(request, email)
    user = authenticate(request, username=email.strip(), password=password)
    if user is None:
        limits.failed(key, settings.LOGIN_FREE_FAILURES, first_lock_seconds=60, max_lock_seconds=3600)
        return None
    limits.succeeded(key)
    if guest_id is not None:
        with transaction.atomic():
            guest_became_user.send(sender=User, user=user, guest_id=guest_id)
    return user


def confirm_password(request: HttpRequest, user: User, password: str) -> bool:
    """Whether `password` is the user's, for an action that asks for it again (deleting the account).
    The same limits as logging in, counted together with them: per address, and failures lock the account
    for a growing while (limits.Throttled), so a stolen session or token cannot guess the password."""
    key = _check_login_allowed(request, user.email)
    if not user.check_password(password):
        limits.failed(key, settings.LOGIN_FREE_FAILURES, first_lock_seconds=60, max_lock_seconds=3600)
        return False
    limits.succeeded(key)
    return True


def deactivate_users(users: QuerySet[User]) -> int:
    """Deactivate accounts: they can no longer log in and their tokens stop working at once."""
    return users.filter(is_active=True).update(is_active=False)
