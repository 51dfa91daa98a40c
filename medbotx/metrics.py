"""The /metrics endpoint and the request counter middleware."""

import os

from asgiref.sync import iscoroutinefunction, markcoroutinefunction
from django.http import HttpResponse
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest, multiprocess

from assistant.metrics import REQUESTS


def metrics_view(request):
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

    def __init__(self, get_response):
        self.get_response = get_response
        if iscoroutinefunction(get_response):
            markcoroutinefunction(self)

    def __call__(self, request):
        if iscoroutinefunction(self):
            return self.__acall__(request)
        response = self.get_response(request)
        REQUESTS.labels(request.method, str(response.status_code)).inc()
        return response

    async def __acall__(self, request):
        response = await self.get_response(request)
        REQUESTS.labels(request.method, str(response.status_code)).inc()
        return response
