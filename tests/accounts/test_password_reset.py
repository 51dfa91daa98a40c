"""Password reset by e-mail, with Django's own views: the link arrives, works once, and sets the password;
an unknown address gets the same page and no e-mail; requests are limited."""

import re

import pytest
from django.core import mail
from django.test import Client

from accounts.models import User
from tests.conftest import PASSWORD, make_user

pytestmark = pytest.mark.django_db
NEW_PASSWORD = "a brand new passphrase 42"


def ask(client: Client, email: str):
    return client.post("/password-reset/", {"email": email})


def link_in(message) -> str:
    found = re.search(r"https?://[^/\s]+(/password-reset/[^\s]+/)", message.body)
    assert found, message.body
    return found.group(1)


def test_the_login_page_offers_a_reset():
    assert b'href="/password-reset/"' in Client().get("/login/").content


def test_a_reset_link_sets_a_new_password_once():
    user = make_user("ada@example.com")
    client = Client()
    response = ask(client, "ADA@example.com")
    assert response.status_code == 302 and response["Location"] == "/password-reset/sent/"
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["ada@example.com"]
    assert mail.outbox[0].subject == "Reset your MedBotX password"
    page = client.get(link_in(mail.outbox[0]), follow=True)  # Django moves the token out of the address
    assert page.status_code == 200 and b"Choose a new password" in page.content
    done = client.post(page.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done.status_code == 302 and done["Location"] == "/password-reset/done/"
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD) and not user.check_password(PASSWORD)
    again = Client().get(link_in(mail.outbox[0]), follow=True)
    assert b"This link does not work" in again.content


def test_an_unknown_address_gets_the_same_answer_and_no_e_mail():
    response = ask(Client(), "nobody@example.com")
    assert response.status_code == 302 and response["Location"] == "/password-reset/sent/"
    assert mail.outbox == []


def test_a_weak_new_password_is_refused_with_its_reason():
    make_user("ada@example.com")
    client = Client()
    ask(client, "ada@example.com")
    page = client.get(link_in(mail.outbox[0]), follow=True)
    response = client.post(page.redirect_chain[-1][0], {"new_password1": "12345678", "new_password2": "12345678"})
    assert response.status_code == 400 and b'aria-invalid="true"' in response.content
    assert User.objects.get(email="ada@example.com").check_password(PASSWORD)


def test_reset_requests_are_limited_per_address_asked_for(settings):
    make_user("ada@example.com")
    client = Client()
    for _ in range(settings.PASSWORD_RESET_PER_EMAIL_PER_HOUR):
        assert ask(client, "ada@example.com").status_code == 302
    refused = ask(client, "ada@example.com")
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    assert b"Too many password reset requests" in refused.content
    assert len(mail.outbox) == settings.PASSWORD_RESET_PER_EMAIL_PER_HOUR


def test_a_bad_address_is_refused_with_its_reason():
    response = ask(Client(), "not an address")
    assert response.status_code == 400 and b"Enter a valid email address" in response.content


def test_smtp_is_configured_from_the_environment_and_the_console_otherwise():
    import os
    import subprocess
    import sys
    from pathlib import Path

    code = (
        "import django; django.setup(); from django.core import mail; c = mail.mailers.default; "
        "print(type(c).__module__, getattr(c, 'host', ''), getattr(c, 'port', ''), getattr(c, 'use_ssl', ''))"
    )
    base = {**os.environ, "DJANGO_SETTINGS_MODULE": "medbotx.settings", "DEBUG": "1"}
    base.pop("EMAIL_HOST", None)
    root = Path(__file__).resolve().parents[2]

    def run(**env: str) -> list[str]:
        done = subprocess.run(
            [sys.executable, "-c", code], env={**base, **env}, cwd=root, capture_output=True, text=True
        )
        assert done.returncode == 0, done.stderr
        return done.stdout.split()

    assert run()[0] == "django.core.mail.backends.console"
    assert run(EMAIL_HOST="smtp.example.com", EMAIL_USE_SSL="true") == [
        "django.core.mail.backends.smtp",
        "smtp.example.com",
        "465",
        "True",
    ]
