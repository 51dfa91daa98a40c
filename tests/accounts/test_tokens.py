"""A token that is present but cannot be accepted gets 401; no token at all is an anonymous caller."""

import uuid
from datetime import UTC, datetime, timedelta

import jwt
import pytest
from django.conf import settings

from tests.conftest import assert_error

pytestmark = pytest.mark.django_db

NOW = datetime.now(UTC)


def _claims(sub, **extra):
    return {"sub": sub, "iat": NOW, "exp": NOW + timedelta(minutes=30), **extra}


def _bad_tokens(user) -> dict[str, str]:
    sub = str(user.public_id)
    return {
        "bad signature": jwt.encode(_claims(sub), "not-the-secret-" * 4, algorithm="HS256"),
        "alg none": jwt.encode(_claims(sub), key=None, algorithm="none"),
        "expired": jwt.encode(
            {"sub": sub, "iat": NOW - timedelta(hours=2), "exp": NOW - timedelta(hours=1)},
            settings.JWT_SECRET,
            algorithm="HS256",
        ),
        "malformed": "this.is-not.a-jwt",
        "garbage": "garbage",
        "no exp": jwt.encode({"sub": sub, "iat": NOW}, settings.JWT_SECRET, algorithm="HS256"),
        "no sub": jwt.encode({"iat": NOW, "exp": NOW + timedelta(minutes=5)}, settings.JWT_SECRET, algorithm="HS256"),
        "sub not a uuid": jwt.encode(_claims("42"), settings.JWT_SECRET, algorithm="HS256"),
        "unknown user": jwt.encode(_claims(str(uuid.uuid4())), settings.JWT_SECRET, algorithm="HS256"),
        "other algorithm": jwt.encode(_claims(sub), settings.JWT_SECRET, algorithm="HS512"),
    }


BAD_KINDS = [
    "bad signature",
    "alg none",
    "expired",
    "malformed",
    "garbage",
    "no exp",
    "no sub",
    "sub not a uuid",
    "unknown user",
    "other algorithm",
]


@pytest.mark.parametrize("path", ["/api/threads/", "/api/auth/me"])
@pytest.mark.parametrize("kind", BAD_KINDS)
def test_a_bad_token_gets_401_with_a_string_detail(api, owner, kind, path):
    token = _bad_tokens(owner.identity.user)[kind]
    response = api.get(path, HTTP_AUTHORIZATION=f"Bearer {token}")
    assert_error(response, 401)
    assert response.headers["WWW-Authenticate"] == "Bearer"


def test_an_expired_token_says_so(api, owner):
    token = _bad_tokens(owner.identity.user)["expired"]
    assert "expired" in assert_error(api.get("/api/threads/", HTTP_AUTHORIZATION=f"Bearer {token}"), 401)


def test_a_deactivated_users_token_stops_working_at_once(api, owner, owner_thread):
    assert api.get("/api/threads/", owner).status_code == 200
    user = owner.identity.user
    user.is_active = False
    user.save()
    assert_error(api.get("/api/threads/", owner), 401)
    assert_error(api.get(f"/api/threads/{owner_thread.public_id}", owner), 401)


@pytest.mark.parametrize("header", ["Basic dXNlcjpwYXNz", "Bearer", "Bearer    ", "Token abc"])
def test_a_malformed_authorization_header_gets_401(api, header):
    assert_error(api.get("/api/threads/", HTTP_AUTHORIZATION=header), 401)


def test_a_bad_token_on_a_write_writes_nothing(api, owner):
    from conversations.models import Thread

    token = _bad_tokens(owner.identity.user)["bad signature"]
    assert_error(api.post("/api/threads/", body={"title": "x"}, HTTP_AUTHORIZATION=f"Bearer {token}"), 401)
    assert not Thread.objects.exists()


def test_no_token_means_an_anonymous_caller(api):
    response = api.get("/api/threads/")
    assert response.status_code == 200
    assert response.json() == []


def test_a_rotated_secret_keeps_old_tokens_working_while_listed(api, owner, settings):
    old = settings.JWT_SECRET
    settings.JWT_SECRET = "n3w-" + "s" * 60 + "ecret-value-that-is-long-and-varied-0123456789"
    settings.JWT_PREVIOUS_SECRETS = [old]
    assert api.get("/api/auth/me", owner).status_code == 200  # signed with the old secret
    settings.JWT_PREVIOUS_SECRETS = []
    response = api.get("/api/auth/me", owner)
    assert response.status_code == 401 and response.json() == {"detail": "Invalid token"}
