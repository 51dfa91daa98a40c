from django.contrib import admin
from django.http import JsonResponse
from django.urls import path, re_path

from .api import api


def api_not_found(request, rest: str = ""):
    return JsonResponse({"detail": f"Not found: {request.method} {request.path}"}, status=404)


admin.site.site_header = "MedBotX moderation"
admin.site.site_title = "MedBotX admin"
admin.site.index_title = "Conversations, accounts and safety"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    re_path(r"^api/(?P<rest>.*)$", api_not_found),  # unknown API routes answer JSON, not an HTML page
]
