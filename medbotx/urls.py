from django.contrib import admin
from django.http import HttpRequest, JsonResponse
from django.templatetags.static import static
from django.urls import path, re_path
from django.views.generic import RedirectView

from accounts import views as account_views
from assistant import views as assistant_views
from conversations import views as chat_views

from .api import api
from .metrics import metrics_view


def api_not_found(request: HttpRequest, rest: str = "") -> JsonResponse:
    return JsonResponse({"detail": f"Not found: {request.method} {request.path}"}, status=404)


admin.site.site_header = "MedBotX moderation"
admin.site.site_title = "MedBotX admin"
admin.site.index_title = "Conversations, accounts and safety"

urlpatterns = [
    path("", chat_views.landing, name="landing"),
    path("start/", chat_views.start_guest, name="start_guest"),
    path("signup/", account_views.signup, name="signup"),
    path("login/", account_views.login, name="login"),
    path("logout/", account_views.logout, name="logout"),
    path("notice/", account_views.notice_page, name="notice"),
    path("account/", chat_views.account, name="account"),
    path("account/export/", chat_views.account_export, name="account_export"),
    path("chat/", chat_views.chat, name="chat"),
    path("chat/send/", assistant_views.send, name="send_new"),
    path("chat/<uuid:thread_id>/", chat_views.thread_page, name="thread"),
    path("chat/<uuid:thread_id>/send/", assistant_views.send, name="send"),
    path("chat/<uuid:thread_id>/rename/", chat_views.rename, name="rename"),
    path("chat/<uuid:thread_id>/delete/", chat_views.delete, name="delete"),
    path("chat/<uuid:thread_id>/replies/<uuid:reply_id>/stream/", assistant_views.reply_stream, name="reply_stream"),
    path("chat/<uuid:thread_id>/replies/<uuid:reply_id>/stop/", assistant_views.reply_stop, name="reply_stop"),
    path("chat/<uuid:thread_id>/replies/<uuid:reply_id>/report/", assistant_views.reply_report, name="reply_report"),
    path("chat/<uuid:thread_id>/replies/<uuid:reply_id>/retry/", assistant_views.reply_retry, name="reply_retry"),
    path("metrics", metrics_view, name="metrics"),
    # Pages link their icon; browsers and tools that ask /favicon.ico anyway are sent to it.
    path("favicon.ico", RedirectView.as_view(url=static("favicon.svg"))),
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    re_path(r"^api/(?P<rest>.*)$", api_not_found),  # unknown API routes answer JSON, not an HTML page
]
