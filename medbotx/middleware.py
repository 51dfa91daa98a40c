"""Keep every error under /api/ in the API's shape: JSON with a string `detail`.

django-ninja answers its own errors as JSON, but some responses are made before
or around it: an unknown route, a method the route does not take, a CSRF or
host failure, a server error. This middleware rewrites those into
`{"detail": "..."}` with the same status and headers, so an API client never
has to parse HTML.
"""

from http import HTTPStatus

from asgiref.sync import iscoroutinefunction, markcoroutinefunction
from django.http import HttpRequest, HttpResponse, JsonResponse

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


def api_errors_as_json(get_response):
    if iscoroutinefunction(get_response):

        async def middleware(request: HttpRequest) -> HttpResponse:
            response = await get_response(request)
            return _rewrite(request, response) if _needs_rewrite(request, response) else response

        markcoroutinefunction(middleware)
    else:

        def middleware(request: HttpRequest) -> HttpResponse:
            response = get_response(request)
            return _rewrite(request, response) if _needs_rewrite(request, response) else response

    return middleware


api_errors_as_json.sync_capable = True
api_errors_as_json.async_capable = True
