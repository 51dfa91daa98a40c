"""The notice everyone accepts before their first chat: MedBotX is an AI, not a doctor, not for emergencies.

It is versioned (MEDBOTX_NOTICE_VERSION): a new wording asks everyone again. A guest's acceptance lives in
the session; a signed-in person's also on their account, so it follows them to other browsers.
"""

from django.conf import settings
from django.http import HttpRequest

from .models import User

SESSION_KEY = "notice_version"


def has_accepted(request: HttpRequest) -> bool:
    version = settings.MEDBOTX_NOTICE_VERSION
    if request.session.get(SESSION_KEY) == version:
        return True
    return request.user.is_authenticated and request.user.notice_version == version


async def ahas_accepted(request: HttpRequest) -> bool:
    version = settings.MEDBOTX_NOTICE_VERSION
    if await request.session.aget(SESSION_KEY) == version:
        return True
    user = await request.auser()
    return user.is_authenticated and user.notice_version == version


def accept(request: HttpRequest) -> None:
    version = settings.MEDBOTX_NOTICE_VERSION
    request.session[SESSION_KEY] = version
    if request.user.is_authenticated and request.user.notice_version != version:
        request.user.notice_version = version
        request.user.save(update_fields=["notice_version"])


def carry_over(request: HttpRequest, user: User) -> None:
    """At sign-up or log-in: a notice accepted as a guest in this browser counts for the account."""
    version = settings.MEDBOTX_NOTICE_VERSION
    if request.session.get(SESSION_KEY) == version and user.notice_version != version:
        user.notice_version = version
        user.save(update_fields=["notice_version"])
