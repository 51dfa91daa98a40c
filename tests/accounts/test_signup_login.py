import uuid
from datetime import timedelta

import jwt
import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings

import medbotx.settings as real_settings
from accounts.models import User
from conversations.models import Thread
from tests.conftest import PASSWORD, assert_error, make_user

pytestmark = pytest.mark.django_db


def signup(api, email, password=PASSWORD, caller=None):
    return api.post("/api/auth/signup", caller, body={"email": email, "password": password})


def login(api, email, password=PASSWORD, caller=None):
    return api.post("/api/auth/login", caller, body={"email": email, "password": password})


def test_signup_returns_a_bearer_token_for_the_new_user(api):
    response = signup(api, "ada@example.com")
    assert response.status_code == 200
    body = response.json()
    assert body["token_type"] == "bearer"
    claims = jwt.decode(body["access_token"], settings.JWT_SECRET, algorithms=["HS256"])
    user = User.objects.get(email="ada@example.com")
    assert claims["sub"] == str(user.public_id)
    assert timedelta(seconds=claims["exp"] - claims["iat"]) == timedelta(minutes=30)
    assert jwt.get_unverified_header(body["access_token"])["alg"] == "HS256"


def test_token_lifetime_follows_the_setting(api):
    with override_settings(JWT_ACCESS_TOKEN_MINUTES=5):
        token = signup(api, "ada@example.com").json()["access_token"]
    claims = jwt.decode(token, settings.JWT_SECRET, algorithms=["HS256"])
    assert claims["exp"] - claims["iat"] == 300


@pytest.mark.parametrize("second", ["ada@example.com", "ADA@example.com", "Ada@Example.COM", "  ada@example.com "])
def test_signup_with_a_registered_email_in_any_case_gets_409(api, second):
    assert signup(api, "ada@example.com").status_code == 200
    assert assert_error(signup(api, second), 409) == "Email already registered"
    assert User.objects.count() == 1


@pytest.mark.parametrize(
    ("password", "expected"),
    [("short1!", "too short"), ("password123", "too common"), ("83749261548", "entirely numeric")],
)
def test_signup_with_a_weak_password_gets_400_with_the_reason(api, password, expected):
    assert expected in assert_error(signup(api, "ada@example.com", password), 400)
    assert not User.objects.exists()


def test_signup_with_a_password_like_the_email_gets_400(api):
    assert "similar" in assert_error(signup(api, "margaretha@example.com", "margaretha@example"), 400)


@pytest.mark.parametrize("email", ["not-an-email", "", "a@", "@example.com"])
def test_signup_with_an_invalid_email_gets_400(api, email):
    assert assert_error(signup(api, email), 400) == "Enter a valid email address"
    assert not User.objects.exists()


@pytest.mark.parametrize(
    "body", [{}, {"email": "ada@example.com"}, {"password": PASSWORD}, {"email": 5, "password": PASSWORD}]
)
def test_signup_with_missing_or_wrong_fields_gets_422_with_field_errors(api, body):
    response = api.post("/api/auth/signup", body=body)
    assert_error(response, 422)
    assert response.json()["errors"]
    assert not User.objects.exists()


def test_passwords_are_hashed_with_argon2(api):
    assert real_settings.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    with override_settings(PASSWORD_HASHERS=real_settings.PASSWORD_HASHERS):
        signup(api, "ada@example.com")
    assert User.objects.get().password.startswith("argon2")


def test_login_with_the_right_password_in_any_email_case_returns_a_token(api):
    user = make_user("ada@example.com")
    response = login(api, "ADA@Example.com")
    assert response.status_code == 200
    claims = jwt.decode(response.json()["access_token"], settings.JWT_SECRET, algorithms=["HS256"])
    assert claims["sub"] == str(user.public_id)


@pytest.mark.parametrize(
    ("email", "password"),
    [("ada@example.com", "wrong-password-1"), ("nobody@example.com", PASSWORD), ("ada@example.com", "")],
)
def test_login_failure_gets_401_with_www_authenticate(api, email, password):
    make_user("ada@example.com")
    response = login(api, email, password)
    assert assert_error(response, 401) == "Incorrect email or password"
    assert response.headers["WWW-Authenticate"] == "Bearer"


def test_a_deactivated_user_cannot_log_in(api):
    make_user("ada@example.com", is_active=False)
    assert assert_error(login(api, "ada@example.com"), 401) == "Incorrect email or password"


def test_me_describes_a_user(api, owner):
    body = api.get("/api/auth/me", owner).json()
    assert body["kind"] == "user"
    assert body["email"] == "owner@example.com"
    assert body["id"] == str(owner.identity.user.public_id)


def test_me_describes_a_guest(api, guest):
    body = api.get("/api/auth/me", guest).json()
    assert body == {"kind": "guest", "id": str(guest.identity.guest_id), "email": None, "date_joined": None}


def test_me_without_a_token_gets_401(api):
    assert_error(api.get("/api/auth/me"), 401)


def test_guest_endpoint_issues_a_guest_token(api):
    body = api.post("/api/auth/guest").json()
    claims = jwt.decode(body["access_token"], settings.JWT_SECRET, algorithms=["HS256"])
    assert claims["guest"] is True
    uuid.UUID(claims["sub"])
    assert body["expires_in"] == settings.GUEST_TOKEN_DAYS * 86400


def test_guest_endpoint_renews_the_same_guest_identity(api, guest):
    token = api.post("/api/auth/guest", guest).json()["access_token"]
    assert jwt.decode(token, settings.JWT_SECRET, algorithms=["HS256"])["sub"] == str(guest.identity.guest_id)


def test_guest_endpoint_refuses_a_logged_in_user(api, owner):
    assert_error(api.post("/api/auth/guest", owner), 409)


def test_signup_with_a_guest_token_claims_the_guests_threads(api, guest):
    api.post("/api/threads/", guest, body={"title": "As a guest"})
    other_guest_thread = Thread.objects.create(guest_id=uuid.uuid4(), is_guest=True, title="someone else's")
    token = signup(api, "ada@example.com", caller=guest).json()["access_token"]
    titles = [t["title"] for t in api.get("/api/threads/", HTTP_AUTHORIZATION=f"Bearer {token}").json()]
    assert titles == ["As a guest"]
    claimed = Thread.objects.get(title="As a guest")
    assert claimed.owner.email == "ada@example.com" and not claimed.is_guest and claimed.guest_id is None
    other_guest_thread.refresh_from_db()
    assert other_guest_thread.owner is None


def test_login_with_a_guest_token_claims_the_guests_threads(api, guest):
    make_user("ada@example.com")
    api.post("/api/threads/", guest, body={"title": "As a guest"})
    token = login(api, "ada@example.com", caller=guest).json()["access_token"]
    titles = [t["title"] for t in api.get("/api/threads/", HTTP_AUTHORIZATION=f"Bearer {token}").json()]
    assert titles == ["As a guest"]
    assert api.get("/api/threads/", guest).json() == []


def test_failed_login_with_a_guest_token_claims_nothing(api, guest):
    make_user("ada@example.com")
    api.post("/api/threads/", guest, body={"title": "As a guest"})
    assert login(api, "ada@example.com", "wrong-password-1", caller=guest).status_code == 401
    assert Thread.objects.get().guest_id == guest.identity.guest_id


def test_createsuperuser_works_with_an_email(monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", PASSWORD)
    call_command("createsuperuser", interactive=False, email="root@example.com", verbosity=0)
    user = User.objects.get(email="root@example.com")
    assert user.is_superuser and user.is_staff and user.check_password(PASSWORD)


def test_createsuperuser_refuses_an_email_taken_in_another_case(monkeypatch):
    from django.core.management.base import CommandError

    make_user("root@example.com")
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", PASSWORD)
    with pytest.raises(CommandError):
        call_command("createsuperuser", interactive=False, email="ROOT@example.com", verbosity=0)
    assert User.objects.count() == 1
