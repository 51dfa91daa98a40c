"""The pages' language as a person chose it: a cookie for the browser (read by the LocaleMiddleware on every
request, with no database read), and the account's `language` for the person, restored on login."""

from django.conf import settings
from django.http import HttpResponse

from .models import User


def remember(response: HttpResponse, code: str) -> None:
    """The browser keeps `code` as its language for the pages (Django's language cookie and its settings)."""
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        code,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,  # type: ignore[arg-type]  # "Lax" (settings.py)
    )


def keep_on_account(user: User, code: str) -> None:
    if code in dict(settings.LANGUAGES) and user.language != code:
        user.language = code
        User.objects.filter(pk=user.pk).update(language=code)
