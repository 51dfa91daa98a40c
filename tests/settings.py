"""Test settings: the real settings, with a throwaway secret and a fast hasher.

Environment variables still apply (DATABASE_URL selects PostgreSQL for the
second CI run); only what tests cannot run with is changed here.
"""

import os
import secrets

os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(64))

from medbotx.settings import *  # noqa: F403

# Requests in tests are plain HTTP; the production redirect is tested on its own.
SECURE_SSL_REDIRECT = False
# Argon2 is the real first hasher (tested against medbotx.settings); tests hash thousands of times.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *PASSWORD_HASHERS]  # noqa: F405
# The offline answer arrives whole, so its stream's bytes are predictable.
OFFLINE_PACE_MS = 0
# Every test client comes from one address: the abuse limits are generous here, and the tests of the limits
# set their own.
SIGNUP_PER_IP_PER_HOUR = 10_000
LOGIN_PER_IP_PER_MINUTE = 10_000
CHAT_PER_MINUTE = {"user": 10_000, "guest": 10_000, "anonymous": 10_000}
# Tests count the model's requests: the second one a thread's first answer brings (its title) is tested on
# its own (tests/assistant/test_titles.py).
MODEL_TITLES = False
