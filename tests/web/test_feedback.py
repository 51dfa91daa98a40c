"""Thumbs up or down on an answer, with an optional comment: stored once per answer, changed by a second
press, visible to moderators in admin, part of the person's export, and nobody else's to rate."""

import pytest
from django.test import Client
from django.urls import reverse

from accounts.identity import Identity
from assistant.models import Feedback
from conversations import actions
from conversations.models import Message
from tests.conftest import PASSWORD, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def answered():
    user = make_user("rater@example.com")
    client = Client()
    assert client.login(username="rater@example.com", password=PASSWORD)
    client.post(reverse("notice"))
    thread = actions.create_thread(Identity(user=user), "Asthma")
    actions.append_message(thread, Message.Role.USER, "what is asthma?")
    reply = actions.append_message(thread, Message.Role.ASSISTANT, "Asthma is a condition of the airways.")
    url = reverse("reply_feedback", args=[thread.public_id, reply.public_id])
    return client, user, thread, reply, url


def test_the_answer_offers_thumbs_and_a_comment_as_a_plain_form(answered):
    client, _user, thread, _reply, url = answered
    page = client.get(f"/chat/{thread.public_id}/").content.decode()
    assert f'action="{url}"' in page and 'name="rating" value="up"' in page and 'name="comment"' in page
    assert page.count('aria-pressed="false"') >= 2


def test_a_rating_is_stored_and_a_second_press_changes_it(answered):
    client, _user, thread, reply, url = answered
    response = client.post(url, {"rating": "up"})
    assert response.status_code == 302 and response["Location"].endswith(f"#reply-{reply.public_id}")
    assert Feedback.objects.get().rating == "up"
    client.post(url, {"rating": "down", "comment": "  It did not say when to see a doctor.  "})
    feedback = Feedback.objects.get()
    assert (feedback.rating, feedback.comment, feedback.thread_id) == (
        "down",
        "It did not say when to see a doctor.",
        thread.pk,
    )
    page = client.get(f"/chat/{thread.public_id}/").content.decode()
    assert 'value="down" class="icon" aria-pressed="true"' in page and "It did not say when" in page


def test_with_htmx_the_form_comes_back_pressed_and_thanked(answered):
    client, _user, _thread, _reply, url = answered
    response = client.post(url, {"rating": "up"}, headers={"HX-Request": "true"})
    body = response.content.decode()
    assert response.status_code == 200 and body.strip().startswith('<form class="feedback"')
    assert 'value="up" class="icon" aria-pressed="true"' in body and "Thanks for your feedback." in body


def test_a_rating_that_is_not_up_or_down_is_refused(answered):
    client, _user, _thread, _reply, url = answered
    assert client.post(url, {"rating": "meh"}, headers={"HX-Request": "true"}).status_code == 400
    page = client.post(url, {})
    assert page.status_code == 400 and "Choose helpful or not helpful." in page.content.decode()
    assert not Feedback.objects.exists()


def test_nobody_else_can_rate_the_answer(answered):
    _client, _user, _thread, _reply, url = answered
    make_user("stranger@example.com")
    stranger = Client()
    stranger.login(username="stranger@example.com", password=PASSWORD)
    stranger.post(reverse("notice"))
    assert stranger.post(url, {"rating": "down"}).status_code == 404
    assert not Feedback.objects.exists()


def test_moderators_see_feedback_in_admin_and_people_get_it_in_their_export(answered, moderator, api):
    client, _user, _thread, _reply, url = answered
    client.post(url, {"rating": "down", "comment": "Too long"})
    page = moderator.get(reverse("admin:assistant_feedback_changelist")).content.decode()
    assert "Too long" in page and "Not helpful" in page
    exported = client.get(reverse("account_export"))
    assert exported.status_code == 200 and b'"rating": "down"' in exported.content.replace(b'":"', b'": "')
