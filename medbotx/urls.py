from django.contrib import admin
from django.http import HttpRequest, JsonResponse
from django.templatetags.static import static
from django.urls import include, path, re_path
from django.views.decorators.csrf import csrf_exempt
from django.views.generic import RedirectView

from .api import api
from .metrics import metrics_view


@csrf_exempt  # an unknown route is a 404 whatever the method: no CSRF failure (403) first
def api_not_found(request: HttpRequest, rest: str = "") -> JsonResponse:
    return JsonResponse({"detail": f"Not found: {request.method} {request.path}"}, status=404)


admin.site.site_header = "MedBotX moderation"
admin.site.site_title = "MedBotX admin"
admin.site.index_title = "Conversations, accounts and safety"

urlpatterns = [
    path("", include("accounts.urls")),
    path("", include("assistant.urls")),
    path("metrics", metrics_view, name="metrics"),
    # Pages link their icon; browsers and tools that ask /favicon.ico anyway are sent to it.
    path("favicon.ico", RedirectView.as_view(url=static("favicon.svg"))),
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    re_path(r"^api/(?P<rest>.*)$", api_not_found),  # unknown API routes answer JSON, not an HTML page
]
