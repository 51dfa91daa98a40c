"""The pages of a person's identity (Django sessions): the landing page and starting as a guest; sign up,
log in and log out; the notice; the account page with its data rights (download, delete). The API's JWT
flow is in api.py."""

from django.conf import settings
from django.contrib.auth import login as auth_login
from django.contrib.auth import logout as auth_logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordResetForm
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from medbotx.limits import Throttled

from . import language, notice, rights
from .actions import (
    SignupError,
    check_guest_mint_allowed,
    check_password_reset_allowed,
    check_signup_allowed,
    confirm_password,
    log_in,
    sign_up,
)
from .forms import LoginForm, SignupForm
from .identity import SESSION_GUEST_KEY, identity_for_request, start_guest_session
from .models import User


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return reverse("chat")


def _enter(request: HttpRequest, user: User) -> HttpResponseRedirect:
    """Start the user's session and go on. The guest's threads were claimed by the action; the guest id is
    dropped. The pages' language follows the person: the one kept on their account, or else the one they
    are using now, which the account keeps from then on."""
    notice.carry_over(request, user)
    auth_login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    request.session.pop(SESSION_GUEST_KEY, None)
    response = redirect(_next_url(request))
    if user.language:
        language.remember(response, user.language)
    elif settings.LANGUAGE_COOKIE_NAME in request.COOKIES:
        language.keep_on_account(user, translation.get_language())
    return response


def _throttled(response: HttpResponse, exc: Throttled) -> HttpResponse:
    """A page answering a limit: 429, and when to retry in the header as well as in the sentence."""
    response["Retry-After"] = str(exc.retry_after)
    return response


@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        guest_id = identity_for_request(request).guest_id
        try:
            check_signup_allowed(request)
            user = sign_up(form.cleaned_data["email"], form.cleaned_data["password"], guest_id=guest_id)
        except Throttled as exc:
            form.add_error(None, exc.message)
            return _throttled(render(request, "accounts/signup.html", {"form": form}, status=429), exc)
        except SignupError as exc:
            form.add_error(exc.field, str(exc))
        else:
            return _enter(request, user)
    return render(request, "accounts/signup.html", {"form": form}, status=400 if form.errors else 200)


class PasswordResetView(auth_views.PasswordResetView):
    """Django's password reset: the same page whether or not the address has an account (nothing is
    revealed), the link by e-mail; limited per client address and per address asked for."""

    template_name = "accounts/password_reset_form.html"
    email_template_name = "accounts/password_reset_email.txt"
    subject_template_name = "accounts/password_reset_subject.txt"

    def form_valid(self, form: PasswordResetForm) -> HttpResponse:
        try:
            check_password_reset_allowed(self.request, form.cleaned_data["email"])
        except Throttled as exc:
            form.add_error(None, exc.message)
            return _throttled(self.render_to_response(self.get_context_data(form=form), status=429), exc)
        return super().form_valid(form)

    def form_invalid(self, form: PasswordResetForm) -> HttpResponse:
        return self.render_to_response(self.get_context_data(form=form), status=400)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"

    def form_invalid(self, form):  # type: ignore[no-untyped-def]  # Django's SetPasswordForm
        return self.render_to_response(self.get_context_data(form=form), status=400)


@require_http_methods(["GET", "POST"])
def login(request: HttpRequest) -> HttpResponse:
    form = LoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        guest_id = identity_for_request(request).guest_id
        try:
            user = log_in(request, form.cleaned_data["email"], form.cleaned_data["password"], guest_id=guest_id)
        except Throttled as exc:
            form.add_error(None, exc.message)
            return _throttled(render(request, "accounts/login.html", {"form": form}, status=429), exc)
        if user is None:
            form.add_error(None, _("Incorrect email or password."))
        else:
            return _enter(request, user)
    return render(request, "accounts/login.html", {"form": form}, status=400 if form.errors else 200)


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """The language switch: kept in a cookie for this browser and, for a signed-in person, on their account
    (so it follows them to another device). Then back to the page it was chosen on."""
    code = request.POST.get("language", "")
    if code not in dict(settings.LANGUAGES):
        choices = ", ".join(dict(settings.LANGUAGES))
        return HttpResponse(
            _("Unknown language %(code)r: choose one of %(choices)s.") % {"code": code[:20], "choices": choices},
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    response = redirect(_next_url(request))
    language.remember(response, code)
    if request.user.is_authenticated:
        language.keep_on_account(request.user, code)
    return response


@require_POST
def logout(request: HttpRequest) -> HttpResponseRedirect:
    auth_logout(request)
    return redirect("landing")


@require_http_methods(["GET", "POST"])
def notice_page(request: HttpRequest) -> HttpResponse:
    """The AI-not-a-doctor notice; accepting it opens the chat."""
    if request.method == "POST":
        notice.accept(request)
        return redirect(_next_url(request))
    return render(request, "accounts/notice.html", {"next": request.GET.get("next", "")})


@require_GET
def landing(request: HttpRequest) -> HttpResponse:
    identity = identity_for_request(request)
    return render(request, "landing.html", {"has_identity": not identity.is_anonymous})


@require_POST
def start_guest(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated and identity_for_request(request).guest_id is None:
        try:
            check_guest_mint_allowed(request)  # a new guest identity: the same limit as the API's
        except Throttled as exc:
            context = {"has_identity": False, "start_error": exc.message}
            return _throttled(render(request, "landing.html", context, status=429), exc)
        start_guest_session(request)
    return redirect("chat")


@require_http_methods(["GET", "POST"])
def account(request: HttpRequest) -> HttpResponse:
    """The account page: download all my data, delete my account (with the password, at once)."""
    if not request.user.is_authenticated:
        return redirect(f"{reverse('login')}?next={request.path}")
    user = request.user

    def page(error: str = "", status: int = 200) -> HttpResponse:
        context = {"threads": rights.counts(user).get("threads", 0), "delete_error": error}
        return render(request, "accounts/account.html", context, status=status)

    if request.method == "GET":
        return page()
    try:
        confirmed = confirm_password(request, user, request.POST.get("password", ""))
    except Throttled as exc:
        return _throttled(page(exc.message + " " + _("Nothing was deleted."), 429), exc)
    if not confirmed:
        return page(_("Incorrect password; nothing was deleted."), 403)
    auth_logout(request)
    removed = rights.delete_account(user)
    return render(request, "accounts/deleted.html", {"count": removed.get("threads", 0)})


@require_GET
def account_export(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect(f"{reverse('login')}?next={reverse('account')}")
    data = rights.export_user_data(request.user)
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 2})
    response["Content-Disposition"] = 'attachment; filename="medbotx-data.json"'
    return response
