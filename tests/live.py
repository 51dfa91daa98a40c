"""A real MedBotX server for tests that need one: migrate a fresh SQLite file, load the library, run Daphne."""

import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url: str) -> tuple[int, bytes, dict]:
    try:
        with urllib.request.urlopen(url, timeout=5) as r:
            return r.status, r.read(), dict(r.headers)
    except urllib.error.HTTPError as e:
        return e.code, e.read(), dict(e.headers)


class LiveServer:
    """`with LiveServer(tmp_dir, MEDBOTX_LLM="offline") as server: server.url`. Production settings
    (DEBUG off, a real secret), over plain HTTP on loopback."""

    def __init__(self, directory: Path, **env: str) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {
            **os.environ,
            "DEBUG": "0",
            "SECRET_KEY": secrets.token_urlsafe(64),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SECURE_SSL_REDIRECT": "0",
            "SECURE_HSTS_SECONDS": "0",
            "SESSION_COOKIE_SECURE": "0",
            "CSRF_COOKIE_SECURE": "0",
            "DATABASE_URL": f"sqlite:///{directory / 'live.sqlite3'}",
            "LOG_LEVEL": "WARNING",
            **env,
        }
        self.env.pop("DJANGO_SETTINGS_MODULE", None)
        directory.mkdir(parents=True, exist_ok=True)
        self.log = directory / "server.log"
        self.process: subprocess.Popen | None = None

    def manage(self, *args: str) -> None:
        subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=self.env, check=True, timeout=180)

    def __enter__(self) -> "LiveServer":
        self.manage("migrate", "--noinput", "-v0")
        self.manage("load_library")
        self.manage("recover_replies")  # as `make run` and `manage.py serve` do
        self._log = self.log.open("wb")
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "medbotx.server",
                "-b",
                "127.0.0.1",
                "-p",
                str(self.port),
                "medbotx.asgi:application",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 30
        while True:
            try:
                if get(f"{self.url}/api/healthz")[0] == 200:
                    return self
            except OSError:
                pass
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.__exit__(None, None, None)
                raise RuntimeError(f"the server did not start:\n{self.log.read_text()}")
            time.sleep(0.2)

    def __exit__(self, *exc) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
        self._log.close()
