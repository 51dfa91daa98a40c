"""What a real server answers when something is off: an unknown page under `make run`, an error page, a status
Twisted has no phrase for, a request head too large to read."""

import http.client
import json
import os
import shutil
import signal
import socket
import stat
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from http import HTTPStatus
from pathlib import Path

import pytest
from django.urls import path

from tests.live import ROOT, LiveServer, free_port, get

# What the caller's shell may hold that `make run` decides itself (the test process sets SECRET_KEY for its
# own settings), and the make variables of an outer `make test`.
DECIDED_BY_MAKE_RUN = {
    "DEBUG",
    "SECRET_KEY",
    "DJANGO_SETTINGS_MODULE",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "MAKEFLAGS",
    "MAKELEVEL",
    "MFLAGS",
}


@contextmanager
def make_run(directory: Path, key_file: Path):
    """`make run` itself, on a free port with its own SQLite file and key file; yields the base URL."""
    make = shutil.which("make")
    if make is None:
        pytest.skip("make is not installed")
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in DECIDED_BY_MAKE_RUN}
    env["DATABASE_URL"] = f"sqlite:///{directory / 'db.sqlite3'}"
    log = directory / "make-run.log"
    with log.open("ab") as out:
        command = [make, "--no-print-directory", "run", "HOST=127.0.0.1", f"PORT={port}", f"SECRET_KEY_FILE={key_file}"]
        # A session of its own: make, the shell of its recipe and Daphne are stopped together.
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=out, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 180
        while True:
            try:
                if get(f"{base}/api/healthz")[0] == 200:
                    break
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"make run did not serve:\n{log.read_text()}")
            time.sleep(0.3)
        yield base
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=20)


def call(url: str, method: str = "GET", token: str | None = None) -> tuple[int, dict]:
    request = urllib.request.Request(url, data=b"" if method == "POST" else None, method=method)
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status, json.loads(response.read())


def test_make_run_serves_like_production_over_plain_http_with_a_kept_secret_key(tmp_path):
    key_file = tmp_path / "secret_key"
    with make_run(tmp_path, key_file) as base:
        status, body, headers = get(f"{base}/no-such-page/")
        page = body.decode()
        assert status == 404 and headers["Content-Type"].startswith("text/html")
        assert "<h1>Not found</h1>" in page and 'rel="icon"' in page  # the project's page, on the base template
        for debug_text in ("Django", "DEBUG", "URLconf", "Traceback", "SECRET_KEY", "settings"):
            assert debug_text not in page, debug_text
        assert get(f"{base}/")[0] == 200  # plain HTTP: no redirect to https
        status, body, _ = get(f"{base}/static/css/app.css")
        assert status == 200 and len(body) > 1000
        status, body, headers = get(f"{base}/favicon.ico")  # redirected to the static SVG
        assert status == 200 and headers["Content-Type"] == "image/svg+xml" and b"<svg" in body
        token = call(f"{base}/api/auth/guest", "POST")[1]["access_token"]
        guest = call(f"{base}/api/auth/me", token=token)[1]
    key = key_file.read_text().strip()
    assert len(key) >= 80 and stat.S_IMODE(key_file.stat().st_mode) == 0o600

    with make_run(tmp_path, key_file) as base:  # a restart: the same key, so the guest's token still holds
        assert call(f"{base}/api/auth/me", token=token)[1] == guest
    assert key_file.read_text().strip() == key


def test_the_error_page_is_the_project_s_own_and_the_traceback_goes_to_the_log(client, settings, caplog):
    settings.ROOT_URLCONF = __name__
    client.raise_request_exception = False
    response = client.get("/broken/")
    page = response.content.decode()
    assert response.status_code == 500 and "<h1>Something went wrong</h1>" in page
    assert "Traceback" not in page and "RuntimeError" not in page
    assert any(r.name == "django.request" and r.exc_info and r.exc_info[0] is RuntimeError for r in caplog.records)


def broken(request):
    raise RuntimeError("a bug")


# Only for the test above (settings.ROOT_URLCONF = this module): the project has no page that fails.
urlpatterns = [path("broken/", broken)]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with LiveServer(tmp_path_factory.mktemp("faults"), MEDBOTX_LLM="offline") as live:
        yield live


def test_a_422_carries_its_reason_phrase(server):
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    try:
        connection.request("POST", "/api/threads/", body="[1, 2]", headers={"Content-Type": "application/json"})
        response = connection.getresponse()
        response.read()
    finally:
        connection.close()
    assert (response.status, response.reason) == (422, HTTPStatus(422).phrase)


def test_only_the_phrases_twisted_lacks_are_added():
    code = (
        "from medbotx.server import name_every_status; from twisted.web import http\n"
        "name_every_status(); print(http.RESPONSES[429].decode(), '|', http.RESPONSES[413].decode())"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "Too Many Requests | Request Entity Too Large"  # Twisted's own 413 is kept


def exchange(port: int, request: bytes) -> bytes:
    """Send a raw request and read until the server closes the connection."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        s.sendall(request)
        received = b""
        try:
            while chunk := s.recv(65536):
                received += chunk
        except ConnectionResetError:
            pass
    return received


START = b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n"
HEADERS_TOO_LARGE = b"HTTP/1.1 431 Request Header Fields Too Large"


@pytest.mark.parametrize(
    ("head", "status_line"),
    [
        (START + b"X-Big: " + b"a" * 20_000 + b"\r\n\r\n", HEADERS_TOO_LARGE),
        (START + (b"X-Many: " + b"a" * 1000 + b"\r\n") * 20 + b"\r\n", HEADERS_TOO_LARGE),
        (b"GET /" + b"a" * 20_000 + b" HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", b"HTTP/1.1 414 URI Too Long"),
    ],
    ids=["one-20kb-header", "twenty-1kb-headers", "20kb-url"],
)
def test_a_request_head_too_large_is_answered_not_dropped(server, head, status_line):
    response = exchange(server.port, head)
    assert response.split(b"\r\n", 1)[0] == status_line
    assert get(f"{server.url}/api/healthz")[0] == 200  # and the server carries on
