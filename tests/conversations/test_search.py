"""Searching one's own threads by title and message text, with the database's own full-text search (SQLite
FTS5 kept by triggers, PostgreSQL to_tsvector): the suite runs on both."""

import pytest
from django.test import Client

from accounts.identity import Identity
from conversations import actions
from conversations.models import Message
from conversations.search import search_threads
from tests.conftest import PASSWORD, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    ada, bob = make_user("ada@example.com"), make_user("bob@example.com")
    mine = actions.create_thread(Identity(user=ada), "Sleep")
    actions.append_message(mine, Message.Role.USER, "Why do I wake up at 3am every night?")
    actions.append_message(
        mine, Message.Role.ASSISTANT, "Waking in the night is common; caffeine and stress can cause it."
    )
    other = actions.create_thread(Identity(user=ada), "Dolor de pecho")
    actions.append_message(other, Message.Role.USER, "Me duele el corazón cuando corro")
    theirs = actions.create_thread(Identity(user=bob), "Bob's caffeine question")
    actions.append_message(theirs, Message.Role.USER, "how much caffeine is too much")
    return Identity(user=ada), Identity(user=bob), mine, other, theirs


def titles(identity, query):
    return [row.title for row in search_threads(identity, query)]


def test_a_word_in_any_message_finds_the_thread_and_only_the_caller_s(people):
    ada, bob, *_ = people
    assert titles(ada, "caffeine") == ["Sleep"]
    assert titles(bob, "caffeine") == ["Bob's caffeine question"]
    assert titles(ada, "wake night") == ["Sleep"]  # every word
    assert titles(ada, "wake dragons") == []


def test_titles_are_searched_and_accents_do_not_matter(people):
    ada, *_ = people
    assert titles(ada, "pecho") == ["Dolor de pecho"]
    assert titles(ada, "corazón") == ["Dolor de pecho"]


def test_a_message_changed_or_deleted_is_searched_as_it_is_now(people):
    ada, _bob, mine, *_ = people
    question = mine.messages.get(role="user")
    Message.objects.filter(pk=question.pk).update(content="Why do I snore?")  # the triggers follow updates
    mine.messages.filter(role="assistant").delete()
    assert titles(ada, "caffeine") == [] and titles(ada, "snore") == ["Sleep"]


@pytest.mark.parametrize("query", ['"', "caffeine OR pecho", "NEAR(a b)", "*", "-caffeine", "col:x", "' ; DROP"])
def test_search_syntax_in_a_query_is_only_words(people, query):
    ada, *_ = people
    search_threads(Identity(user=ada.user), query)  # no error, whatever the characters


def test_an_empty_query_finds_nothing(people):
    ada, *_ = people
    assert search_threads(ada, "  ?! ") == []


def test_the_sidebar_searches_with_a_plain_form(people):
    client = Client()
    assert client.login(username="ada@example.com", password=PASSWORD)
    client.post("/notice/")
    page = client.get("/chat/").content.decode()
    assert 'role="search"' in page and 'name="q"' in page
    found = client.get("/chat/?q=caffeine").content.decode()
    assert "Chats with “caffeine”" in found and ">Sleep<" in found and "Dolor de pecho" not in found
    none = client.get("/chat/?q=dragons").content.decode()
    assert "No chat has “dragons”" in none and "Show all chats" in none
