"""The project itself: settings from the environment, health, API docs, Daphne."""

import os
import secrets
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.db import DatabaseError, connection

from tests.conftest import assert_error
from tests.live import free_port, get

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION_ENV = {
    "DEBUG": "0",
    "SECRET_KEY": secrets.token_urlsafe(64),
    "ALLOWED_HOSTS": "medbotx.example",
    "EMAIL_HOST": "smtp.medbotx.example",  # password-reset e-mails: the console backend fails check --deploy
}


def _django(code: str, env: dict, tmp_path) -> subprocess.CompletedProcess:
    """Run Python with the real settings (medbotx.settings) in a clean environment."""
    clean = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY", "DJANGO_SETTINGS_MODULE"}}
    clean.setdefault("DATABASE_URL", f"sqlite:///{tmp_path / 'db.sqlite3'}")
    clean.update(env, DJANGO_SETTINGS_MODULE="medbotx.settings")
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=clean, capture_output=True, text=True, timeout=120
    )


def test_production_refuses_to_start_without_a_real_secret_key(tmp_path):
    for secret in ("", "short", "django-insecure-" + "x" * 60):
        result = _django("import django; django.setup()", {"DEBUG": "0", "SECRET_KEY": secret}, tmp_path)
        assert result.returncode != 0
        assert "SECRET_KEY must be set" in result.stderr


def test_a_bad_environment_value_fails_loudly(tmp_path):
    result = _django("import django; django.setup()", {**PRODUCTION_ENV, "DEBUG": "perhaps"}, tmp_path)
    assert result.returncode != 0 and "DEBUG must be one of" in result.stderr
    result = _django("import django; django.setup()", {**PRODUCTION_ENV, "JWT_ACCESS_TOKEN_MINUTES": "ten"}, tmp_path)
    assert result.returncode != 0 and "JWT_ACCESS_TOKEN_MINUTES must be a whole number" in result.stderr
    for proxies, words in (("0", "at least 1"), ("nginx", "addresses and networks")):
        env = {**PRODUCTION_ENV, "MEDBOTX_TRUSTED_PROXIES": proxies}
        result = _django("import django; django.setup()", env, tmp_path)
        assert result.returncode != 0 and words in result.stderr


def test_check_deploy_refuses_the_console_e_mail_backend(tmp_path):
    code = (
        "import django; django.setup(); from django.core.management import call_command;"
        "call_command('check', deploy=True, fail_level='WARNING')"
    )
    env = {key: value for key, value in PRODUCTION_ENV.items() if key != "EMAIL_HOST"}
    result = _django(code, env, tmp_path)
    assert result.returncode != 0 and "mail.E001" in result.stderr


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    code = (
        "import django; django.setup(); from django.core.management import call_command;"
        "call_command('check', deploy=True, fail_level='WARNING')"
    )
    result = _django(code, PRODUCTION_ENV, tmp_path)
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_development_generates_and_keeps_a_secret_key(tmp_path):
    code = "import django; django.setup(); from django.conf import settings; print(settings.SECRET_KEY)"
    first = _django(code, {"DEBUG": "1", "SECRET_KEY": ""}, tmp_path)
    second = _django(code, {"DEBUG": "1", "SECRET_KEY": ""}, tmp_path)
    assert first.returncode == 0, first.stderr
    assert first.stdout == second.stdout and len(first.stdout.strip()) >= 50


def test_postgres_urls_use_psycopg_with_djangos_pool(tmp_path):
    code = (
        "import django; django.setup(); from django.conf import settings; d = settings.DATABASES['default'];"
        "print(d['ENGINE'], d['NAME'], d['OPTIONS']['pool']['max_size'], d['CONN_MAX_AGE'])"
    )
    env = {**PRODUCTION_ENV, "DATABASE_URL": "postgres://u:p@db.internal:5432/medbotx", "DATABASE_POOL_MAX": "7"}
    result = _django(code, env, tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["django.db.backends.postgresql", "medbotx", "7", "0"]


def test_what_the_server_loads_at_start_is_kept_out_of_the_garbage_collector_s_walks(tmp_path):
    code = "import gc; import medbotx.asgi; print(gc.get_freeze_count())"
    result = _django(code, PRODUCTION_ENV, tmp_path)
    assert result.returncode == 0, result.stderr
    assert int(result.stdout) > 20_000  # Django, the apps and the word list (about 100,000 objects)


def test_workers_on_a_shared_socket_accept_one_connection_per_wake_up():
    from medbotx.server import shares_a_socket

    assert shares_a_socket(["--fd", "5", "medbotx.asgi:application"]) and shares_a_socket(["--fd=5"])
    assert not shares_a_socket(["-b", "127.0.0.1", "-p", "8000", "medbotx.asgi:application"])
    # In a process of its own: the change is to Twisted's listening port class. Twisted sets the batch to
    # 100 when it starts listening and raises it by 20 after a full batch; it must stay at one.
    code = (
        "from medbotx.server import accept_one_at_a_time; from twisted.internet import tcp\n"
        "before = tcp.Port(0, None).numberAccepts if hasattr(tcp.Port, 'numberAccepts') else None\n"
        "accept_one_at_a_time(); port = tcp.Port(0, None); port.numberAccepts = 100; port.numberAccepts += 20\n"
        "print(before, port.numberAccepts)"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["None", "1"]


def test_daphne_is_first_and_serves_the_asgi_application():
    assert settings.INSTALLED_APPS[0] == "daphne"
    assert settings.ASGI_APPLICATION == "medbotx.asgi.application"


@pytest.mark.django_db
def test_sqlite_runs_in_wal_mode_with_the_tuned_pragmas(tmp_path):
    """The connection options in settings give WAL, synchronous=NORMAL, a busy timeout and memory temp storage."""
    from django.db.backends.sqlite3.base import DatabaseWrapper

    options = settings.DATABASES["default"].get("OPTIONS", {})
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":
        from medbotx.settings import SQLITE_PRAGMAS

        options = {"init_command": SQLITE_PRAGMAS, "transaction_mode": "IMMEDIATE", "timeout": 20}
    wrapper = DatabaseWrapper(
        {
            **connection.settings_dict,
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(tmp_path / "wal.sqlite3"),
            "OPTIONS": options,
        },
        alias="wal-check",
    )
    try:
        with wrapper.cursor() as cursor:
            pragmas = {}
            for name in ("journal_mode", "synchronous", "busy_timeout", "temp_store", "cache_size", "foreign_keys"):
                cursor.execute(f"PRAGMA {name}")
                pragmas[name] = cursor.fetchone()[0]
    finally:
        wrapper.close()
    assert pragmas["journal_mode"] == "wal"
    assert pragmas["synchronous"] == 1  # NORMAL
    assert pragmas["busy_timeout"] >= 5000
    assert pragmas["temp_store"] == 2  # MEMORY
    assert pragmas["cache_size"] <= -32768  # at least 32 MiB, in KiB
    assert pragmas["foreign_keys"] == 1
    assert options["transaction_mode"] == "IMMEDIATE"
    assert sqlite3.sqlite_version_info >= (3, 35)


@pytest.mark.django_db
def test_healthz_checks_the_database(api):
    response = api.get("/api/healthz")
    assert response.status_code == 200
    body = response.json()
    assert (body["status"], body["database"]) == ("ok", "ok") and body["worker"]


@pytest.mark.django_db
def test_healthz_answers_503_when_the_database_is_down(api, monkeypatch):
    def unreachable(*args, **kwargs):
        raise DatabaseError("connection refused")

    monkeypatch.setattr(connection, "cursor", unreachable)
    detail = assert_error(api.get("/api/healthz"), 503)
    assert detail == "Database unavailable"


@pytest.mark.django_db
def test_openapi_schema_documents_every_endpoint(api):
    schema = api.get("/api/openapi.json").json()
    paths = schema["paths"]
    for path in (
        "/api/auth/signup",
        "/api/auth/login",
        "/api/auth/guest",
        "/api/auth/me",
        "/api/threads/",
        "/api/threads/{thread_id}",
        "/api/threads/{thread_id}/messages",
        "/api/healthz",
    ):
        assert path in paths, path
    assert "bearer" in str(schema["components"]["securitySchemes"]).lower()


@pytest.mark.django_db
def test_interactive_docs_use_local_assets_only(api):
    html = api.get("/api/docs").content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in html
    assert "cdn" not in html.lower() and "https://" not in html
    for asset in ("ninja/swagger-ui-bundle.js", "ninja/swagger-ui.css", "ninja/swagger-ui-init.js"):
        assert finders.find(asset), asset


def test_daphne_serves_the_api_docs_and_static_files(tmp_path):
    """What `make run` does: migrate, then Daphne on a port, with SQLite in a fresh file."""
    env = {**os.environ, "DEBUG": "1", "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True, timeout=120
    )
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "medbotx.server", "-b", "127.0.0.1", "-p", str(port), "medbotx.asgi:application"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while True:
            try:
                status, body, _ = get(f"{base}/api/healthz")
                break
            except OSError:
                if server.poll() is not None:
                    pytest.fail(f"Daphne exited: {server.stderr.read().decode()}")
                if time.monotonic() > deadline:
                    pytest.fail("Daphne did not answer within 30 s")
                time.sleep(0.2)
        assert status == 200 and b'"ok"' in body
        assert get(f"{base}/api/docs")[0] == 200
        status, body, _ = get(f"{base}/static/ninja/swagger-ui.css")
        assert status == 200 and len(body) > 1000
        assert get(f"{base}/api/openapi.json")[0] == 200
        assert get(f"{base}/api/threads/")[1] == b"[]"
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_backup_makes_a_consistent_copy_that_restores(tmp_path):
    """`manage.py backup` on a live SQLite database (WAL mode), then the copy used as the database."""
    live = tmp_path / "live.sqlite3"
    env = {**os.environ, "DEBUG": "1", "DATABASE_URL": f"sqlite:///{live}"}
    env.pop("DJANGO_SETTINGS_MODULE", None)

    def manage(*args, url=None, check=True):
        run_env = {**env, "DATABASE_URL": url} if url else env
        return subprocess.run(
            [sys.executable, "manage.py", *args], cwd=ROOT, env=run_env, capture_output=True, text=True,
            timeout=120, check=check,
        )  # fmt: skip

    manage("migrate", "-v0")
    create = "from conversations.models import Thread; Thread.objects.create(title='Kept in the backup')"
    manage("shell", "-c", create)
    copy = tmp_path / "backups" / "copy.sqlite3"
    result = manage("backup", str(copy))
    assert "integrity ok" in result.stdout and copy.exists()
    again = manage("backup", str(copy), check=False)
    assert again.returncode != 0 and "exists already" in again.stderr
    count = "from conversations.models import Thread; print(Thread.objects.filter(title='Kept in the backup').count())"
    restored = manage("shell", "-c", count, url=f"sqlite:///{copy}").stdout.strip().splitlines()
    assert restored[-1] == "1"  # the copy works as the database: the restore


WRITER = """
import sys
from accounts.identity import Identity
from conversations import actions
thread = actions.create_thread(Identity(), "writer")
for i in range(int(sys.argv[1])):
    actions.start_turn(thread, f"question {i}", provider="offline", model="m")
print("ok")
"""


def test_several_processes_write_to_sqlite_at_once_without_database_is_locked(tmp_path):
    """WAL, IMMEDIATE transactions and a busy timeout: writers queue; none sees "database is locked"."""
    env = {**os.environ, "DEBUG": "1", "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True, timeout=120)
    script = tmp_path / "writer.py"
    script.write_text(WRITER)
    command = [
        sys.executable,
        "manage.py",
        "shell",
        "-c",
        f"import sys; sys.argv=['x', '150']; exec(open({str(script)!r}).read())",
    ]
    writers = [
        subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(4)
    ]
    outcomes = [w.communicate(timeout=300) for w in writers]
    for (out, err), writer in zip(outcomes, writers, strict=True):
        assert writer.returncode == 0 and "ok" in out, err[-2000:]
        assert "database is locked" not in err
    count = "from conversations.models import Message; print(Message.objects.count())"
    result = subprocess.run([sys.executable, "manage.py", "shell", "-c", count], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=60, check=True)  # fmt: skip
    assert result.stdout.strip().splitlines()[-1] == str(4 * 150 * 2)  # every question and reply stored


@pytest.mark.parametrize(
    ("setting", "loop"), [("1", "uvloop.Loop"), ("0", "asyncio.unix_events._UnixSelectorEventLoop")]
)
def test_the_server_runs_daphne_on_uvloop_unless_told_not_to(setting, loop):
    """`python -m medbotx.server` sets uvloop's policy before Daphne makes its event loop (MEDBOTX_UVLOOP=0: not)."""
    code = (
        "import medbotx.server as s; s.use_uvloop(); import daphne.server as d; "
        "t = type(d.twisted_loop); print(f'{t.__module__}.{t.__qualname__}')"
    )
    env = {**os.environ, "MEDBOTX_UVLOOP": setting}
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == loop


@pytest.mark.parametrize(
    ("env", "threads"),
    [
        ({"DATABASE_URL": "sqlite:///x.sqlite3"}, "1"),
        ({"DATABASE_URL": "postgres://postgres@127.0.0.1:5432/x"}, "4"),
        ({"DATABASE_URL": "postgres://postgres@127.0.0.1:5432/x", "MEDBOTX_SYNC_THREADS": "2"}, "2"),
    ],
    ids=["sqlite", "postgres", "set"],
)
def test_the_orm_threads_are_one_for_sqlite_and_several_for_a_database_server(env, threads):
    """SQLite's writers queue in one thread; a database server's round trips overlap in several."""
    code = "import medbotx.sync as s; print(s.EXECUTOR._max_workers)"
    full = {**os.environ, "DEBUG": "1", "DJANGO_SETTINGS_MODULE": "medbotx.settings", **env}
    setup = "import django; django.setup(); "
    done = subprocess.run(
        [sys.executable, "-c", setup + code], cwd=ROOT, env=full, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == threads


@pytest.mark.django_db
def test_healthz_names_the_worker_without_its_host_or_process_id(api):
    import os
    import socket

    worker = api.get("/api/healthz").json()["worker"]
    assert worker and socket.gethostname() not in worker and str(os.getpid()) not in worker


@pytest.mark.django_db
def test_metrics_are_for_allowed_addresses_or_the_token_only(api, settings):
    assert api.get("/metrics").status_code == 200  # the test client is 127.0.0.1, allowed by default
    assert api.get("/metrics", REMOTE_ADDR="203.0.113.5").status_code == 404
    # Through a proxy that is not configured as trusted, the connection's loopback address proves nothing.
    assert api.get("/metrics", HTTP_X_FORWARDED_FOR="203.0.113.5").status_code == 404
    settings.METRICS_TOKEN = "a-long-scraper-token"
    assert api.get("/metrics", REMOTE_ADDR="203.0.113.5", HTTP_AUTHORIZATION="Bearer wrong").status_code == 404
    scraped = api.get("/metrics", REMOTE_ADDR="203.0.113.5", HTTP_AUTHORIZATION="Bearer a-long-scraper-token")
    assert scraped.status_code == 200 and b"medbotx_http_requests_total" in scraped.content
    settings.METRICS_ALLOW = ["10.0.0.0/8"]
    assert api.get("/metrics", REMOTE_ADDR="10.1.2.3").status_code == 200
    assert api.get("/metrics").status_code == 404
