"""Keep every error under /api/ in the API's shape: JSON with a string `detail`.

django-ninja answers its own errors as JSON, but some responses are made before
or around it: an unknown route, a method the route does not take, a CSRF or
host failure, a server error. This middleware rewrites those into
`{"detail": "..."}` with the same status and headers, so an API client never
has to parse HTML.
"""

from collections.abc import Awaitable, Callable
from http import HTTPStatus
from typing import Any

from asgiref.sync import iscoroutinefunction, markcoroutinefunction, sync_to_async
from django.conf import settings
from django.contrib.auth import middleware as auth_middleware
from django.contrib.messages import middleware as messages_middleware
from django.contrib.sessions import middleware as sessions_middleware
from django.core.handlers.asgi import ASGIHandler
from django.http import HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.middleware import clickjacking, common, csp, csrf, locale, security
from django.utils import translation
from django.utils.decorators import sync_and_async_middleware
from django.utils.deprecation import MiddlewareMixin

_KEPT_HEADERS = ("Allow", "WWW-Authenticate", "Retry-After", "Vary")


def _detail_for(request: HttpRequest, response: HttpResponse) -> str:
    status = response.status_code
    if status == 404:
        return f"Not found: {request.method} {request.path}"
    if status == 405:
        allowed = response.headers.get("Allow", "")
        return f"Method {request.method} is not allowed here" + (f"; use {allowed}" if allowed else "")
    if status == 500:
        return "Internal server error: the request could not be completed. Please try again."
    try:
        phrase = HTTPStatus(status).phrase
    except ValueError:
        phrase = "Error"
    return f"{phrase}"


def _needs_rewrite(request: HttpRequest, response: HttpResponse) -> bool:
    if not request.path.startswith("/api/") or response.status_code < 400:
        return False
    if getattr(response, "streaming", False):
        return False
    return not response.headers.get("Content-Type", "").startswith("application/json")


def _rewrite(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    new = JsonResponse({"detail": _detail_for(request, response)}, status=response.status_code)
    for name in _KEPT_HEADERS:
        if name in response.headers:
            new.headers[name] = response.headers[name]
    return new


@sync_and_async_middleware
def api_errors_as_json(
    get_response: Callable[[HttpRequest], Any],
) -> Callable[[HttpRequest], HttpResponse | Awaitable[HttpResponse]]:
    if iscoroutinefunction(get_response):

        async def amiddleware(request: HttpRequest) -> HttpResponse:
            response = await get_response(request)
            return _rewrite(request, response) if _needs_rewrite(request, response) else response

        return markcoroutinefunction(amiddleware)

    def middleware(request: HttpRequest) -> HttpResponse:
        response = get_response(request)
        return _rewrite(request, response) if _needs_rewrite(request, response) else response

    return middleware


# --- Django's own middlewares, without a thread hop per hook ------------------------------------------
#
# Under ASGI, Django runs each hook of a MiddlewareMixin middleware (process_request, process_view,
# process_response) through sync_to_async: a trip to the sync thread and back, several per middleware
# for the stack in settings.MIDDLEWARE, a large part of a short request's CPU (docs/benchmarks.md). These
# subclasses call the hooks in the event loop instead; medbotx/asgi.py puts them in place of Django's
# (INLINE below) when it builds the server's middleware stack. That is safe only for hooks that never block: the
# ones below only read and set headers and cookies, except where `response_needs_thread` says otherwise
# (a session or messages that must be saved), and then the hook goes to the sync thread as before. Should
# one of them touch the database in the event loop after all, Django raises SynchronousOnlyOperation: a
# loud failure, which the test suite would show.


class InlineHooks(MiddlewareMixin):
    """Mixed into a MiddlewareMixin middleware: in async mode, its hooks run in the event loop."""

    process_view: Callable[..., Any]  # when the middleware mixed with has one

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase | Awaitable[HttpResponseBase]]) -> None:
        super().__init__(get_response)
        if self.async_mode and hasattr(self, "process_view"):
            blocking = self.process_view

            async def process_view(
                request: HttpRequest,
                view_func: Callable[..., Any],
                view_args: tuple[Any, ...],
                view_kwargs: dict[str, Any],
            ) -> HttpResponseBase | None:
                return blocking(request, view_func, view_args, view_kwargs)

            self.process_view = process_view  # Django adapts a plain method with a thread hop; not this

    def response_needs_thread(self, request: HttpRequest, response: HttpResponseBase) -> bool:
        return False

    async def __acall__(self, request: HttpRequest) -> HttpResponseBase:
        response = None
        if hasattr(self, "process_request"):
            response = self.process_request(request)
        response = response or await self.get_response(request)  # type: ignore[misc]  # async mode: awaitable
        if hasattr(self, "process_response"):
            if self.response_needs_thread(request, response):
                response = await sync_to_async(self.process_response, thread_sensitive=True)(request, response)
            else:
                response = self.process_response(request, response)
        return response


class SecurityMiddleware(InlineHooks, security.SecurityMiddleware):
    pass


class ContentSecurityPolicyMiddleware(InlineHooks, csp.ContentSecurityPolicyMiddleware):
    pass


class CommonMiddleware(InlineHooks, common.CommonMiddleware):
    pass


class XFrameOptionsMiddleware(InlineHooks, clickjacking.XFrameOptionsMiddleware):
    pass


class AuthenticationMiddleware(InlineHooks, auth_middleware.AuthenticationMiddleware):
    """Only sets a lazy request.user (and request.auser): the user is read when a view asks."""


class CsrfViewMiddleware(InlineHooks, csrf.CsrfViewMiddleware):
    """The token lives in a cookie (settings leave CSRF_USE_SESSIONS off): no storage is read or written.
    The body a POST's token may be in has been read already (Django's ASGI handler reads it first)."""


class SessionMiddleware(InlineHooks, sessions_middleware.SessionMiddleware):
    """The session is read lazily (by a view, in the sync thread); saving it goes to the sync thread."""

    def response_needs_thread(self, request: HttpRequest, response: HttpResponseBase) -> bool:
        session = getattr(request, "session", None)
        return session is not None and (session.modified or settings.SESSION_SAVE_EVERY_REQUEST)


class MessageMiddleware(InlineHooks, messages_middleware.MessageMiddleware):
    """Messages that were read or added are stored, which may read the session: then in the sync thread."""

    def response_needs_thread(self, request: HttpRequest, response: HttpResponseBase) -> bool:
        storage = getattr(request, "_messages", None)
        return storage is not None and (storage.used or storage.added_new)


class LocaleMiddleware(InlineHooks, locale.LocaleMiddleware):
    """Django's: the pages' language from the person's choice (a cookie) or the browser's Accept-Language,
    read from headers only (no session, no database), so its hooks run in the event loop. The API is left
    out: it answers in English whatever the request says, since its error strings are part of its contract
    (settings.MIDDLEWARE names this class, not Django's, so the test client runs the same rule)."""

    def process_request(self, request: HttpRequest) -> None:
        if request.path.startswith("/api/"):
            translation.activate(settings.LANGUAGE_CODE)
            request.LANGUAGE_CODE = settings.LANGUAGE_CODE
            return
        super().process_request(request)

    def process_response(self, request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
        if request.path.startswith("/api/"):
            return response
        return super().process_response(request, response)  # Vary, Content-Language


# Django's middleware, as named in settings.MIDDLEWARE → the version above, by name.
INLINE = {
    f"{cls.__bases__[-1].__module__}.{cls.__bases__[-1].__qualname__}": f"{__name__}.{cls.__qualname__}"
    for cls in (
        SecurityMiddleware,
        ContentSecurityPolicyMiddleware,
        CommonMiddleware,
        XFrameOptionsMiddleware,
        AuthenticationMiddleware,
        CsrfViewMiddleware,
        SessionMiddleware,
        MessageMiddleware,
    )
}


class MedBotXHandler(ASGIHandler):
    """Django's ASGI handler, whose middleware stack takes the versions above in place of Django's own
    (the settings keep Django's names, for `check --deploy` and for anyone reading them)."""

    def load_middleware(self, is_async: bool = False) -> None:
        configured = settings.MIDDLEWARE
        settings.MIDDLEWARE = [INLINE.get(path, path) for path in configured]
        try:
            super().load_middleware(is_async)
        finally:
            settings.MIDDLEWARE = configured
