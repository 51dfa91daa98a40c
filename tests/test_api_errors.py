"""Bad input never gets a 500 and never writes: each case gets a clear 4xx with a string detail."""

import pytest

from accounts.models import User
from conversations.models import Message, Thread
from tests.conftest import assert_error

pytestmark = pytest.mark.django_db


def _counts():
    return (User.objects.count(), Thread.objects.count(), Message.objects.count())


BAD_REQUESTS = [
    # (name, method, path, raw body, expected status, words in detail)
    ("malformed json", "post", "/api/threads/", '{"title": "x"', 400, "not valid JSON"),
    ("not json at all", "post", "/api/threads/", "title=x", 400, "not valid JSON"),
    ("json array", "post", "/api/threads/", "[1, 2]", 422, "body"),
    ("json string", "post", "/api/threads/", '"x"', 422, "body"),
    ("wrong type", "post", "/api/threads/", '{"title": 42}', 422, "title"),
    ("wrong type bool", "post", "/api/threads/", '{"title": "x", "is_guest": "maybe"}', 422, "is_guest"),
    ("unknown field", "post", "/api/threads/", '{"title": "x", "owner": 1}', 422, "owner"),
    ("over-long title", "post", "/api/threads/", '{"title": "' + "x" * 201 + '"}', 422, "title"),
    ("empty title", "post", "/api/threads/", '{"title": "  "}', 422, "empty"),
    ("null title", "post", "/api/threads/", '{"title": null}', 422, "title"),
    ("oversized body", "post", "/api/threads/", '{"title": "' + "x" * 70_000 + '"}', 413, "too large"),
    (
        "signup unknown field",
        "post",
        "/api/auth/signup",
        '{"email": "a@b.co", "password": "x", "admin": true}',
        422,
        "admin",
    ),
    ("signup malformed", "post", "/api/auth/signup", "{", 400, "not valid JSON"),
    ("login wrong type", "post", "/api/auth/login", '{"email": ["a"], "password": "x"}', 422, "email"),
    (
        "login over-long password",
        "post",
        "/api/auth/login",
        '{"email": "a@b.co", "password": "' + "p" * 2000 + '"}',
        422,
        "password",
    ),
    ("unknown route", "get", "/api/nothing-here", "", 404, "Not found"),
    ("unknown nested route", "post", "/api/threads/x/y/z", "", 404, "Not found"),
    ("unknown auth route", "post", "/api/auth/logout", "", 404, "Not found"),
    ("wrong method", "patch", "/api/threads/", "", 405, "not allowed"),
    ("wrong method on auth", "get", "/api/auth/login", "", 405, "not allowed"),
]


@pytest.mark.parametrize(
    ("method", "path", "raw", "status", "words"),
    [case[1:] for case in BAD_REQUESTS],
    ids=[case[0] for case in BAD_REQUESTS],
)
def test_bad_input_gets_a_clear_4xx_and_writes_nothing(api, owner, method, path, raw, status, words):
    before = _counts()
    response = api.request(method, path, owner, raw=raw)
    detail = assert_error(response, status)
    assert words.lower() in detail.lower()
    assert _counts() == before


def test_validation_errors_list_the_fields_under_errors(api, owner):
    response = api.post("/api/threads/", owner, raw='{"title": 42, "extra": 1}')
    body = response.json()
    assert isinstance(body["detail"], str)
    fields = {tuple(e["loc"])[-1] for e in body["errors"]}
    assert fields == {"title", "extra"}
    assert all(isinstance(e["msg"], str) for e in body["errors"])


def test_method_not_allowed_says_which_methods_are(api, owner):
    response = api.request("patch", "/api/threads/", owner)
    assert "GET" in response.headers["Allow"] and "POST" in response.headers["Allow"]


def test_an_unhandled_server_error_under_api_is_json_too(api, monkeypatch, owner):
    from conversations import api as threads_api

    def explode(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(threads_api, "visible_threads", explode)
    api.client.raise_request_exception = False
    detail = assert_error(api.get("/api/threads/", owner), 500)
    assert "boom" not in detail


def test_a_number_where_a_boolean_belongs_is_refused(api, owner):
    """`is_guest: 0` is not a boolean (the schema says boolean; the server must not coerce)."""
    response = api.post("/api/threads/", owner, raw='{"title": "x", "is_guest": 0}')
    assert "is_guest" in assert_error(response, 422)
    assert not Thread.objects.exists()


@pytest.mark.parametrize(
    "raw",
    [
        '{"title": "\\udc00 sleep"}',
        '{"title": "\\uD83D sleep"}',
        b'{"title": "\xed\xb0\x80 sleep"}',  # the surrogate's bytes, not an escape
        '{"title": "\\ud800 sleep"}'.encode("utf-16"),  # json.loads reads UTF-16 bodies too
    ],
)
def test_an_unpaired_surrogate_is_read_as_a_replacement_character(api, owner, raw):
    """Valid JSON, not text: the database would refuse it (a 500). It is stored as U+FFFD."""
    response = api.post("/api/threads/", owner, raw=raw, content_type="application/json")
    assert response.status_code == 200, response.content[:300]
    assert Thread.objects.get().title == "\ufffd sleep"


@pytest.mark.parametrize("method", ["post", "put", "delete", "patch"])
def test_an_unknown_route_is_404_for_every_method_even_with_csrf_checks(method):
    """A client of the original API posting to a path that does not exist learns that, not a CSRF 403."""
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    response = getattr(client, method)("/api/chat", "{}", content_type="application/json")
    assert response.status_code == 404
    assert response.json() == {"detail": f"Not found: {method.upper()} /api/chat"}
