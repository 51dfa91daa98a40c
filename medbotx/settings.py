"""MedBotX settings: one file, every value from the environment.

Each variable is read through a small typed helper that fails loudly on a bad
value, so a typo in production is an error at start-up, not a surprise later.
The README's configuration table lists every variable read here.
"""

import ipaddress
import os
import secrets
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from corsheaders.defaults import default_headers as default_cors_headers
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default).strip()


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be one of 1/0, true/false, yes/no, on/off; got {raw!r}")


def env_int(name: str, default: int, *, minimum: int = 0) -> int:
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return default
    try:
        value = int(raw.strip())
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number; got {raw!r}") from None
    if value < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}; got {value}")
    return value


def env_float(name: str, default: float, *, minimum: float = 0.0) -> float:
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return default
    try:
        value = float(raw.strip())
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a number; got {raw!r}") from None
    if value < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}; got {value}")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return list(default)
    return [item.strip() for item in raw.split(",") if item.strip()]


def _is_real_secret(value: str) -> bool:
    # The same bar as Django's security.W009: long, varied, not a placeholder.
    return len(value) >= 50 and len(set(value)) >= 5 and not value.startswith("django-insecure-")


def _development_secret() -> str:
    """A random key kept in a git-ignored file, so sessions survive restarts in development."""
    path = BASE_DIR / ".dev-secret-key"
    if path.exists():
        return path.read_text().strip()
    key = secrets.token_urlsafe(64)
    path.write_text(key + "\n")
    path.chmod(0o600)
    return key


# --- Core -------------------------------------------------------------------

DEBUG = env_bool("DEBUG", False)

SECRET_KEY = env_str("SECRET_KEY")
if not _is_real_secret(SECRET_KEY):
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set to a long random value when DEBUG is off "
            "(at least 50 characters). Make one with: "
            "python -c 'import secrets; print(secrets.token_urlsafe(64))'"
        )
    SECRET_KEY = SECRET_KEY or _development_secret()

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "daphne",  # first: its runserver replaces Django's, and it serves ASGI
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "corsheaders",
    "django_htmx",
    "ninja",
    "accounts",
    "conversations",
    "assistant",
]

# Django's usual stack. Served by Daphne, Django's own classes here are replaced by the versions in
# medbotx/middleware.py that call their hooks in the event loop rather than through a thread each (see
# medbotx/asgi.py): the same behaviour, at a fraction of the CPU per request. The names stay Django's, so
# `check --deploy` checks this list as it would any other.
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "medbotx.metrics.count_requests",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "medbotx.middleware.api_errors_as_json",
    "corsheaders.middleware.CorsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "medbotx.middleware.LocaleMiddleware",  # Django's, without the API (see the class)
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "medbotx.urls"
ASGI_APPLICATION = "medbotx.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",
                "assistant.context_processors.safety",
                "conversations.context_processors.limits",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------
# SQLite (embedded default) runs in WAL mode with immediate transactions, so
# readers never block the writer and writers queue on busy_timeout instead of
# failing. PostgreSQL (DATABASE_URL=postgres://...) uses Django's psycopg 3 pool.

SQLITE_PRAGMAS = (
    "PRAGMA journal_mode=WAL;"
    "PRAGMA synchronous=NORMAL;"
    "PRAGMA busy_timeout=20000;"
    "PRAGMA cache_size=-65536;"  # 64 MiB
    "PRAGMA temp_store=MEMORY;"
    "PRAGMA mmap_size=134217728;"  # 128 MiB
    "PRAGMA foreign_keys=ON;"
)

DATABASE_URL = env_str("DATABASE_URL")
if DATABASE_URL:
    try:
        _db = dj_database_url.parse(DATABASE_URL)
    except ValueError as exc:
        raise ImproperlyConfigured(f"DATABASE_URL is not a database URL we understand: {exc}") from None
else:
    _db = {"ENGINE": "django.db.backends.sqlite3", "NAME": str(BASE_DIR / "db.sqlite3")}

if _db["ENGINE"] == "django.db.backends.sqlite3":
    _db["OPTIONS"] = {
        "init_command": SQLITE_PRAGMAS,
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    # Keep the connection (and its PRAGMAs) between requests; the server's one sync thread reuses it.
    _db["CONN_MAX_AGE"] = env_int("DATABASE_CONN_MAX_AGE", 600, minimum=0)
elif _db["ENGINE"] == "django.db.backends.postgresql":
    _db["CONN_MAX_AGE"] = 0  # the pool keeps connections; Django must not keep its own
    _db.setdefault("OPTIONS", {})
    if env_bool("DATABASE_POOL", True):
        _db["OPTIONS"]["pool"] = {
            "min_size": env_int("DATABASE_POOL_MIN", 2, minimum=0),
            "max_size": env_int("DATABASE_POOL_MAX", 20, minimum=1),
            "timeout": env_float("DATABASE_POOL_TIMEOUT", 10.0, minimum=0.1),
        }
_db["CONN_HEALTH_CHECKS"] = _db["ENGINE"] != "django.db.backends.sqlite3"
# The threads that run the ORM for every request and reply (medbotx/sync.py). SQLite: one, so writers queue
# in one place instead of waiting on each other's locks. A database server: several, so one query's round
# trip does not hold up everyone else's.
SYNC_THREADS = env_int("MEDBOTX_SYNC_THREADS", 1 if _db["ENGINE"] == "django.db.backends.sqlite3" else 4, minimum=1)

DATABASES = {"default": _db}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache and channel layer --------------------------------------------------------

REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels_redis.core.RedisChannelLayer", "CONFIG": {"hosts": [REDIS_URL]}}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}

# --- Accounts and tokens ------------------------------------------------------------

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]

PASSWORD_MIN_LENGTH = env_int("PASSWORD_MIN_LENGTH", 8, minimum=1)
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": PASSWORD_MIN_LENGTH},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "accounts.validators.DigitsOnlyPasswordValidator"},
]

JWT_SECRET = env_str("JWT_SECRET") or SECRET_KEY
# After rotating JWT_SECRET, list the old one here for a while (at least JWT_ACCESS_TOKEN_MINUTES, or
# GUEST_TOKEN_DAYS for guests): tokens it signed still verify, new ones use the new secret.
JWT_PREVIOUS_SECRETS = env_list("JWT_PREVIOUS_SECRETS", [])
JWT_ACCESS_TOKEN_MINUTES = env_int("JWT_ACCESS_TOKEN_MINUTES", 30, minimum=1)
GUEST_TOKEN_DAYS = env_int("GUEST_TOKEN_DAYS", 7, minimum=1)
# Threads no account owns (guests', and those made with no identity) are deleted after this many idle days.
GUEST_DATA_DAYS = env_int("MEDBOTX_GUEST_DATA_DAYS", 7, minimum=1)

# --- API limits and CORS ----------------------------------------------------------

# Largest request body Django will read (JSON API and forms alike).
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("MEDBOTX_MAX_BODY_BYTES", 64 * 1024, minimum=1024)
THREAD_LIST_LIMIT = env_int("MEDBOTX_THREAD_LIST_LIMIT", 500, minimum=1)

CORS_ALLOWED_ORIGINS = env_list(
    "CORS_ALLOWED_ORIGINS",
    [
        "http://localhost:3000",
        "http://127.0.0.1:3000",
        "http://localhost:5173",
        "http://127.0.0.1:5173",
    ],
)
CORS_ALLOW_CREDENTIALS = True
CORS_EXPOSE_HEADERS = ["X-Reply-Id", "Retry-After"]  # a browser client resumes a reply by its id
# django-cors-headers' default request headers, and Last-Event-ID: a cross-origin EventSource (or fetch) that
# resumes a reply sends it.
CORS_ALLOW_HEADERS = [*default_cors_headers, "last-event-id"]

# /metrics: for the callers at these addresses (the address as the limits see it, see TRUSTED_PROXIES), or
# with `Authorization: Bearer <MEDBOTX_METRICS_TOKEN>`; anyone else gets 404.
METRICS_ALLOW = env_list("MEDBOTX_METRICS_ALLOW", ["127.0.0.1", "::1"])
METRICS_TOKEN = env_str("MEDBOTX_METRICS_TOKEN")
CORS_URLS_REGEX = r"^/api/.*$"

# --- E-mail (password reset) -------------------------------------------------------------
# With no EMAIL_HOST, e-mails are printed to the server's console (`make run`): the reset link appears there.
# Set EMAIL_HOST (and EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD, EMAIL_USE_TLS or EMAIL_USE_SSL) to
# send them through an SMTP server. Django 6.1's MAILERS setting, which replaces the EMAIL_* settings.
_email_host = env_str("EMAIL_HOST")
if _email_host:
    _email_ssl = env_bool("EMAIL_USE_SSL", False)
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": _email_host,
                "port": env_int("EMAIL_PORT", 465 if _email_ssl else 587, minimum=1),
                "username": env_str("EMAIL_HOST_USER"),
                "password": env_str("EMAIL_HOST_PASSWORD"),
                "use_ssl": _email_ssl,
                "use_tls": env_bool("EMAIL_USE_TLS", not _email_ssl),
                "timeout": env_int("EMAIL_TIMEOUT", 10, minimum=1),
            },
        }
    }
else:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "MedBotX <no-reply@localhost>")
PASSWORD_RESET_TIMEOUT = env_int("PASSWORD_RESET_TIMEOUT", 3600, minimum=60)  # seconds a reset link works

# --- Security (production defaults follow DEBUG) -------------------------------------

SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^api/healthz$"]  # load balancers probe over plain HTTP
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
# A strict Content-Security-Policy on every response: scripts and styles only from this site (every
# asset is served locally), no inline handlers, no eval, no framing. Pages put the per-response nonce on
# their script tags.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
if env_bool("TRUST_X_FORWARDED_PROTO", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# --- The assistant --------------------------------------------------------------------

GROQ_API_KEY = env_str("GROQ_API_KEY")
GROQ_BASE_URL = env_str("GROQ_BASE_URL")  # empty: the SDK's default, https://api.groq.com
GROQ_MODEL = env_str("GROQ_MODEL", "llama-3.3-70b-versatile")
OPENAI_BASE_URL = env_str("OPENAI_BASE_URL")  # e.g. http://127.0.0.1:8080/v1 for llama.cpp or vLLM
OPENAI_API_KEY = env_str("OPENAI_API_KEY")
OPENAI_MODEL = env_str("OPENAI_MODEL")

MEDBOTX_LLM = env_str("MEDBOTX_LLM", "groq" if GROQ_API_KEY else "offline").lower()
if MEDBOTX_LLM not in {"groq", "openai", "offline"}:
    raise ImproperlyConfigured(f"MEDBOTX_LLM must be groq, openai or offline; got {MEDBOTX_LLM!r}")
if MEDBOTX_LLM == "openai" and not (OPENAI_BASE_URL and OPENAI_MODEL):
    raise ImproperlyConfigured("MEDBOTX_LLM=openai needs OPENAI_BASE_URL and OPENAI_MODEL")

LLM_TEMPERATURE = env_float("MEDBOTX_TEMPERATURE", 0.3)
LLM_MAX_TOKENS = env_int("MEDBOTX_MAX_TOKENS", 2048, minimum=1)
LLM_HISTORY_MESSAGES = env_int("MEDBOTX_HISTORY_MESSAGES", 10)
# After a thread's first answer, a language model writes the thread a short title (assistant/titles.py).
MODEL_TITLES = env_bool("MEDBOTX_MODEL_TITLES", True)
LLM_CONNECT_TIMEOUT = env_float("LLM_CONNECT_TIMEOUT", 5.0, minimum=0.1)
LLM_IDLE_TIMEOUT = env_float("LLM_IDLE_TIMEOUT", 30.0, minimum=0.1)  # longest silence mid-answer
LLM_MAX_RETRIES = env_int("LLM_MAX_RETRIES", 1)  # the SDK's own retries, before any text is streamed
LLM_MAX_CONNECTIONS = env_int("LLM_MAX_CONNECTIONS", 1000, minimum=1)

CHAT_MESSAGE_MAX_CHARS = env_int("MEDBOTX_MESSAGE_MAX_CHARS", 4000, minimum=1)

# Abuse limits (shared by every process through the cache; Redis when REDIS_URL is set). An emergency or a
# crisis is always answered, whatever the limits.
CHAT_PER_MINUTE = {
    "user": env_int("MEDBOTX_CHAT_PER_MINUTE", 20, minimum=1),
    "guest": env_int("MEDBOTX_GUEST_CHAT_PER_MINUTE", 10, minimum=1),
    "anonymous": env_int("MEDBOTX_ANON_CHAT_PER_MINUTE", 5, minimum=1),
}
TOKENS_PER_DAY = {
    "user": env_int("MEDBOTX_TOKENS_PER_DAY", 200_000, minimum=1),
    "guest": env_int("MEDBOTX_GUEST_TOKENS_PER_DAY", 50_000, minimum=1),
    "anonymous": env_int("MEDBOTX_ANON_TOKENS_PER_DAY", 20_000, minimum=1),
}
LOGIN_PER_IP_PER_MINUTE = env_int("MEDBOTX_LOGIN_PER_IP_PER_MINUTE", 10, minimum=1)
SIGNUP_PER_IP_PER_HOUR = env_int("MEDBOTX_SIGNUP_PER_IP_PER_HOUR", 10, minimum=1)
# Password reset e-mails: per client address, and per e-mail address asked for (so nobody is flooded).
PASSWORD_RESET_PER_IP_PER_HOUR = env_int("MEDBOTX_PASSWORD_RESET_PER_IP_PER_HOUR", 10, minimum=1)
PASSWORD_RESET_PER_EMAIL_PER_HOUR = env_int("MEDBOTX_PASSWORD_RESET_PER_EMAIL_PER_HOUR", 3, minimum=1)
LOGIN_FREE_FAILURES = env_int("MEDBOTX_LOGIN_FREE_FAILURES", 5, minimum=1)  # then lockouts: 1 min, 2, 4… 1 h
# New guest identities (POST /api/auth/guest without a guest token, or "Start as guest" on the pages) per
# address and hour; and the questions of all the guests at one address per minute (besides each guest's own
# limit), so minting guests does not multiply the limit. (One address may be a household or an office: keep
# it above the per-guest limit.)
GUEST_MINT_PER_IP_PER_HOUR = env_int("MEDBOTX_GUEST_MINT_PER_IP_PER_HOUR", 20, minimum=1)
ADDRESS_CHAT_PER_MINUTE = env_int("MEDBOTX_ADDRESS_CHAT_PER_MINUTE", 30, minimum=1)
# Emergencies and crises are always answered, past every limit; what is stored of them (both messages and
# the SafetyEvent) is bounded per caller and minute, and for guests and callers without an identity per
# address too (docs/safety.md says what happens past the bound).
SAFETY_STORED_PER_MINUTE = env_int("MEDBOTX_SAFETY_STORED_PER_MINUTE", 10, minimum=1)
SAFETY_STORED_PER_ADDRESS_PER_MINUTE = env_int("MEDBOTX_SAFETY_STORED_PER_ADDRESS_PER_MINUTE", 50, minimum=1)

# The proxies in front of MedBotX, whose X-Forwarded-For entries are believed: a number of proxies (`1` for
# one nginx) or their addresses and networks (`127.0.0.1,10.0.0.0/8`). The caller's address is the
# right-most X-Forwarded-For hop that is not a trusted proxy (every hop to its left was written by the
# caller and can be anything). Empty: X-Forwarded-For is ignored and the connection's address is used;
# with TRUST_X_FORWARDED_PROTO on, the default is one proxy.
TRUSTED_PROXIES = env_list("MEDBOTX_TRUSTED_PROXIES", ["1"] if env_bool("TRUST_X_FORWARDED_PROTO", False) else [])
if len(TRUSTED_PROXIES) == 1 and TRUSTED_PROXIES[0].isdigit():
    if int(TRUSTED_PROXIES[0]) < 1:
        raise ImproperlyConfigured("MEDBOTX_TRUSTED_PROXIES as a number counts proxies: at least 1 (or leave it empty)")
else:
    for _proxy in TRUSTED_PROXIES:
        try:
            ipaddress.ip_network(_proxy, strict=False)
        except ValueError:
            raise ImproperlyConfigured(
                f"MEDBOTX_TRUSTED_PROXIES takes a number of proxies or addresses and networks; got {_proxy!r}"
            ) from None

# Safety: the region decides the emergency number, the crisis line and poison help shown to people
# (US: 911, 988, Poison Help 1-800-222-1222; also CA, UK, EU, IN, AU). Each can be overridden.
MEDBOTX_REGION = env_str("MEDBOTX_REGION", "US").upper()
if MEDBOTX_REGION not in ("US", "CA", "UK", "EU", "IN", "AU"):
    raise ImproperlyConfigured(f"MEDBOTX_REGION must be one of US, CA, UK, EU, IN, AU (got {MEDBOTX_REGION!r})")
MEDBOTX_EMERGENCY_NUMBER = env_str("MEDBOTX_EMERGENCY_NUMBER")
MEDBOTX_CRISIS_LINE = env_str("MEDBOTX_CRISIS_LINE")
MEDBOTX_POISON_LINE = env_str("MEDBOTX_POISON_LINE")
# The safety triage's learned classifier (docs/safety.md); empty: the one trained from the repository's corpus.
# If it cannot be loaded the rules still triage every turn, and /metrics counts the failures.
SAFETY_MODEL_PATH = env_str("MEDBOTX_SAFETY_MODEL")
# How long a turn waits for the classifier (queued behind other turns on the process's triage thread) before
# the rules' verdict stands alone; an emergency the rules recognise never waits.
SAFETY_TRIAGE_TIMEOUT = env_float("MEDBOTX_SAFETY_TRIAGE_TIMEOUT", 2.0, minimum=0.05)
# The notice people accept before their first chat. Change the version when the wording changes: everyone
# is asked again.
MEDBOTX_NOTICE_VERSION = env_str("MEDBOTX_NOTICE_VERSION", "2026-11-25")
STREAM_COALESCE_MS = env_int("MEDBOTX_STREAM_COALESCE_MS", 50)
STREAM_KEEPALIVE_SECONDS = env_float("MEDBOTX_STREAM_KEEPALIVE_SECONDS", 15.0, minimum=0.1)
# A reply's text is saved to the database at most this often while it is generated (never per token),
# with a lease: a reply whose process dies is marked interrupted once the lease runs out.
STREAM_PROGRESS_SECONDS = env_float("MEDBOTX_STREAM_PROGRESS_SECONDS", 2.0, minimum=0.05)
# How long a follower in another process waits for the generating process to answer before it looks at
# the stored state.
STREAM_HANDOFF_SECONDS = env_float("MEDBOTX_STREAM_HANDOFF_SECONDS", 2.0, minimum=0.1)
# The offline assistant's answer is ready at once; it is sent a word at a time at this pace, so it reads
# like a streamed reply (0 sends it as fast as the stream allows).
OFFLINE_PACE_MS = env_int("MEDBOTX_OFFLINE_PACE_MS", 8)

# --- Internationalisation and static files ------------------------------------------------

# The pages are in English and Spanish: the language comes from the person's choice (the switch in the
# header, kept in a cookie and on their account) or else from the browser's Accept-Language. The API answers
# in English whatever the request says (its error strings are part of its contract; see docs/api.md).
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("es", "Español")]
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_NAME = "medbotx_language"
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
# Daphne serves /static/ itself (from the app folders, no collectstatic needed)
# unless a front proxy does it: set MEDBOTX_SERVE_STATIC=0 then.
MEDBOTX_SERVE_STATIC = env_bool("MEDBOTX_SERVE_STATIC", True)

# --- Logging ------------------------------------------------------------------------

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO").upper()},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


# CORS origins must be bare origins: reject "http://x/path" early, not at the first request.
for _o in CORS_ALLOWED_ORIGINS:
    if _origin(_o) != _o:
        raise ImproperlyConfigured(f"CORS_ALLOWED_ORIGINS entries must be origins like https://app.example; got {_o!r}")
