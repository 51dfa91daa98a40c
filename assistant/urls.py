from django.urls import path

from . import pages, views

REPLY = "chat/<uuid:thread_id>/replies/<uuid:reply_id>"

urlpatterns = [
    path("chat/", pages.chat, name="chat"),
    path("chat/<uuid:thread_id>/", pages.thread_page, name="thread"),
    path("chat/<uuid:thread_id>/rename/", pages.rename, name="rename"),
    path("chat/<uuid:thread_id>/delete/", pages.delete, name="delete"),
    path("chat/send/", views.send, name="send_new"),
    path("chat/<uuid:thread_id>/send/", views.send, name="send"),
    path(f"{REPLY}/stream/", views.reply_stream, name="reply_stream"),
    path(f"{REPLY}/stop/", views.reply_stop, name="reply_stop"),
    path(f"{REPLY}/report/", views.reply_report, name="reply_report"),
    path(f"{REPLY}/retry/", views.reply_retry, name="reply_retry"),
    path(f"{REPLY}/feedback/", views.reply_feedback, name="reply_feedback"),
    path(f"{REPLY}/regenerate/", views.reply_regenerate, name="reply_regenerate"),
    path("chat/<uuid:thread_id>/questions/<uuid:message_id>/edit/", views.question_edit, name="question_edit"),
]
