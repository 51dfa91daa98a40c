"""Run N Daphne processes on one port (a shared listening socket), for PostgreSQL + Redis deployments.

    python manage.py serve --workers 4 --host 0.0.0.0 --port 8000

The kernel spreads new connections across the processes. Replies, resumes and stops work across them
through Redis (REDIS_URL): with more than one worker, REDIS_URL is required. A worker that exits is started
again; Ctrl+C or SIGTERM stops them all. `make run` stays the one-process embedded default.
"""

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from assistant.generation import sweep_expired
from conversations.management.commands.purge_guests import purge_guest_threads


class Command(BaseCommand):
    help = "Serve MedBotX with N Daphne processes sharing one listening socket."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--workers", type=int, default=int(os.environ.get("MEDBOTX_WORKERS", os.cpu_count() or 1)))
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))

    def handle(self, *args: Any, workers: int, host: str, port: int, **options: Any) -> None:
        if workers < 1:
            raise CommandError("--workers must be at least 1")
        if workers > 1 and not settings.REDIS_URL:
            raise CommandError(
                "Several workers need REDIS_URL: replies are resumed and stopped across processes through Redis."
            )
        purged, purged_at = purge_guest_threads(), time.monotonic()
        if purged:
            self.stdout.write(f"{purged} idle guest thread(s) deleted.")
        interrupted = sweep_expired()
        if interrupted:
            self.stdout.write(f"{interrupted} reply(ies) left by a stopped process marked interrupted.")
        listener = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind((host, port))
        listener.listen(2048)
        listener.set_inheritable(True)
        env = dict(os.environ)
        env.setdefault("PROMETHEUS_MULTIPROC_DIR", tempfile.mkdtemp(prefix="medbotx-metrics-"))
        command = [sys.executable, "-m", "medbotx.server", "--fd", str(listener.fileno()), "medbotx.asgi:application"]

        def spawn() -> subprocess.Popen:
            return subprocess.Popen(command, pass_fds=[listener.fileno()], env=env)  # noqa: S603

        children = [spawn() for _ in range(workers)]
        self.stdout.write(f"MedBotX on http://{host}:{port} with {workers} worker(s) (Ctrl+C stops them)")
        stopping = False

        def stop(*_: object) -> None:
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        try:
            while not stopping:
                if time.monotonic() - purged_at > 3600:  # guest data expiry, hourly
                    purged_at = time.monotonic()
                    try:
                        purge_guest_threads()
                    except Exception as exc:  # the database may be briefly away: try again next hour
                        self.stderr.write(f"purge_guests failed: {exc}")
                for i, child in enumerate(children):
                    if child.poll() is not None and not stopping:
                        self.stderr.write(f"worker {child.pid} exited ({child.returncode}); starting another")
                        children[i] = spawn()
                time.sleep(0.5)
        finally:
            for child in children:
                if child.poll() is None:
                    child.terminate()
            for child in children:
                try:
                    child.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    child.kill()
            listener.close()
