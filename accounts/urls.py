from django.urls import path

from . import views

urlpatterns = [
    path("", views.landing, name="landing"),
    path("start/", views.start_guest, name="start_guest"),
    path("signup/", views.signup, name="signup"),
    path("login/", views.login, name="login"),
    path("logout/", views.logout, name="logout"),
    path("notice/", views.notice_page, name="notice"),
    path("account/", views.account, name="account"),
    path("account/export/", views.account_export, name="account_export"),
]
