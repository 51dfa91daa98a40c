"""The pages in English and Spanish (Django's i18n): the language from the browser or the person's choice,
remembered on their account; the API stays in English whatever the request says; the catalogue is complete."""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from accounts.models import User
from assistant.providers import errors
from tests.conftest import PASSWORD, make_user

pytestmark = pytest.mark.django_db
ROOT = Path(settings.BASE_DIR)
CATALOGUE = ROOT / "locale" / "es" / "LC_MESSAGES" / "django.po"
SPANISH = {"HTTP_ACCEPT_LANGUAGE": "es-MX,es;q=0.9,en;q=0.5"}


def es(text: str) -> str:
    """`text` in Spanish, from the compiled catalogue; a string left untranslated fails here, not silently."""
    with translation.override("es"):
        found = gettext(text)
    assert found != text, f"no Spanish for {text!r}: is locale/es compiled (make messages)?"
    return found


def test_the_browser_language_chooses_the_pages_language(client):
    english = client.get("/").content.decode()
    assert '<html lang="en"' in english and "Start as guest" in english

    page = client.get("/", **SPANISH)
    text = page.content.decode()
    assert '<html lang="es"' in text and page["Content-Language"] == "es"
    assert es("Start as guest") in text and "Start as guest" not in text
    assert es("MedBotX is an AI, not a doctor.") in text
    assert "Accept-Language" in page["Vary"]  # a cache keeps the two languages apart


def test_the_chat_page_and_its_safety_notice_in_spanish(client):
    client.post(reverse("start_guest"), **SPANISH)
    client.post(reverse("notice"), **SPANISH)
    text = client.get(reverse("chat"), **SPANISH).content.decode()
    assert es("Ask a health question…") in text and es("New chat") in text
    # The notice names the region's crisis line in Spanish, with its number.
    assert "Línea" in text and 'href="tel:988"' in text and 'href="tel:911"' in text
    with translation.override("es"):
        from assistant.pages import STARTERS

        spanish_starters = [str(q) for q in STARTERS]
    assert all(q in text for q in spanish_starters)


def test_the_switch_remembers_the_choice_in_the_browser(client):
    response = client.post(reverse("set_language"), {"language": "es", "next": "/"})
    assert response.status_code == 302 and response["Location"] == "/"
    cookie = response.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert cookie.value == "es" and cookie["httponly"] and cookie["samesite"] == "Lax"
    assert es("Start as guest") in client.get("/").content.decode()  # no Accept-Language: the choice wins
    # ... over the browser's language too
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert "Start as guest" in client.get("/", **SPANISH).content.decode()


def test_the_switch_refuses_an_unknown_language_and_a_foreign_next(client):
    response = client.post(reverse("set_language"), {"language": "xx"})
    assert response.status_code == 400 and "en, es" in response.content.decode()
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies
    response = client.post(reverse("set_language"), {"language": "es", "next": "https://evil.example/"})
    assert response.status_code == 302 and response["Location"] == reverse("chat")
    assert client.get(reverse("set_language")).status_code == 405


def test_the_choice_follows_the_person_to_another_browser():
    user = make_user("ana@example.com")
    first = Client()
    first.login(username=user.email, password=PASSWORD)
    first.post(reverse("set_language"), {"language": "es", "next": "/"})
    user.refresh_from_db()
    assert user.language == "es"

    elsewhere = Client()  # a new browser, in English
    response = elsewhere.post(reverse("login"), {"email": user.email, "password": PASSWORD})
    assert response.status_code == 302 and response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "es"
    assert es("Log out") in elsewhere.get("/").content.decode()


def test_a_new_account_keeps_the_language_chosen_before_signing_up():
    browser = Client()
    browser.post(reverse("set_language"), {"language": "es", "next": "/"})
    response = browser.post(reverse("signup"), {"email": "new@example.com", "password": PASSWORD})
    assert response.status_code == 302
    user = User.objects.get(email="new@example.com")
    assert user.language == "es"
    browser.post(reverse("notice"))
    assert browser.get(reverse("account_export")).json()["account"]["language"] == "es"  # in their data too


def test_form_errors_are_in_the_pages_language(client):
    text = client.post(reverse("login"), {"email": "x@example.com", "password": "wrong"}, **SPANISH).content.decode()
    assert es("Incorrect email or password.") in text


def test_the_api_answers_in_english_whatever_the_request_says(client):
    token = client.post("/api/auth/guest", **SPANISH).json()["access_token"]
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}", **SPANISH}
    thread = client.post("/api/threads/", "{}", content_type="application/json", **auth).json()["id"]
    body = {"thread_id": thread, "message": "   "}
    response = client.post("/api/chat/stream", body, content_type="application/json", **auth)
    assert response.status_code == 422 and response.json()["detail"] == "Message cannot be empty"
    assert "Content-Language" not in response


def test_a_stored_error_is_shown_in_the_pages_language():
    with translation.override("en"):
        stored = errors.with_wait(errors.BUSY, 30)
    with translation.override("es"):
        assert errors.with_wait(errors.BUSY, 30) == stored  # stored in English whatever the page's language
        shown = errors.for_page(stored, 30)
        assert shown.startswith(gettext(errors.BUSY)) and "30" in shown and shown != stored
        assert errors.for_page(errors.CUT, None) == gettext(errors.CUT) != errors.CUT
        assert errors.for_page("A sentence from elsewhere.", None) == "A sentence from elsewhere."
        assert errors.for_page("", None) == gettext("The answer could not be completed.")


def test_the_spanish_catalogue_is_complete_and_keeps_every_placeholder():
    catalogue = polib.pofile(str(CATALOGUE))
    assert len(catalogue) > 150
    assert not catalogue.untranslated_entries() and not catalogue.fuzzy_entries()
    assert not catalogue.obsolete_entries()
    placeholder = re.compile(r"%\(\w+\)[sdr]|\{\w+\}|</?[a-z][^>]*>")
    for entry in catalogue:
        originals = [entry.msgid] + ([entry.msgid_plural] if entry.msgid_plural else [])
        translations = list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
        wanted = sorted(set(placeholder.findall(originals[-1])))
        for text in translations:
            assert sorted(set(placeholder.findall(text))) == wanted, entry.msgid


@pytest.mark.skipif(
    shutil.which("xgettext") is None and not os.environ.get("MEDBOTX_REQUIRE_GETTEXT"),
    reason="GNU gettext (xgettext) is not installed",
)
def test_the_catalogue_has_every_string_the_code_marks(tmp_path):
    """makemessages run on a copy of the project finds no string the committed catalogue lacks."""
    for name in ("accounts", "assistant", "conversations", "medbotx", "templates", "locale"):
        shutil.copytree(ROOT / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__", "*.mo", "model"))
    shutil.copy(ROOT / "manage.py", tmp_path)
    command = [sys.executable, "manage.py", "makemessages", "-l", "es", "--add-location=file"]
    env = {**os.environ, "PYTHONPATH": str(tmp_path), "DEBUG": "1", "DJANGO_SETTINGS_MODULE": "medbotx.settings"}
    done = subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-2000:]
    fresh = {e.msgid for e in polib.pofile(str(tmp_path / "locale/es/LC_MESSAGES/django.po")) if not e.obsolete}
    committed = {e.msgid for e in polib.pofile(str(CATALOGUE))}
    assert fresh == committed, (
        f"run make messages-update: new {sorted(fresh - committed)[:5]}, gone {sorted(committed - fresh)[:5]}"
    )


def test_a_catalogue_not_compiled_is_reported_and_compiled(tmp_path):
    from medbotx import translations

    folder = tmp_path / "es" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    shutil.copy(CATALOGUE, folder / "django.po")
    assert translations.stale(tmp_path) == [folder / "django.po"]  # `manage.py check` warns (medbotx.W001)
    assert translations.compile_all(tmp_path) == [folder / "django.mo"]
    assert translations.stale(tmp_path) == [] and polib.mofile(str(folder / "django.mo")).find("Send")


def test_the_switch_on_a_page_answering_a_post_goes_back_to_the_chat(client):
    client.post(reverse("start_guest"))
    client.post(reverse("notice"))
    page = client.post(reverse("send_new"), {"message": "   "}).content.decode()  # the chat page, at /chat/send/
    assert f'name="next" value="{reverse("chat")}"' in page
