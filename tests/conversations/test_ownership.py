"""The ownership matrix: every threads endpoint, tried by the owner, a stranger, a guest and an anonymous caller.

Only the owner succeeds; anyone else gets 404 (never 403) and changes nothing.
A thread made with no identity at all belongs to nobody and is reachable by its id.
"""

import uuid

import pytest

from conversations import actions
from conversations.models import Message, Thread
from tests.conftest import assert_error

pytestmark = pytest.mark.django_db

CALLERS = ["owner", "stranger", "guest", "anonymous"]

# (method, path template, body): every endpoint that takes a thread id.
ENDPOINTS = [
    ("get", "/api/threads/{id}", None),
    ("put", "/api/threads/{id}?title=Renamed", None),
    ("put", "/api/threads/{id}", {"title": "Renamed"}),
    ("delete", "/api/threads/{id}", None),
    ("get", "/api/threads/{id}/messages", None),
]


def _thread_owned_by(kind, callers) -> Thread:
    thread = actions.create_thread(callers[kind].identity, f"{kind}'s thread")
    actions.append_message(thread, "user", "Is it normal to feel tired after a flu jab?")
    return thread


@pytest.fixture
def callers(owner, stranger, guest, anonymous):
    return {"owner": owner, "stranger": stranger, "guest": guest, "anonymous": anonymous}


def _snapshot(thread):
    thread.refresh_from_db()
    return (thread.title, thread.updated_at, Message.objects.filter(thread=thread).count())


@pytest.mark.parametrize(("method", "path", "body"), ENDPOINTS, ids=lambda v: str(v))
@pytest.mark.parametrize("owner_kind", ["owner", "guest"])
@pytest.mark.parametrize("caller_kind", CALLERS)
def test_only_the_owner_may_use_a_thread(api, callers, owner_kind, caller_kind, method, path, body):
    thread = _thread_owned_by(owner_kind, callers)
    before = _snapshot(thread)
    response = api.request(method, path.format(id=thread.public_id), callers[caller_kind], body=body)
    if caller_kind == owner_kind:
        assert response.status_code == 200, response.content
    else:
        assert assert_error(response, 404) == "Thread not found"
        assert _snapshot(thread) == before


@pytest.mark.parametrize(("method", "path", "body"), ENDPOINTS, ids=lambda v: str(v))
@pytest.mark.parametrize("caller_kind", CALLERS)
def test_a_thread_made_without_identity_is_reachable_by_its_id(api, callers, caller_kind, method, path, body):
    created = api.post("/api/threads/", body={"title": "Anonymous"}).json()
    response = api.request(method, path.format(id=created["id"]), callers[caller_kind], body=body)
    assert response.status_code == 200, response.content


@pytest.mark.parametrize("caller_kind", CALLERS)
def test_lists_show_only_the_callers_own_threads(api, callers, caller_kind):
    for kind in CALLERS:
        _thread_owned_by(kind, callers)
    titles = [t["title"] for t in api.get("/api/threads/", callers[caller_kind]).json()]
    expected = [] if caller_kind == "anonymous" else [f"{caller_kind}'s thread"]
    assert titles == expected


@pytest.mark.parametrize("caller_kind", CALLERS)
def test_creating_a_thread_gives_it_to_the_caller(api, callers, caller_kind):
    caller = callers[caller_kind]
    body = api.post("/api/threads/", caller, body={"title": "Mine"}).json()
    thread = Thread.objects.get(public_id=body["id"])
    assert thread.owner == caller.identity.user
    assert thread.guest_id == caller.identity.guest_id
    assert body["is_guest"] is (caller_kind != "owner" and caller_kind != "stranger")


@pytest.mark.parametrize(("method", "path", "body"), ENDPOINTS, ids=lambda v: str(v))
@pytest.mark.parametrize("bad_id", ["not-a-uuid", "1", str(uuid.uuid4())])
def test_unknown_or_malformed_thread_ids_get_404(api, owner, method, path, body, bad_id):
    assert assert_error(api.request(method, path.format(id=bad_id), owner, body=body), 404) == "Thread not found"


@pytest.mark.parametrize(("method", "path", "body"), ENDPOINTS, ids=lambda v: str(v))
def test_a_thread_hidden_by_a_moderator_is_gone_for_its_owner(api, owner, owner_thread, method, path, body):
    actions.set_hidden(Thread.objects.filter(pk=owner_thread.pk), True)
    assert_error(api.request(method, path.format(id=owner_thread.public_id), owner, body=body), 404)
    assert api.get("/api/threads/", owner).json() == []
    assert Thread.objects.filter(pk=owner_thread.pk).exists()
