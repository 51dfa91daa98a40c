"""Moderators work in Django admin: lists that stay cheap, search, filters, and actions."""

import json
import uuid

import pytest
from django.urls import reverse

from accounts.identity import Identity
from accounts.models import User
from conversations import actions
from conversations.models import Thread
from tests.conftest import PASSWORD, make_user

pytestmark = pytest.mark.django_db


def _populate(n_threads: int) -> None:
    users = [make_user(f"user{i}@example.com") for i in range(5)]
    for i in range(n_threads):
        identity = Identity(guest_id=uuid.uuid4()) if i % 3 == 0 else Identity(user=users[i % len(users)])
        thread = actions.create_thread(identity, f"Thread {i} about sleep")
        actions.append_message(thread, "user", f"question {i} about insomnia")
        actions.append_message(thread, "assistant", f"answer {i}")


@pytest.mark.parametrize("n_threads", [5, 60])
def test_thread_list_takes_a_fixed_number_of_queries(moderator, django_assert_max_num_queries, n_threads):
    _populate(n_threads)
    url = reverse("admin:conversations_thread_changelist")
    with django_assert_max_num_queries(12):
        response = moderator.get(url)
    assert response.status_code == 200
    assert f"Thread {n_threads - 1} about sleep".encode() in response.content


def test_thread_list_shows_owner_message_count_and_moderation(moderator):
    owner = make_user("ada@example.com")
    thread = actions.create_thread(Identity(user=owner), "Chest tightness")
    for text in ("a", "b", "c"):
        actions.append_message(thread, "user", text)
    response = moderator.get(reverse("admin:conversations_thread_changelist"))
    row = response.content.decode()
    assert "ada@example.com" in row and "Chest tightness" in row
    assert '<td class="field-message_count">3</td>' in row


@pytest.mark.parametrize("query", ["insomnia", "user1@example.com", "Thread 4 "])
def test_thread_search_covers_title_owner_and_message_text(moderator, django_assert_max_num_queries, query):
    _populate(12)
    with django_assert_max_num_queries(12):
        response = moderator.get(reverse("admin:conversations_thread_changelist"), {"q": query})
    assert response.status_code == 200
    assert b"0 threads" not in response.content
    assert response.context["cl"].result_count >= 1


def test_thread_filters_work(moderator):
    _populate(6)
    Thread.objects.filter(title="Thread 2 about sleep").update(flagged=True)
    response = moderator.get(reverse("admin:conversations_thread_changelist"), {"flagged__exact": "1"})
    assert [t.title for t in response.context["cl"].result_list] == ["Thread 2 about sleep"]
    response = moderator.get(reverse("admin:conversations_thread_changelist"), {"is_guest__exact": "1"})
    assert response.context["cl"].result_count == 2


def test_thread_page_shows_messages_read_only(moderator):
    _populate(1)
    thread = Thread.objects.get()
    response = moderator.get(reverse("admin:conversations_thread_change", args=[thread.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "question 0 about insomnia" in html and "answer 0" in html
    assert 'name="messages-0-content"' not in html  # not editable


def _act(client, action, threads):
    return client.post(
        reverse("admin:conversations_thread_changelist"),
        {"action": action, "_selected_action": [t.pk for t in threads]},
    )


def test_flag_hide_and_unhide_actions(moderator):
    _populate(3)
    threads = list(Thread.objects.order_by("pk")[:2])
    _act(moderator, "flag", threads)
    _act(moderator, "hide", threads)
    assert Thread.objects.filter(flagged=True, hidden=True).count() == 2
    _act(moderator, "unhide", threads[:1])
    assert Thread.objects.filter(hidden=True).count() == 1
    _act(moderator, "unflag", threads)
    assert not Thread.objects.filter(flagged=True).exists()


def test_export_action_downloads_the_selected_threads_as_json(moderator, django_assert_max_num_queries):
    _populate(4)
    threads = list(Thread.objects.order_by("pk")[:3])
    response = _act(moderator, "export_json", threads)
    assert response["Content-Type"] == "application/json"
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)["threads"]
    assert {t["id"] for t in data} == {str(t.public_id) for t in threads}
    assert all(len(t["messages"]) == 2 for t in data)
    assert data[0]["messages"][0]["role"] == "user"


def test_user_list_search_and_deactivate(moderator, django_assert_max_num_queries):
    for i in range(30):
        make_user(f"person{i}@example.com")
    url = reverse("admin:accounts_user_changelist")
    with django_assert_max_num_queries(10):
        assert moderator.get(url).status_code == 200
    response = moderator.get(url, {"q": "person7@"})
    assert [u.email for u in response.context["cl"].result_list] == ["person7@example.com"]
    target = User.objects.get(email="person7@example.com")
    moderator.post(url, {"action": "deactivate", "_selected_action": [target.pk]})
    target.refresh_from_db()
    assert not target.is_active


def test_a_moderator_cannot_deactivate_themselves_by_accident(moderator):
    me = User.objects.get(email="mod@example.com")
    moderator.post(reverse("admin:accounts_user_changelist"), {"action": "deactivate", "_selected_action": [me.pk]})
    me.refresh_from_db()
    assert me.is_active


def test_admin_can_add_a_user_by_email(moderator):
    response = moderator.post(
        reverse("admin:accounts_user_add"),
        {"email": "New@Example.com", "password1": PASSWORD, "password2": PASSWORD, "usable_password": "true"},
    )
    assert response.status_code == 302, response.content[:2000]
    assert User.objects.filter(email__iexact="new@example.com").exists()
    response = moderator.post(
        reverse("admin:accounts_user_add"),
        {"email": "NEW@example.com", "password1": PASSWORD, "password2": PASSWORD, "usable_password": "true"},
    )
    assert response.status_code == 200  # the form comes back with the error
    assert User.objects.filter(email__iexact="new@example.com").count() == 1
