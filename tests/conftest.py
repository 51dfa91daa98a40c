"""The shared cast: an owner, a stranger, a guest and an anonymous caller."""

import json
import uuid
from dataclasses import dataclass

import pytest
from django.test import Client

from accounts.identity import Identity
from accounts.models import User
from accounts.tokens import issue_guest_token, issue_user_token
from conversations import actions
from conversations.models import Thread

PASSWORD = "plum-orchard-42-sunrise"


@dataclass
class Caller:
    """Someone calling the API: a name for test ids, the identity, and the token they send (if any)."""

    name: str
    identity: Identity
    token: str | None

    def headers(self) -> dict:
        return {"HTTP_AUTHORIZATION": f"Bearer {self.token}"} if self.token else {}

    def header_dict(self) -> dict:
        """For AsyncClient, which takes real header names."""
        return {"Authorization": f"Bearer {self.token}"} if self.token else {}


class Api:
    """Django's test client with JSON in and out, through every URL and middleware."""

    def __init__(self) -> None:
        self.client = Client()

    def request(self, method: str, path: str, caller: Caller | None = None, body=None, raw: str | None = None, **extra):
        kwargs = dict(extra)
        if caller is not None:
            kwargs.update(caller.headers())
        data = raw if raw is not None else (json.dumps(body) if body is not None else "")
        if data:
            kwargs.setdefault("content_type", "application/json")
        return self.client.generic(method.upper(), path, data, **kwargs)

    def get(self, path, caller=None, **kw):
        return self.request("get", path, caller, **kw)

    def post(self, path, caller=None, **kw):
        return self.request("post", path, caller, **kw)

    def put(self, path, caller=None, **kw):
        return self.request("put", path, caller, **kw)

    def delete(self, path, caller=None, **kw):
        return self.request("delete", path, caller, **kw)


@pytest.fixture
def api() -> Api:
    return Api()


def make_user(email: str, **extra) -> User:
    return User.objects.create_user(email=email, password=PASSWORD, **extra)


@pytest.fixture
def owner(db) -> Caller:
    user = make_user("owner@example.com")
    return Caller("owner", Identity(user=user), issue_user_token(user))


@pytest.fixture
def stranger(db) -> Caller:
    user = make_user("stranger@example.com")
    return Caller("stranger", Identity(user=user), issue_user_token(user))


@pytest.fixture
def guest(db) -> Caller:
    guest_id = uuid.uuid4()
    return Caller("guest", Identity(guest_id=guest_id), issue_guest_token(guest_id))


@pytest.fixture
def anonymous(db) -> Caller:
    return Caller("anonymous", Identity(), None)


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Limits and lockouts live in the cache: every test starts with none."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def library(django_db_blocker):
    """The real health library, loaded into the test database (works for transactional tests too)."""
    from assistant.library import invalidate_index
    from assistant.library.loader import load_library

    with django_db_blocker.unblock():
        load_library()
    invalidate_index()
    yield
    invalidate_index()  # the database is emptied after the test; no process may keep the old index


@pytest.fixture
def moderator(db):
    """A Django test client signed in to admin as a superuser."""
    from django.test import Client

    User.objects.create_superuser(email="mod@example.com", password=PASSWORD)
    client = Client()
    assert client.login(username="mod@example.com", password=PASSWORD)
    return client


@pytest.fixture
def owner_thread(owner) -> Thread:
    thread = actions.create_thread(owner.identity, "Owner's thread")
    actions.append_message(thread, "user", "What is a normal resting heart rate?")
    actions.append_message(thread, "assistant", "For most adults, 60 to 100 beats a minute.")
    return thread


def assert_error(response, status: int) -> str:
    """The response is a JSON error with this status and a string detail; returns the detail."""
    assert response.status_code == status, (response.status_code, response.content[:500])
    assert response.headers["Content-Type"].startswith("application/json")
    detail = response.json()["detail"]
    assert isinstance(detail, str) and detail
    return detail


@pytest.fixture(scope="session", autouse=True)
def _close_database_pools(django_db_setup, django_db_blocker):
    """PostgreSQL's pool keeps connections open; close them before the test database is dropped."""
    yield
    from django.db import connections

    with django_db_blocker.unblock():
        for conn in connections.all(initialized_only=True):
            if getattr(conn, "pool", None) is not None:
                conn.close_pool()


def pytest_collection_modifyitems(config, items):
    """The browser tests run last: they are the slowest, and their driver owns this thread's event loop."""
    items.sort(key=lambda item: "browser" in item.nodeid.split("/")[1:2])
