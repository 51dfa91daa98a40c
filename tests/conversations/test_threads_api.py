from datetime import timedelta

import pytest
from django.utils import timezone

from conversations import actions, replies
from conversations.models import Message, Thread
from tests.conftest import assert_error

pytestmark = pytest.mark.django_db

THREAD_KEYS = {"id", "title", "is_guest", "created_at", "updated_at"}


@pytest.mark.parametrize("path", ["/api/threads/", "/api/threads"])
def test_create_with_and_without_the_trailing_slash(api, owner, path):
    response = api.post(path, owner, body={"title": "Migraine questions"})
    assert response.status_code == 200
    body = response.json()
    assert body.keys() >= THREAD_KEYS
    assert body["title"] == "Migraine questions" and body["is_guest"] is False


def test_create_without_a_body_uses_the_default_title(api, owner):
    assert api.post("/api/threads/", owner).json()["title"] == "New Conversation"
    assert api.post("/api/threads/", owner, body={}).json()["title"] == "New Conversation"


def test_create_trims_the_title(api, owner):
    assert api.post("/api/threads/", owner, body={"title": "  Sleep  "}).json()["title"] == "Sleep"


def test_is_guest_in_the_body_is_accepted_but_ownership_decides(api, owner):
    assert api.post("/api/threads/", owner, body={"title": "x", "is_guest": True}).json()["is_guest"] is False
    assert api.post("/api/threads/", body={"title": "x", "is_guest": False}).json()["is_guest"] is True


def test_timestamps_carry_their_zone(api, owner):
    body = api.post("/api/threads/", owner).json()
    for key in ("created_at", "updated_at"):
        assert body[key].endswith("Z") or body[key].endswith("+00:00")


@pytest.mark.parametrize("path", ["/api/threads/", "/api/threads"])
def test_list_is_newest_activity_first(api, owner, path):
    old = actions.create_thread(owner.identity, "old")
    new = actions.create_thread(owner.identity, "new")
    Thread.objects.filter(pk=old.pk).update(updated_at=timezone.now() - timedelta(days=2))
    Thread.objects.filter(pk=new.pk).update(updated_at=timezone.now() - timedelta(days=1))
    assert [t["title"] for t in api.get(path, owner).json()] == ["new", "old"]
    actions.append_message(old, "user", "a new question")  # activity moves it to the top
    assert [t["title"] for t in api.get(path, owner).json()] == ["old", "new"]


def test_a_listed_thread_is_what_is_stored_to_the_microsecond_in_utc(api, owner):
    thread = actions.create_thread(owner.identity, "Céline's migraine ☕")
    stored = Thread.objects.get(pk=thread.pk)
    response = api.get("/api/threads/", owner)
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert "Céline's migraine ☕".encode() in response.content  # UTF-8, not \u escapes
    [listed] = response.json()
    assert listed == {
        "id": str(stored.public_id),
        "title": "Céline's migraine ☕",
        "is_guest": False,
        "created_at": stored.created_at.isoformat().replace("+00:00", "Z"),
        "updated_at": stored.updated_at.isoformat().replace("+00:00", "Z"),
    }


def test_appending_a_message_bumps_updated_at(owner_thread):
    before = Thread.objects.get(pk=owner_thread.pk).updated_at
    message = actions.append_message(owner_thread, "user", "one more")
    after = Thread.objects.get(pk=owner_thread.pk).updated_at
    assert after > before and after == message.created_at


def test_get_returns_the_thread(api, owner, owner_thread):
    body = api.get(f"/api/threads/{owner_thread.public_id}", owner).json()
    assert body["id"] == str(owner_thread.public_id) and body["title"] == "Owner's thread"


def test_rename_by_query_parameter(api, owner, owner_thread):
    body = api.put(f"/api/threads/{owner_thread.public_id}?title=Heart%20rate", owner).json()
    assert body["title"] == "Heart rate"
    assert Thread.objects.get(pk=owner_thread.pk).title == "Heart rate"


def test_rename_by_json_body(api, owner, owner_thread):
    body = api.put(f"/api/threads/{owner_thread.public_id}", owner, body={"title": "Pulse"}).json()
    assert body["title"] == "Pulse"


def test_rename_moves_updated_at(api, owner, owner_thread):
    before = owner_thread.updated_at
    api.put(f"/api/threads/{owner_thread.public_id}?title=Later", owner)
    assert Thread.objects.get(pk=owner_thread.pk).updated_at > before


@pytest.mark.parametrize(
    ("query", "body", "expected"),
    [
        ("", None, "Title is required"),
        ("?title=", None, "Title cannot be empty"),
        ("?title=%20%20", None, "Title cannot be empty"),
        ("", {"title": "   "}, "Title cannot be empty"),
        ("?title=a", {"title": "b"}, "Title given twice"),
        ("?title=" + "x" * 201, None, "at most 200"),
        ("", {"title": "x" * 201}, "at most 200"),
    ],
)
def test_rename_with_a_bad_title_gets_422_and_changes_nothing(api, owner, owner_thread, query, body, expected):
    detail = assert_error(api.put(f"/api/threads/{owner_thread.public_id}{query}", owner, body=body), 422)
    assert expected in detail
    assert Thread.objects.get(pk=owner_thread.pk).title == "Owner's thread"


def test_delete_removes_the_thread_and_its_messages(api, owner, owner_thread):
    response = api.delete(f"/api/threads/{owner_thread.public_id}", owner)
    assert response.json() == {"message": "Thread deleted successfully"}
    assert not Thread.objects.filter(pk=owner_thread.pk).exists()
    assert not Message.objects.filter(thread_id=owner_thread.pk).exists()
    assert_error(api.get(f"/api/threads/{owner_thread.public_id}", owner), 404)


def test_messages_are_listed_oldest_first_in_the_original_shape(api, owner, owner_thread):
    body = api.get(f"/api/threads/{owner_thread.public_id}/messages", owner).json()
    assert [m["role"] for m in body] == ["user", "assistant"]
    assert {"id", "thread_id", "role", "content", "created_at"} <= body[0].keys()
    assert all(m["thread_id"] == str(owner_thread.public_id) for m in body)
    assert body[0]["content"] == "What is a normal resting heart rate?"


def test_a_reply_being_written_is_listed_only_when_asked_for(api, owner):
    """The original MedBotX stored a reply once it was complete, and its frontend reloads the messages while
    the answer streams: a pending reply would show as an empty bubble. MedBotX's own clients opt in."""
    thread = actions.create_thread(owner.identity)
    actions.start_turn(thread, "What is a normal resting heart rate?", provider="groq", model="m")
    url = f"/api/threads/{thread.public_id}/messages"
    assert [m["role"] for m in api.get(url, owner).json()] == ["user"]
    assert [m["role"] for m in api.get(url + "?include_pending=false", owner).json()] == ["user"]
    pending = api.get(url + "?include_pending=true", owner).json()
    assert [(m["role"], m["status"]) for m in pending] == [("user", "complete"), ("assistant", "streaming")]
    assert_error(api.get(url + "?include_pending=perhaps", owner), 422)

    reply = Message.objects.get(thread=thread, role="assistant")
    replies.finish(reply, "About 60 to 100 beats a minute.", status=Message.Status.COMPLETE)
    assert [m["content"] for m in api.get(url, owner).json()][-1] == "About 60 to 100 beats a minute."
    Message.objects.filter(pk=reply.pk).update(status=Message.Status.ERROR)
    assert [m["status"] for m in api.get(url, owner).json()] == ["complete", "error"]  # finished, even if failed


def test_messages_with_equal_timestamps_keep_insertion_order(api, owner):
    thread = actions.create_thread(owner.identity)
    now = timezone.now()
    for i in range(5):
        Message.objects.create(thread=thread, role="user", content=str(i), created_at=now)
    assert [m["content"] for m in api.get(f"/api/threads/{thread.public_id}/messages", owner).json()] == list("01234")


@pytest.mark.parametrize("count", [1, 40])
def test_listing_messages_takes_a_fixed_number_of_queries(api, owner, django_assert_num_queries, count):
    thread = actions.create_thread(owner.identity)
    for i in range(count):
        actions.append_message(thread, "user" if i % 2 == 0 else "assistant", f"message {i}")
    # 1 for the token's user, 1 for the thread, 1 for its messages, whatever the length.
    with django_assert_num_queries(3):
        response = api.get(f"/api/threads/{thread.public_id}/messages", owner)
    assert len(response.json()) == count


def test_listing_threads_takes_a_fixed_number_of_queries(api, owner, django_assert_num_queries):
    for i in range(30):
        actions.create_thread(owner.identity, f"t{i}")
    with django_assert_num_queries(2):
        assert len(api.get("/api/threads/", owner).json()) == 30


def test_the_list_is_capped_by_a_setting(api, owner, settings):
    settings.THREAD_LIST_LIMIT = 3
    for i in range(5):
        actions.create_thread(owner.identity, f"t{i}")
    assert len(api.get("/api/threads/", owner).json()) == 3


@pytest.mark.parametrize(
    ("question", "title"),
    [
        ("what are the symptoms of type 2 diabetes?", "Symptoms of type 2 diabetes"),
        ("hi! can you tell me about asthma", "Asthma"),
        ("¿qué es la diabetes?", "Diabetes"),
        ("ok so my knee hurts when I run", "My knee hurts when I run"),
        ("Hello", "Hello"),  # nothing left: the question as it was
        ("why " * 40, "Why" + " why" * 14 + "…"),  # cut at a word, within 60 characters
    ],
)
def test_a_thread_is_titled_from_its_first_question_without_the_asking_words(question, title):
    from conversations.actions import title_from

    assert title_from(question) == title
