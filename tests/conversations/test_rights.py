"""People's data rights: export everything as JSON, delete the account and its data at once (API and page)."""

import json

import pytest
from django.test import Client

from accounts.identity import Identity
from accounts.models import User
from assistant.models import SafetyEvent
from assistant.turns import begin_turn
from conversations import actions
from conversations.models import Message, Thread
from tests.conftest import PASSWORD, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def history(owner):
    thread = actions.create_thread(owner.identity, "Sleep")
    begin_turn(owner.identity, thread, "I want to end my life", provider="offline", model="m")
    other = actions.create_thread(Identity(user=make_user("other@example.com")), "Not mine")
    actions.append_message(other, "user", "secret of someone else")
    return thread


def test_export_has_every_thread_message_source_and_safety_event(api, owner, history):
    response = api.get("/api/me/export", owner)
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    data = response.json()
    assert data["account"]["email"] == owner.identity.user.email
    assert [t["title"] for t in data["threads"]] == ["Sleep"]
    messages = data["threads"][0]["messages"]
    assert [m["role"] for m in messages] == ["user", "assistant"]
    assert messages[1]["safety"]["class"] == "crisis"
    assert [e["class"] for e in data["safety_events"]] == ["crisis"]
    assert "someone else" not in json.dumps(data)


def test_only_an_account_can_export_or_delete(api, guest, anonymous):
    for caller in (guest, anonymous):
        assert api.get("/api/me/export", caller).status_code == 401
        assert api.post("/api/me/delete", caller, body={"password": "x"}).status_code == 401


def test_deleting_the_account_needs_the_password_then_removes_everything_at_once(api, owner, history):
    wrong = api.post("/api/me/delete", owner, body={"password": "not-it"})
    assert wrong.status_code == 403 and "nothing was deleted" in wrong.json()["detail"]
    assert Thread.objects.filter(owner=owner.identity.user).exists()
    done = api.post("/api/me/delete", owner, body={"password": PASSWORD})
    assert done.status_code == 200 and done.json() == {"message": "Your account and 1 thread(s) were deleted"}
    assert not User.objects.filter(email=owner.identity.user.email).exists()
    assert not Thread.objects.filter(title="Sleep").exists()
    assert not Message.objects.filter(content="I want to end my life").exists()
    assert SafetyEvent.objects.count() == 0
    assert Thread.objects.filter(title="Not mine").exists()  # nobody else's data
    assert api.get("/api/auth/me", owner).status_code == 401  # the token stops working


def test_the_account_page_downloads_and_deletes(owner, history):
    client = Client()
    user = owner.identity.user
    assert client.login(username=user.email, password=PASSWORD)
    page = client.get("/account/")
    assert page.status_code == 200 and b"Download my data" in page.content and b"Delete my account" in page.content
    download = client.get("/account/export/")
    assert json.loads(download.content)["threads"][0]["title"] == "Sleep"
    wrong = client.post("/account/", {"password": "nope"})
    assert wrong.status_code == 403 and b"nothing was deleted" in wrong.content
    gone = client.post("/account/", {"password": PASSWORD})
    assert gone.status_code == 200 and b"Your account is deleted" in gone.content
    assert not User.objects.filter(pk=user.pk).exists() and not Thread.objects.filter(title="Sleep").exists()
    assert client.get("/account/")["Location"].startswith("/login/")


def test_purge_guests_deletes_idle_threads_no_account_owns(owner, guest):
    import uuid
    from datetime import timedelta

    from django.core.management import call_command
    from django.utils import timezone

    old = timezone.now() - timedelta(days=8)
    guest_old = actions.create_thread(guest.identity, "guest old")
    anonymous_old = actions.create_thread(Identity(), "anonymous old")
    guest_recent = actions.create_thread(Identity(guest_id=uuid.uuid4()), "guest recent")
    member_old = actions.create_thread(owner.identity, "member old")
    actions.append_message(guest_old, "user", "hello")
    Thread.objects.filter(pk__in=[guest_old.pk, anonymous_old.pk, member_old.pk]).update(updated_at=old)
    call_command("purge_guests")
    left = set(Thread.objects.values_list("title", flat=True))
    assert left == {"guest recent", "member old"}
    assert not Message.objects.filter(content="hello").exists()
    Thread.objects.filter(pk=guest_recent.pk).update(updated_at=timezone.now() - timedelta(days=2))
    call_command("purge_guests", days=1)
    assert set(Thread.objects.values_list("title", flat=True)) == {"member old"}
