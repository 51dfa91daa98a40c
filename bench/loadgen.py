"""Load benchmark: N concurrent, back-to-back chat streams against a real MedBotX.

It starts the fake Groq server (tests/fakes/groq_server.py) and MedBotX under
Daphne (SQLite in a temporary folder, DEBUG off), points MedBotX's Groq at the
fake, and measures from the client side: time to first byte, time to first
content, gaps between frames, errors; and from /proc: the server's peak RSS and
its CPU seconds per relayed token.

    .venv/bin/python -m bench.loadgen --streams 100 --rounds 3
"""

import argparse
import asyncio
import json
import os
import platform
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import aiohttp

ROOT = Path(__file__).resolve().parent.parent
CLK_TCK = os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLK_TCK  # utime + stime


def rss_mb(pid: int, key: str = "VmRSS") -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1]) / 1024
    return 0.0


def python_speed_ms() -> float:
    """The best of five runs of a fixed pure-Python workload (dicts, strings, JSON), in ms: a yardstick for
    comparing figures taken on different machines, or on one virtual machine on different days.
    The same code has measured markedly slower on slower instances (docs/benchmarks.md gives each run's)."""

    def workload() -> None:
        for i in range(20_000):
            row = {"id": i, "text": f"token {i} " * 4, "parts": [i, i * 2, str(i)]}
            json.loads(json.dumps(row))
            "".join(sorted(row["text"].split()))

    best = float("inf")
    for _ in range(5):
        started = time.perf_counter()
        workload()
        best = min(best, time.perf_counter() - started)
    return best * 1000


def machine_line() -> str:
    return (
        f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"yardstick {python_speed_ms():.0f} ms (bench.loadgen.python_speed_ms; lower is faster)"
    )


def pct(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    values = sorted(values)
    k = min(len(values) - 1, max(0, round(p / 100 * (len(values) - 1))))
    return values[k]


async def wait_http(url: str, proc: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    async with aiohttp.ClientSession() as session:
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                log = getattr(proc, "log_path", None)
                tail = log.read_text(errors="replace")[-2000:] if log else ""
                raise SystemExit(f"server exited early: {tail}")
            try:
                async with session.get(url) as r:
                    if r.status < 500:
                        return
            except aiohttp.ClientError:
                pass
            await asyncio.sleep(0.2)
    raise SystemExit(f"{url} did not answer in {timeout} s")


def spawn(command: list[str], env: dict, log_path: Path) -> subprocess.Popen:
    """Start a process whose output goes to a file (a pipe nobody reads fills up and stalls the process)."""
    with log_path.open("ab") as log:
        proc = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    proc.log_path = log_path
    return proc


def server_env(workdir: Path, fake_port: int) -> dict:
    """Production settings over plain HTTP, SQLite in `workdir`, Groq pointed at the fake."""
    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "SECURE_SSL_REDIRECT": "0",
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": f"sqlite:///{workdir / 'bench.sqlite3'}",
        "MEDBOTX_LLM": "groq",
        "GROQ_API_KEY": "gsk_bench",
        "GROQ_BASE_URL": f"http://127.0.0.1:{fake_port}",
        "LOG_LEVEL": "WARNING",
        # Every benchmark client comes from one address with no identity: the per-address limits would
        # refuse most of them. The limits are still checked on every turn, only higher.
        "MEDBOTX_ANON_CHAT_PER_MINUTE": "1000000",
        "MEDBOTX_ANON_TOKENS_PER_DAY": "1000000000",
        "MEDBOTX_SIGNUP_PER_IP_PER_HOUR": "1000000",
        "PYTHONPATH": str(ROOT),
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return env


class Stats:
    def __init__(self) -> None:
        self.ttfb: list[float] = []
        self.ttfc: list[float] = []
        self.gaps: list[float] = []
        self.errors: list[str] = []
        self.streams = 0
        self.chars = 0


async def one_stream(session, base, thread_id, stats: Stats) -> None:
    started = time.perf_counter()
    body = {"thread_id": thread_id, "message": "How can I sleep better?"}
    try:
        async with session.post(f"{base}/api/chat/stream", json=body) as r:
            if r.status != 200:
                stats.errors.append(f"status {r.status}")
                return
            first_byte = None
            last_frame = None
            done = False
            buffer = b""
            async for data in r.content.iter_any():
                now = time.perf_counter()
                if first_byte is None:
                    first_byte = now
                    stats.ttfb.append(now - started)
                buffer += data
                while b"\n\n" in buffer:
                    block, buffer = buffer.split(b"\n\n", 1)
                    line = next((x for x in block.split(b"\n") if x.startswith(b"data: ")), None)
                    if line is None:
                        continue
                    event = json.loads(line[6:])
                    if "content" in event:
                        if last_frame is None:
                            stats.ttfc.append(now - started)
                        else:
                            stats.gaps.append(now - last_frame)
                        last_frame = now
                        stats.chars += len(event["content"])
                    elif "error" in event:
                        stats.errors.append(event["error"])
                    elif event.get("done"):
                        done = True
            if done:
                stats.streams += 1
            elif not stats.errors:
                stats.errors.append("stream ended without done")
    except (aiohttp.ClientError, TimeoutError) as exc:
        if os.environ.get("BENCH_TRACE"):
            import traceback

            traceback.print_exc()
        stats.errors.append(repr(exc))


async def run(args) -> dict:
    workdir = Path(tempfile.mkdtemp(prefix="medbotx-bench-"))
    fake_port, app_port = free_port(), free_port()
    env = server_env(workdir, fake_port)
    py = sys.executable
    subprocess.run([py, "manage.py", "migrate", "-v0", "--noinput"], cwd=ROOT, env=env, check=True)
    fake_command = [py, "-m", "tests.fakes.groq_server", "--port", str(fake_port), "--rate", str(args.rate)]
    fake = spawn([*fake_command, "--tokens", str(args.tokens)], env, workdir / "fake.log")
    profile = ["-m", "cProfile", "-o", args.profile] if args.profile else []
    app = [py, *profile, "-m", "medbotx.server", "-b", "127.0.0.1", "-p", str(app_port), "medbotx.asgi:application"]
    server = spawn(app, env, workdir / "server.log")
    base = f"http://127.0.0.1:{app_port}"
    try:
        await wait_http(f"{base}/api/healthz", server)
        connector = aiohttp.TCPConnector(limit=0)
        timeout = aiohttp.ClientTimeout(total=120)
        async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:
            threads = []
            for _ in range(args.streams):
                async with session.post(f"{base}/api/threads/", json={"title": "bench"}) as r:
                    threads.append((await r.json())["id"])
            await one_stream(session, base, threads[0], Stats())  # warm-up: imports, first connections
            rss_before = rss_mb(server.pid)
            cpu_before = cpu_seconds(server.pid)
            stats = Stats()
            wall = time.perf_counter()

            async def client(thread_id):
                for _ in range(args.rounds):
                    await one_stream(session, base, thread_id, stats)

            peak = 0.0

            async def sample():
                nonlocal peak
                while True:
                    peak = max(peak, rss_mb(server.pid))
                    await asyncio.sleep(0.1)

            sampler = asyncio.create_task(sample())
            await asyncio.gather(*(client(t) for t in threads))
            sampler.cancel()
            wall = time.perf_counter() - wall
            cpu = cpu_seconds(server.pid) - cpu_before
            tokens = stats.streams * args.tokens
    finally:
        server.terminate()
        fake.terminate()
        server.wait(10)
        fake.wait(10)
    ms = 1000
    return {
        "streams": args.streams,
        "rounds": args.rounds,
        "completed": stats.streams,
        "errors": len(stats.errors),
        "error_samples": sorted(set(stats.errors))[:3],
        "ttfb_p50_ms": pct(stats.ttfb, 50) * ms,
        "ttfb_p95_ms": pct(stats.ttfb, 95) * ms,
        "ttfc_p50_ms": pct(stats.ttfc, 50) * ms,
        "ttfc_p95_ms": pct(stats.ttfc, 95) * ms,
        "gap_p50_ms": pct(stats.gaps, 50) * ms,
        "gap_p95_ms": pct(stats.gaps, 95) * ms,
        "gap_p99_ms": pct(stats.gaps, 99) * ms,
        "frames_per_stream": (len(stats.gaps) + len(stats.ttfc)) / max(1, stats.streams),
        "rss_idle_mb": rss_before,
        "rss_peak_mb": peak,
        "cpu_s": cpu,
        "cpu_us_per_token": cpu / tokens * 1e6 if tokens else float("nan"),
        "wall_s": wall,
        "mean_gap_ms": statistics.fmean(stats.gaps) * ms if stats.gaps else float("nan"),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--streams", type=int, nargs="+", default=[50, 100], help="concurrent streams (several runs)")
    parser.add_argument("--rounds", type=int, default=3, help="back-to-back streams per client")
    parser.add_argument("--rate", type=float, default=280.0, help="fake upstream tokens per second per stream")
    parser.add_argument("--tokens", type=int, default=300, help="tokens per answer")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    parser.add_argument("--profile", help="write cProfile's figures for the server's event loop thread here")
    args = parser.parse_args()
    results = []
    for n in args.streams:
        run_args = argparse.Namespace(**{**vars(args), "streams": n})
        results.append(asyncio.run(run(run_args)))
    if args.json:
        print(json.dumps(results, indent=2))
        return
    print(f"machine: {machine_line()}")
    print(f"upstream: fake Groq at {args.rate:g} tokens/s, {args.tokens}-token answers; {args.rounds} rounds\n")
    print(
        "| streams | completed | errors | TTFB p50/p95 ms | first content p50/p95 ms | gap p50/p95/p99 ms "
        "| frames/stream | RSS idle/peak MB | CPU µs/token |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    for r in results:
        print(
            f"| {r['streams']} | {r['completed']} | {r['errors']} | {r['ttfb_p50_ms']:.1f} / {r['ttfb_p95_ms']:.1f} "
            f"| {r['ttfc_p50_ms']:.1f} / {r['ttfc_p95_ms']:.1f} "
            f"| {r['gap_p50_ms']:.1f} / {r['gap_p95_ms']:.1f} / {r['gap_p99_ms']:.1f} | {r['frames_per_stream']:.1f} "
            f"| {r['rss_idle_mb']:.0f} / {r['rss_peak_mb']:.0f} | {r['cpu_us_per_token']:.1f} |"
        )
        if r["error_samples"]:
            print(f"  errors, e.g.: {r['error_samples']}")


if __name__ == "__main__":
    main()
