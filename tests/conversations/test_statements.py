"""The hot-path statements written once (conversations/statements.py, accounts/tokens.py) give what their
ORM equivalents give, on the database the suite runs on (SQLite, and PostgreSQL in CI)."""

import uuid
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.identity import Identity
from accounts.models import User
from accounts.tokens import user_by_public_id
from conversations import actions, statements
from conversations.models import Message, Thread, ThreadQuerySet
from tests.conftest import PASSWORD, make_user

pytestmark = pytest.mark.django_db


def fields(instance) -> dict:
    return {f.attname: getattr(instance, f.attname) for f in type(instance)._meta.concrete_fields}


def test_a_thread_by_its_public_id_is_the_orm_s_thread_with_every_field():
    user = make_user("fields@example.com")
    thread = actions.create_thread(Identity(user=user), "Sleep")
    Thread.objects.filter(pk=thread.pk).update(flagged=True, moderation_note="looked at", is_guest=False)

    found = statements.thread_by_public_id(thread.public_id)

    assert isinstance(found, Thread)
    assert fields(found) == fields(Thread.objects.get(pk=thread.pk))
    assert isinstance(found.public_id, uuid.UUID) and found.updated_at.tzinfo is not None
    assert found.messages.count() == 0  # a usable instance: relations work
    # Loaded as the ORM loads one: from the database, nothing deferred, so saving it updates its row.
    assert (found._state.adding, found._state.db, found.get_deferred_fields()) == (False, "default", set())
    found.title = "Sleep, renamed"
    with CaptureQueriesContext(connection) as queries:
        found.save()
    assert [q["sql"].split()[0] for q in queries] == ["UPDATE"]
    assert Thread.objects.get(pk=thread.pk).title == "Sleep, renamed" and Thread.objects.count() == 1
    assert statements.thread_by_public_id(uuid.uuid4()) is None


def test_a_guest_thread_keeps_its_guest_id():
    guest = uuid.uuid4()
    thread = actions.create_thread(Identity(guest_id=guest))
    found = statements.thread_by_public_id(thread.public_id)
    assert found.guest_id == guest and found.owner_id is None
    assert found.is_accessible_by(Identity(guest_id=guest))


@pytest.mark.parametrize("kind", ["user", "guest"])
def test_the_visible_threads_are_the_orm_s_in_its_order(kind):
    user = make_user("lists@example.com")
    identity = Identity(user=user) if kind == "user" else Identity(guest_id=uuid.uuid4())
    other = Identity(user=make_user("other@example.com"))
    now = timezone.now()
    mine = [actions.create_thread(identity, f"t{i}") for i in range(6)]
    actions.create_thread(other, "not mine")
    actions.create_thread(Identity(guest_id=uuid.uuid4()), "another guest's")
    actions.create_thread(Identity(), "nobody's")
    Thread.objects.filter(pk=mine[0].pk).update(hidden=True)
    # Three share one time: the newest id first breaks the tie.
    Thread.objects.filter(pk__in=[t.pk for t in mine[1:4]]).update(updated_at=now - timedelta(hours=1))
    Thread.objects.filter(pk=mine[4].pk).update(updated_at=now - timedelta(days=3))

    for limit in (2, 4, 100):
        expected = Thread.objects.visible_to(identity)[:limit]
        got = statements.visible_threads(identity, limit)
        # Each value as the ORM converts it (aware datetimes, UUIDs, booleans), in the ORM's order.
        listed = ("id", "public_id", "title", "is_guest", "created_at", "updated_at")
        assert [tuple(t) for t in got] == list(expected.values_list(*listed))
        types = [[type(value) for value in row] for row in got]
        assert types == [[type(value) for value in row] for row in expected.values_list(*listed)]
    assert mine[0].pk not in [t.pk for t in statements.visible_threads(identity, 100)]
    assert len(statements.visible_threads(identity, 100)) == 5


def test_the_list_states_no_rule_of_its_own_it_follows_visible_to(monkeypatch):
    """Which threads a caller may list is said once, in ThreadQuerySet.visible_to: change it and the list's
    compiled statement changes with it. And the list is one query, compiled once per kind of caller."""
    identity = Identity(guest_id=uuid.uuid4())
    kept, flagged = actions.create_thread(identity, "kept"), actions.create_thread(identity, "flagged")
    Thread.objects.filter(pk=flagged.pk).update(flagged=True)
    with CaptureQueriesContext(connection) as queries:
        assert {t.pk for t in statements.visible_threads(identity, 10)} == {kept.pk, flagged.pk}
    assert len(queries) == 1

    original = ThreadQuerySet.visible_to
    monkeypatch.setattr(ThreadQuerySet, "visible_to", lambda qs, who: original(qs, who).filter(flagged=False))
    statements._visible_statement.cache_clear()
    try:
        assert [t.pk for t in statements.visible_threads(identity, 10)] == [kept.pk]
    finally:
        statements._visible_statement.cache_clear()


def test_a_caller_with_no_identity_has_no_list_though_threads_of_nobody_exist():
    actions.create_thread(Identity(), "nobody's")
    actions.create_thread(Identity(guest_id=uuid.uuid4()), "a guest's")
    assert statements.visible_threads(Identity(), 10) == []


def test_a_guest_does_not_list_a_claimed_thread_that_still_carries_its_guest_id():
    guest = uuid.uuid4()
    own = actions.create_thread(Identity(guest_id=guest), "still mine")
    claimed = actions.create_thread(Identity(guest_id=guest), "claimed")
    Thread.objects.filter(pk=claimed.pk).update(owner=make_user("claimer@example.com"))  # guest_id left as it was
    listed = statements.visible_threads(Identity(guest_id=guest), 10)
    assert [t.pk for t in listed] == [own.pk] == [t.pk for t in Thread.objects.visible_to(Identity(guest_id=guest))]


def stored_columns(model, pk) -> tuple:
    """A row's columns as the database holds them, before Django converts anything."""
    columns = ", ".join(connection.ops.quote_name(f.column) for f in model._meta.concrete_fields)
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {columns} FROM {table} WHERE id = %s", [pk])  # noqa: S608 (names from _meta)
        return tuple(cursor.fetchone())


def test_the_history_is_the_orm_s_newest_first_without_empty_messages():
    thread = actions.create_thread(Identity(guest_id=uuid.uuid4()))
    same_time = timezone.now()
    for i in range(7):
        actions.append_message(thread, "user" if i % 2 == 0 else "assistant", f"m{i}")
    actions.append_message(thread, "assistant", "")  # a reply with no text yet
    Message.objects.filter(thread=thread, content__in=["m2", "m3"]).update(created_at=same_time)

    for limit in (1, 3, 50):
        expected = list(
            thread.messages.exclude(content="").order_by("-created_at", "-id").values_list("role", "content")[:limit]
        )
        assert statements.history(thread.pk, limit) == [tuple(row) for row in expected]
    assert len(statements.history(thread.pk, 50)) == 7


def test_updating_a_message_stores_what_the_orm_would():
    thread = actions.create_thread(Identity(guest_id=uuid.uuid4()))
    _question, reply = actions.start_turn(thread, "hello", provider="groq", model="m", first=True)
    twin = Message.objects.get(pk=reply.pk)
    later = timezone.now() + timedelta(seconds=5)
    values = {
        "content": "An answer — with “quotes” and émoji 🙂",
        "status": Message.Status.ERROR,
        "lease_until": None,
        "retry_after": 2.5,
        "prompt_tokens": 12,
        "completion_tokens": 34,
        "error": "The model's server failed",
        "updated_at": later,
    }

    assert statements.update_message(reply.pk, **values) == 1

    stored = Message.objects.get(pk=reply.pk)
    for name, value in values.items():
        setattr(twin, name, value)
    twin.save()
    assert fields(stored) == fields(Message.objects.get(pk=twin.pk))
    assert stored.updated_at == later
    # Stored in the same form, not only read back the same: a datetime kept as differently formatted text
    # in SQLite would read back equal and sort differently.
    Message.objects.filter(pk=twin.pk).update(**values)
    assert stored_columns(Message, reply.pk) == stored_columns(Message, twin.pk)
    assert statements.update_message(reply.pk) == 0  # nothing to set: nothing runs, as with the ORM


def test_a_guarded_update_changes_nothing_when_the_status_or_the_worker_differs():
    thread = actions.create_thread(Identity(guest_id=uuid.uuid4()))
    _question, reply = actions.start_turn(thread, "hello", provider="groq", model="m", worker="here")
    streaming = (Message.Status.STREAMING,)
    assert statements.update_message(reply.pk, only_status=streaming, only_worker="here", content="partial") == 1
    assert statements.update_message(reply.pk, only_status=streaming, only_worker="there", content="x") == 0
    either = (Message.Status.STREAMING, Message.Status.CANCELLED)
    Message.objects.filter(pk=reply.pk).update(status=Message.Status.CANCELLED)
    assert statements.update_message(reply.pk, only_status=streaming, content="more") == 0
    assert Message.objects.get(pk=reply.pk).content == "partial"
    assert statements.update_message(reply.pk, only_status=either, content="last") == 1
    assert Message.objects.get(pk=reply.pk).content == "last"


def test_touching_a_thread_moves_its_time_and_sets_a_title_when_given():
    thread = actions.create_thread(Identity(guest_id=uuid.uuid4()))
    later = timezone.now() + timedelta(minutes=1)
    statements.touch_thread(thread.pk, later)
    twin = actions.create_thread(Identity(guest_id=thread.guest_id))
    Thread.objects.filter(pk=twin.pk).update(updated_at=later)
    at = [f.name for f in Thread._meta.concrete_fields].index("updated_at")
    assert stored_columns(Thread, thread.pk)[at] == stored_columns(Thread, twin.pk)[at]  # the same stored form
    stored = Thread.objects.get(pk=thread.pk)
    assert stored.updated_at == later and stored.title == thread.title
    statements.touch_thread(thread.pk, later + timedelta(minutes=1), "Knee pain")
    stored = Thread.objects.get(pk=thread.pk)
    assert stored.updated_at == later + timedelta(minutes=1) and stored.title == "Knee pain"


def test_a_user_by_public_id_is_the_orm_s_user():
    user = make_user("token@example.com")
    found = user_by_public_id(user.public_id)
    assert isinstance(found, User) and fields(found) == fields(User.objects.get(pk=user.pk))
    assert found.check_password(PASSWORD) and found.is_active
    assert user_by_public_id(uuid.uuid4()) is None
