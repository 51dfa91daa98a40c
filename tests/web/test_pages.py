"""The pages, through Django's test client: landing, guest start, accounts, the chat page, rename and delete.
Everything here works as plain HTML forms (no JavaScript); htmx requests get fragments."""

import uuid
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from accounts.identity import Identity
from accounts.models import User
from conversations import actions
from conversations.models import Message, Thread
from tests.conftest import PASSWORD, make_user

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}


@pytest.fixture
def guest_client() -> Client:
    client = Client()
    assert client.post(reverse("start_guest")).status_code == 302
    assert client.post(reverse("notice")).status_code == 302  # "I understand"
    return client


def guest_identity(client: Client) -> Identity:
    return Identity(guest_id=uuid.UUID(client.session["guest_id"]))


@pytest.fixture
def member() -> tuple[Client, User]:
    user = make_user("member@example.com")
    client = Client()
    assert client.login(username="member@example.com", password=PASSWORD)
    assert client.post(reverse("notice")).status_code == 302
    return client, user


def test_the_landing_page_says_what_medbotx_is_and_is_not(client):
    page = client.get("/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "an AI, not a doctor" in text and "not for emergencies" in text.lower()
    for label in ("Start as guest", "Log in", "Sign up"):
        assert label in text


def test_every_page_has_a_strict_content_security_policy_with_a_nonce(client):
    page = client.get("/")
    policy = page["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "object-src 'none'" in policy and "frame-ancestors 'none'" in policy
    assert "'unsafe-inline'" not in policy and "'unsafe-eval'" not in policy
    nonce = policy.split("'nonce-")[1].split("'")[0]
    assert f'nonce="{nonce}"' in page.content.decode()
    assert "http://" not in page.content.decode().replace("http://www.w3.org", "")  # no CDN, every asset local


def test_the_chat_page_needs_an_identity(client):
    assert client.get("/chat/")["Location"] == "/"


def test_start_as_guest_opens_an_empty_chat(guest_client):
    page = guest_client.get("/chat/")
    assert page.status_code == 200
    assert b"What would you like to know?" in page.content
    assert b'role="log"' in page.content and b'for="message"' in page.content


def test_without_javascript_no_control_shows_that_cannot_work(guest_client):
    """The theme and Chats buttons and the "Enter sends" hint need the script: hidden until it runs, and the
    stylesheet keeps `hidden` hidden even on a button (its display rule used to win)."""
    page = guest_client.get("/chat/").content.decode()
    for marker in ('id="theme-toggle"', 'id="sidebar-toggle"', 'id="composer-hint"'):
        tag = page[page.index(marker) - 200 : page.index(">", page.index(marker))]
        assert " hidden" in tag[tag.rindex("<") :], marker
    css = (Path(__file__).resolve().parents[2] / "static/css/app.css").read_text()
    assert "[hidden] { display: none !important; }" in css


def test_an_empty_chat_offers_everyday_questions_that_work_as_plain_forms(guest_client, settings, library):
    from assistant.pages import STARTERS
    from assistant.safety.triage import triage

    page = guest_client.get("/chat/").content.decode()
    from django.utils.html import escape

    assert all(f'value="{escape(q)}"' in page for q in STARTERS) and 'class="starters"' in page
    assert not any(triage(q).escalates for q in STARTERS)  # safe, everyday questions (both layers)
    settings.MEDBOTX_LLM = "offline"
    response = guest_client.post("/chat/send/", {"message": STARTERS[0]})
    assert response.status_code == 302 and "#msg-" in response["Location"]
    thread_page = guest_client.get(response["Location"].partition("#")[0]).content.decode()
    assert 'class="starters"' not in thread_page  # only on an empty chat


def test_sign_up_errors_are_next_to_their_field_and_nothing_is_created(client):
    page = client.post("/signup/", {"email": "not-an-email", "password": "plum-orchard-42"})
    assert page.status_code == 400
    assert b'id="id_email-error"' in page.content and b'aria-invalid="true"' in page.content
    page = client.post("/signup/", {"email": "new@example.com", "password": "123"})
    assert b'id="id_password-error"' in page.content and b"too short" in page.content
    assert not User.objects.filter(email="new@example.com").exists()


def test_sign_up_shows_every_field_s_error_at_once(client):
    page = client.post("/signup/", {"email": "not-an-email", "password": "123"})
    assert page.status_code == 400
    assert b'id="id_email-error"' in page.content and b'id="id_password-error"' in page.content
    assert b"too short" in page.content and b"entirely numeric" in page.content  # every password rule
    User.objects.create_user(email="ada@example.com", password="plum-orchard-42")
    page = client.post("/signup/", {"email": "ADA@example.com", "password": "password"})
    assert b"Email already registered" in page.content and b"too common" in page.content


def test_sign_up_after_chatting_as_a_guest_keeps_the_guests_threads(guest_client):
    thread = actions.create_thread(guest_identity(guest_client), "My rash")
    response = guest_client.post("/signup/", {"email": "ada@example.com", "password": "plum-orchard-42"})
    assert response.status_code == 302 and response["Location"] == "/chat/"
    thread.refresh_from_db()
    assert thread.owner.email == "ada@example.com" and thread.guest_id is None
    assert b"My rash" in guest_client.get("/chat/").content
    assert "guest_id" not in guest_client.session


def test_log_in_claims_guest_threads_and_log_out_ends_the_session(guest_client):
    user = make_user("bo@example.com")
    thread = actions.create_thread(guest_identity(guest_client), "Sleep")
    bad = guest_client.post("/login/", {"email": "bo@example.com", "password": "wrong-password"})
    assert bad.status_code == 400 and b"Incorrect email or password" in bad.content
    assert guest_client.post("/login/", {"email": "BO@example.com", "password": PASSWORD}).status_code == 302
    thread.refresh_from_db()
    assert thread.owner == user
    assert guest_client.post("/logout/").status_code == 302
    assert guest_client.get("/chat/")["Location"] == "/"
    assert guest_client.post("/login/", {"email": "bo@example.com", "password": PASSWORD}).status_code == 302
    # The notice accepted as a guest was carried into the account: no need to accept it again.
    assert b"Sleep" in guest_client.get(f"/chat/{thread.public_id}/").content


def test_login_next_only_goes_to_this_site(client):
    make_user("cy@example.com")
    response = client.post("/login/?next=https://evil.example/", {"email": "cy@example.com", "password": PASSWORD})
    assert response["Location"] == "/chat/"


def test_someone_elses_thread_is_a_404_page(member):
    client, _user = member
    other = actions.create_thread(Identity(user=make_user("other@example.com")), "Private")
    for url in (f"/chat/{other.public_id}/", f"/chat/{other.public_id}/delete/"):
        page = client.get(url)
        assert page.status_code == 404 and b"Private" not in page.content and b"Not found" in page.content
    assert client.post(f"/chat/{other.public_id}/rename/", {"title": "Mine"}).status_code == 404
    assert client.post(f"/chat/{other.public_id}/delete/").status_code == 404
    assert client.post(f"/chat/{other.public_id}/send/", {"message": "hi"}).status_code == 404
    other.refresh_from_db()
    assert other.title == "Private" and Message.objects.count() == 0


def test_rename_as_a_form_and_with_htmx(member):
    client, user = member
    thread = actions.create_thread(Identity(user=user), "Old")
    assert client.post(f"/chat/{thread.public_id}/rename/", {"title": "  New  "}).status_code == 302
    thread.refresh_from_db()
    assert thread.title == "New"
    fragment = client.post(f"/chat/{thread.public_id}/rename/", {"title": "Newer", "current": "1"}, headers=HTMX)
    assert fragment.status_code == 200 and fragment.content.decode().strip().startswith("<li")
    assert b"Newer" in fragment.content and b'aria-current="page"' in fragment.content
    assert b'maxlength="200"' in fragment.content  # the limit the API and the database keep
    bad = client.post(f"/chat/{thread.public_id}/rename/", {"title": "   "}, headers=HTMX)
    assert bad.status_code == 422 and b"Title cannot be empty" in bad.content
    thread.refresh_from_db()
    assert thread.title == "Newer"


def test_delete_asks_first_then_deletes(member):
    client, user = member
    thread = actions.create_thread(Identity(user=user), "Gone soon")
    confirm = client.get(f"/chat/{thread.public_id}/delete/")
    assert confirm.status_code == 200 and b"Delete for good" in confirm.content
    assert Thread.objects.filter(pk=thread.pk).exists()
    assert client.post(f"/chat/{thread.public_id}/delete/")["Location"] == "/chat/"
    assert not Thread.objects.filter(pk=thread.pk).exists()


def test_deleting_the_open_thread_with_htmx_redirects_and_another_just_disappears(member):
    client, user = member
    one, two = (actions.create_thread(Identity(user=user), t) for t in ("One", "Two"))
    response = client.post(f"/chat/{one.public_id}/delete/", {"current": "1"}, headers=HTMX)
    assert response.status_code == 204 and response["HX-Redirect"] == "/chat/"
    response = client.post(f"/chat/{two.public_id}/delete/", {"current": "0"}, headers=HTMX)
    assert response.status_code == 200 and response.content == b""
    assert Thread.objects.count() == 0


def test_the_sidebar_lists_only_the_callers_threads(member):
    client, user = member
    actions.create_thread(Identity(user=user), "Mine")
    actions.create_thread(Identity(user=make_user("x@example.com")), "Theirs")
    page = client.get("/chat/").content
    assert b"Mine" in page and b"Theirs" not in page


def test_a_message_with_markup_is_shown_as_text(member):
    client, user = member
    thread = actions.create_thread(Identity(user=user), "Markup")
    evil = '<script>alert(1)</script> <img src=x onerror="alert(2)"> [click](javascript:alert(3))'
    actions.append_message(thread, Message.Role.USER, evil)
    actions.append_message(thread, Message.Role.ASSISTANT, f"You wrote: {evil} **bold**")
    page = client.get(f"/chat/{thread.public_id}/").content.decode()
    assert "<script>alert(1)" not in page and "<img src=x" not in page and 'href="javascript:' not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<strong>bold</strong>" in page


def test_a_failed_answer_says_what_happened_in_its_own_style_not_a_form_error_s(member):
    client, user = member
    thread = actions.create_thread(Identity(user=user), "Failed")
    actions.append_message(thread, Message.Role.USER, "what is asthma?")
    reply = actions.append_message(thread, Message.Role.ASSISTANT, "Asthma is")
    Message.objects.filter(pk=reply.pk).update(
        status=Message.Status.ERROR, error="The assistant could not be reached. Please try again in a moment."
    )
    page = client.get(f"/chat/{thread.public_id}/").content.decode()
    assert 'class="msg assistant status-error"' in page and 'class="msg assistant error"' not in page
    assert "The assistant could not be reached" in page and "took too long" not in page


def test_first_use_asks_for_the_notice_and_remembers_it(client, settings):
    client.post("/start/")
    response = client.get("/chat/")
    assert response.status_code == 302 and response["Location"] == "/notice/?next=/chat/"
    page = client.get("/notice/?next=/chat/").content.decode()
    assert "an AI, not a doctor" in page and "not for emergencies" in page and 'href="tel:911"' in page
    assert client.post("/notice/", {"next": "/chat/"})["Location"] == "/chat/"
    assert client.get("/chat/").status_code == 200
    assert client.post("/chat/send/", {"message": "   "}).status_code == 422  # past the notice, to the form check


def test_a_new_wording_asks_again(guest_client, settings):
    assert guest_client.get("/chat/").status_code == 200
    settings.MEDBOTX_NOTICE_VERSION = "2027-01-01"
    assert guest_client.get("/chat/")["Location"].startswith("/notice/")
    assert guest_client.post("/chat/send/", {"message": "hi"})["Location"] == "/notice/"


def test_a_members_acceptance_follows_them_to_another_browser(member):
    _client, user = member
    user.refresh_from_db()
    fresh = Client()
    assert fresh.login(username="member@example.com", password=PASSWORD)
    assert fresh.get("/chat/").status_code == 200


def test_the_notice_and_the_emergency_number_follow_the_region(guest_client, settings):
    settings.MEDBOTX_REGION = "UK"
    page = guest_client.get("/chat/").content.decode()
    assert 'href="tel:999"' in page and "Samaritans" in page and "116 123" in page and "911" not in page
    settings.MEDBOTX_REGION = "AU"
    settings.MEDBOTX_EMERGENCY_NUMBER = ""
    page = guest_client.get("/chat/").content.decode()
    assert 'href="tel:000"' in page and "13 11 14" in page


def test_the_sidebar_groups_threads_by_date():
    import datetime as dt
    import uuid

    from django.utils import timezone

    from assistant.pages import by_date
    from conversations.statements import ThreadRow

    now = timezone.make_aware(dt.datetime(2026, 12, 2, 15, 0))

    def row(n: int, days: float) -> ThreadRow:
        at = now - dt.timedelta(days=days)
        return ThreadRow(n, uuid.uuid4(), f"t{n}", False, at, at)

    rows = [row(1, 0.1), row(2, 1), row(3, 3), row(4, 7), row(5, 8), row(6, 400)]
    groups = by_date(rows, now)
    assert [(label, [r.pk for r in found]) for label, found in groups] == [
        ("Today", [1]),
        ("Yesterday", [2]),
        ("Previous 7 days", [3, 4]),
        ("Older", [5, 6]),
    ]
    assert [label for label, _found in by_date([row(7, 2)], now)] == ["Previous 7 days"]  # empty groups left out


def test_the_sidebar_shows_its_date_headings(member):
    client, user = member
    actions.create_thread(Identity(user=user), "Fresh")
    page = client.get("/chat/").content.decode()
    assert '<h2 class="thread-group" id="group-1">Today</h2>' in page and ">Fresh<" in page


def test_each_message_shows_when_it_was_written(member):
    client, user = member
    thread = actions.create_thread(Identity(user=user), "Times")
    question = actions.append_message(thread, Message.Role.USER, "what is asthma?")
    actions.append_message(thread, Message.Role.ASSISTANT, "Asthma is a condition of the airways.")
    page = client.get(f"/chat/{thread.public_id}/").content.decode()
    assert page.count('<time class="when" datetime="') == 2
    assert f'datetime="{question.created_at.isoformat()}"' in page


def test_a_message_just_sent_is_shown_without_looking_up_earlier_versions(django_assert_num_queries):
    from assistant.pages import entry

    thread = actions.create_thread(Identity(guest_id=uuid.uuid4()))
    question, reply = actions.start_turn(thread, "what helps a cold", provider="offline", model="library")
    with django_assert_num_queries(0):
        entry(question, thread, new=True)
        entry(reply, thread)  # still being written: its earlier versions are not shown either
    with django_assert_num_queries(1):
        entry(question, thread)
