"""Moderators review SafetyEvents in admin: a queue with filters, a link to the thread, mark reviewed."""

import pytest
from django.urls import reverse

from accounts.identity import Identity
from accounts.models import User
from assistant.models import SafetyEvent
from assistant.turns import begin_turn

pytestmark = pytest.mark.django_db


@pytest.fixture
def events():
    from conversations import actions

    thread = actions.create_thread(Identity(), "Chest pain tonight")
    begin_turn(Identity(), thread, "crushing chest pain down my left arm", provider="offline", model="m")
    begin_turn(Identity(), thread, "I want to end my life", provider="offline", model="m")
    return thread


def test_the_queue_lists_escalations_with_filters_and_a_thread_link(moderator, events):
    url = reverse("admin:assistant_safetyevent_changelist")
    page = moderator.get(url)
    assert page.status_code == 200
    text = page.content.decode()
    assert "crushing chest pain" in text and "I want to end my life" in text
    assert reverse("admin:conversations_thread_change", args=[events.pk]) in text
    only_crisis = moderator.get(url, {"safety_class__exact": "crisis"}).content.decode()
    assert "I want to end my life" in only_crisis and "crushing chest pain" not in only_crisis
    assert "heart_attack" in moderator.get(url, {"category__exact": "heart_attack"}).content.decode()
    assert moderator.get(url, {"reviewed__exact": "0"}).status_code == 200


def test_mark_reviewed_records_who_and_when(moderator, events):
    url = reverse("admin:assistant_safetyevent_changelist")
    ids = list(SafetyEvent.objects.values_list("pk", flat=True))
    moderator.post(url, {"action": "mark_reviewed", "_selected_action": ids})
    mod = User.objects.get(email="mod@example.com")
    assert all(e.reviewed and e.reviewed_by == mod and e.reviewed_at for e in SafetyEvent.objects.all())
    moderator.post(url, {"action": "mark_unreviewed", "_selected_action": ids[:1]})
    back = SafetyEvent.objects.get(pk=ids[0])
    assert not back.reviewed and back.reviewed_by is None and back.reviewed_at is None


def test_reviewing_one_event_from_its_page(moderator, events):
    event = SafetyEvent.objects.first()
    url = reverse("admin:assistant_safetyevent_change", args=[event.pk])
    assert moderator.get(url).status_code == 200
    assert moderator.post(url, {"reviewed": "on", "review_note": "Called back; fine."}).status_code == 302
    event.refresh_from_db()
    assert event.reviewed and event.reviewed_by.email == "mod@example.com" and event.review_note == "Called back; fine."
    assert moderator.get(reverse("admin:assistant_safetyevent_add")).status_code == 403
