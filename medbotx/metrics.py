"""The /metrics endpoint and the request counter middleware. The apps' own metrics are defined in them
(assistant/metrics.py); every metric of the process is served here."""

import hmac
import ipaddress
import os
from collections.abc import Awaitable, Callable
from typing import Any

from asgiref.sync import iscoroutinefunction, markcoroutinefunction
from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, generate_latest, multiprocess

from . import limits

REQUESTS = Counter("medbotx_http_requests_total", "HTTP requests answered", ["method", "status"])


def _allowed(request: HttpRequest) -> bool:
    """The metrics say how busy the service is and what fails: for the operator's scraper, not the public."""
    if settings.METRICS_TOKEN:
        sent = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
        if sent and hmac.compare_digest(sent.encode(), settings.METRICS_TOKEN.encode()):
            return True
    if request.META.get("HTTP_X_FORWARDED_FOR") and not settings.TRUSTED_PROXIES:
        return False  # through a proxy we do not know: the connection's address says nothing about the caller
    address = limits.client_ip(request)
    return any(_matches(address, allowed) for allowed in settings.METRICS_ALLOW)


def _matches(address: str, allowed: str) -> bool:
    try:
        return ipaddress.ip_address(address) in ipaddress.ip_network(allowed, strict=False)
    except ValueError:
        return False


def metrics_view(request: HttpRequest) -> HttpResponse:
    if not _allowed(request):
        raise Http404("Not found")
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        body = generate_latest(registry)
    else:
        body = generate_latest()
    return HttpResponse(body, content_type=CONTENT_TYPE_LATEST)


class count_requests:
    """Counts responses by method and status (sync and async)."""

    sync_capable = True
    async_capable = True

    def __init__(self, get_response: Callable[[HttpRequest], Any]) -> None:
        self.get_response = get_response
        if iscoroutinefunction(get_response):
            markcoroutinefunction(self)

    def __call__(self, request: HttpRequest) -> HttpResponseBase | Awaitable[HttpResponseBase]:
        if iscoroutinefunction(self):
            return self.__acall__(request)  # type: ignore[attr-defined]  # TypeGuard narrowed self
        response = self.get_response(request)
        REQUESTS.labels(request.method, str(response.status_code)).inc()
        return response

    async def __acall__(self, request: HttpRequest) -> HttpResponseBase:
        response = await self.get_response(request)
        REQUESTS.labels(request.method, str(response.status_code)).inc()
        return response
