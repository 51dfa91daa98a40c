"""More load scenarios against a real MedBotX (fake Groq upstream), one or several worker processes.

    python -m bench.scenarios paced --users 1000 --pause 10 --duration 60 --workers 2
    python -m bench.scenarios threads --connections 32 --duration 20 --workers 2
    python -m bench.scenarios storm --clients 200
    python -m bench.scenarios chart --streams 25 50 100 150      # writes docs/benchmarks.png

paced: users each ask, read the whole answer, pause ~N s (±20 %), ask again: time to first byte.
threads: GET /api/threads/ with a token from N connections as fast as they go: requests/s and latency.
  With wrk (Debian's package) when it is installed, else an aiohttp client, which takes a core of its own.
streams: N clients asking back to back (--streams N --rounds R), as bench.loadgen, with --workers W.
storm: N clients start replies, all drop their connection mid-reply at once and reconnect with
Last-Event-ID: every reply must arrive complete with every character exactly once.
Several workers run `manage.py serve --workers N` (Redis at 127.0.0.1:6379/9 for the Channels layer).
BENCH_POSTGRES=1 runs them on a fresh PostgreSQL database (127.0.0.1:5432, user postgres) instead of SQLite.
"""

import argparse
import asyncio
import contextlib
import json
import os
import random
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import aiohttp

from bench.loadgen import (
    ROOT,
    Stats,
    cpu_seconds,
    free_port,
    machine_line,
    one_stream,
    pct,
    rss_mb,
    server_env,
    spawn,
    wait_http,
)

REDIS_URL = "redis://127.0.0.1:6379/9"


def children(pid: int) -> list[int]:
    try:
        return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


POSTGRES = "postgres://postgres@127.0.0.1:5432"


def fresh_postgres_database(name: str = "medbotx_bench") -> str:
    import psycopg

    with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        admin.execute(f"CREATE DATABASE {name}")
    return f"{POSTGRES}/{name}"


@contextlib.asynccontextmanager
async def medbotx(workers: int, rate: float, tokens: int):
    """Fake Groq and MedBotX (DEBUG off; SQLite, or a fresh PostgreSQL database with BENCH_POSTGRES=1);
    yields (base URL, server PIDs)."""
    workdir = Path(tempfile.mkdtemp(prefix="medbotx-bench-"))
    fake_port, app_port = free_port(), free_port()
    env = {**server_env(workdir, fake_port), "PROMETHEUS_MULTIPROC_DIR": str(workdir)}
    if os.environ.get("BENCH_POSTGRES") == "1":
        env["DATABASE_URL"] = fresh_postgres_database()
    if workers > 1:
        env["REDIS_URL"] = REDIS_URL
        import redis

        redis.Redis.from_url(REDIS_URL).flushdb()
    py = sys.executable
    subprocess.run([py, "manage.py", "migrate", "-v0", "--noinput"], cwd=ROOT, env=env, check=True)
    fake = spawn(
        [py, "-m", "tests.fakes.groq_server", "--port", str(fake_port), "--rate", str(rate), "--tokens", str(tokens)],
        env, workdir / "fake.log",
    )  # fmt: skip
    server = spawn(
        [py, "manage.py", "serve", "--workers", str(workers), "--host", "127.0.0.1", "--port", str(app_port)],
        env, workdir / "server.log",
    )  # fmt: skip
    base = f"http://127.0.0.1:{app_port}"
    try:
        await wait_http(f"{base}/api/healthz", server)
        await asyncio.sleep(1)
        yield base, children(server.pid)
    finally:
        server.terminate()
        fake.terminate()
        server.wait(60)
        fake.wait(10)


def cpu_of(pids: list[int]) -> float:
    return sum(cpu_seconds(p) for p in pids)


def rss_of(pids: list[int]) -> list[float]:
    return [rss_mb(p) for p in pids]


def session(limit: int = 0) -> aiohttp.ClientSession:
    return aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=limit), timeout=aiohttp.ClientTimeout(total=300))


async def new_thread(client, base: str, headers: dict | None = None) -> str:
    async with client.post(f"{base}/api/threads/", json={"title": "bench"}, headers=headers) as r:
        return (await r.json())["id"]


async def paced(args) -> dict:
    async with medbotx(args.workers, args.rate, args.tokens) as (base, pids), session() as client:
        threads = [await new_thread(client, base) for _ in range(args.users)]
        stats, warm = Stats(), Stats()
        cpu0, own0 = cpu_of(pids), time.process_time()
        deadline = time.monotonic() + args.duration
        warm_until = time.monotonic() + args.pause * 1.5  # the first round staggers in

        async def user(thread_id: str) -> None:
            await asyncio.sleep(random.uniform(0, args.pause))  # noqa: S311 (load shape, not security)
            while time.monotonic() < deadline:
                mine = warm if time.monotonic() < warm_until else stats
                await one_stream(client, base, thread_id, mine)
                await asyncio.sleep(args.pause * random.uniform(0.8, 1.2))  # noqa: S311

        await asyncio.gather(*(user(t) for t in threads))
        cpu, own = cpu_of(pids) - cpu0, time.process_time() - own0
        relayed = (stats.streams + warm.streams) * args.tokens  # the CPU figure covers the warm-up's streams too
        return {
            "users": args.users, "workers": args.workers, "streams": stats.streams, "errors": len(stats.errors),
            "error_samples": sorted(set(stats.errors))[:3], "ttfb_p50_ms": pct(stats.ttfb, 50) * 1000,
            "ttfb_p95_ms": pct(stats.ttfb, 95) * 1000, "ttfb_p99_ms": pct(stats.ttfb, 99) * 1000,
            "gap_p99_ms": pct(stats.gaps, 99) * 1000,
            "cpu_us_per_token": cpu / max(1, relayed) * 1e6, "server_cores": cpu / args.duration,
            "load_generator_cores": own / args.duration, "rss_mb": rss_of(pids),
        }  # fmt: skip


async def streams(args) -> dict:
    """N clients, each asking `rounds` questions back to back, against `serve --workers W`."""
    async with medbotx(args.workers, args.rate, args.tokens) as (base, pids), session() as client:
        threads = [await new_thread(client, base) for _ in range(max(args.streams))]
        await one_stream(client, base, threads[0], Stats())  # warm-up
        n = max(args.streams)
        stats, peak = Stats(), [0.0] * len(pids)
        cpu0, wall = cpu_of(pids), time.perf_counter()

        async def user(thread_id: str) -> None:
            for _ in range(args.rounds):
                await one_stream(client, base, thread_id, stats)

        async def sample() -> None:
            while True:
                peak[:] = [max(a, b) for a, b in zip(peak, rss_of(pids), strict=True)]
                await asyncio.sleep(0.1)

        sampler = asyncio.create_task(sample())
        await asyncio.gather(*(user(t) for t in threads[:n]))
        sampler.cancel()
        cpu, wall = cpu_of(pids) - cpu0, time.perf_counter() - wall
        return {
            "streams": n, "workers": args.workers, "rounds": args.rounds, "completed": stats.streams,
            "errors": len(stats.errors), "error_samples": sorted(set(stats.errors))[:3],
            "ttfb_p50_ms": pct(stats.ttfb, 50) * 1000, "ttfb_p95_ms": pct(stats.ttfb, 95) * 1000,
            "gap_p50_ms": pct(stats.gaps, 50) * 1000, "gap_p95_ms": pct(stats.gaps, 95) * 1000,
            "gap_p99_ms": pct(stats.gaps, 99) * 1000,
            "cpu_us_per_token": cpu / max(1, stats.streams * args.tokens) * 1e6, "rss_peak_mb": peak,
            "wall_s": wall,
        }  # fmt: skip


WRK_REPORT = """
done = function(summary, latency, requests)
  io.write(string.format('{"requests": %d, "seconds": %f, "errors": %d, "p50_ms": %f, "p95_ms": %f, "p99_ms": %f}\\n',
    summary.requests, summary.duration / 1e6,
    summary.errors.connect + summary.errors.read + summary.errors.write
      + summary.errors.status + summary.errors.timeout,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000))
end
"""


async def threads_list(args) -> dict:
    async with (
        medbotx(args.workers, args.rate, args.tokens) as (base, pids),
        session(limit=args.connections) as client,
    ):
        email = f"bench-{secrets.token_hex(4)}@example.com"
        async with client.post(f"{base}/api/auth/signup", json={"email": email, "password": "plum-orchard-42"}) as r:
            token = (await r.json())["access_token"]
        headers = {"Authorization": f"Bearer {token}"}
        for _ in range(20):
            await new_thread(client, base, headers)
        cpu0 = cpu_of(pids)
        if shutil.which("wrk") and not args.python_client:
            result = await _wrk(args, f"{base}/api/threads/", headers)
        else:
            result = await _python_client(args, client, f"{base}/api/threads/", headers)
        result["server_cpu_ms_per_request"] = (cpu_of(pids) - cpu0) / max(1, result["requests"]) * 1000
        return {"connections": args.connections, "workers": args.workers, **result}


async def _wrk(args, url: str, headers: dict) -> dict:
    """wrk (C, one thread): the load generator then takes a small share of the 2 cores."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(WRK_REPORT)
    command = ["wrk", "-t1", f"-c{args.connections}", f"-d{int(args.duration)}s", "-s", script.name]
    command += [arg for name, value in headers.items() for arg in ("-H", f"{name}: {value}")]
    done = await asyncio.to_thread(subprocess.run, [*command, url], capture_output=True, text=True, check=True)
    os.unlink(script.name)
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    seconds = figures.pop("seconds")
    return {"client": "wrk", **figures, "rps": figures["requests"] / seconds}


async def _python_client(args, client, url: str, headers: dict) -> dict:
    latencies: list[float] = []
    errors = 0
    deadline = time.monotonic() + args.duration

    async def worker() -> None:
        nonlocal errors
        while time.monotonic() < deadline:
            started = time.perf_counter()
            async with client.get(url, headers=headers) as r:
                await r.read()
                if r.status != 200:
                    errors += 1
            latencies.append(time.perf_counter() - started)

    wall = time.monotonic()
    await asyncio.gather(*(worker() for _ in range(args.connections)))
    wall = time.monotonic() - wall
    return {
        "client": "aiohttp", "requests": len(latencies), "errors": errors, "rps": len(latencies) / wall,
        "p50_ms": pct(latencies, 50) * 1000, "p95_ms": pct(latencies, 95) * 1000, "p99_ms": pct(latencies, 99) * 1000,
    }  # fmt: skip


async def storm(args) -> dict:
    expected = "".join(f"tok{i} " for i in range(args.tokens))
    async with medbotx(args.workers, args.rate, args.tokens) as (base, _pids), session() as client:
        threads = [await new_thread(client, base) for _ in range(args.clients)]
        results: list[str] = []

        async def read_events(response, text: str, until_pieces: int | None) -> tuple[str, int, bool]:
            offset, pieces, done, buffer = len(text), 0, False, b""
            async for data in response.content.iter_any():
                buffer += data
                while b"\n\n" in buffer:
                    block, buffer = buffer.split(b"\n\n", 1)
                    event_id, payload = None, None
                    for line in block.split(b"\n"):
                        if line.startswith(b"id: "):
                            event_id = int(line[4:])
                        elif line.startswith(b"data: "):
                            payload = json.loads(line[6:])
                    if payload and "content" in payload:
                        text += payload["content"]
                        offset, pieces = event_id, pieces + 1
                    if payload and (payload.get("done") or "error" in payload):
                        done = True
                if until_pieces is not None and pieces >= until_pieces:
                    break
            return text, offset, done

        first_part: dict[str, tuple[str, str, int]] = {}

        async def start(thread_id: str) -> None:
            body = {"thread_id": thread_id, "message": "How can I sleep better?"}
            async with client.post(f"{base}/api/chat/stream", json=body) as r:
                reply = r.headers["X-Reply-Id"]
                text, offset, _done = await read_events(r, "", until_pieces=3)
                first_part[thread_id] = (reply, text, offset)
            # leaving the block drops this connection mid-reply

        await asyncio.gather(*(start(t) for t in threads))

        async def reconnect(thread_id: str) -> None:  # all at once
            reply, text, offset = first_part[thread_id]
            async with client.get(
                f"{base}/api/chat/replies/{reply}/stream", headers={"Last-Event-ID": str(offset)}
            ) as r:
                text, _offset, _done = await read_events(r, text, until_pieces=None)
            results.append(text)

        started = time.monotonic()
        await asyncio.gather(*(reconnect(t) for t in threads))
        exact = sum(1 for text in results if text == expected)
        return {
            "clients": args.clients, "workers": args.workers, "complete_and_exact": exact,
            "wrong": len(results) - exact, "seconds": time.monotonic() - started,
        }  # fmt: skip


def chart(args) -> dict:
    """TTFB p95 and p99 gap against concurrency (bench.loadgen runs), drawn to docs/benchmarks.png."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from bench import loadgen

    rows = []
    for n in args.streams:
        run_args = argparse.Namespace(streams=n, rounds=2, rate=args.rate, tokens=args.tokens, profile=None)
        rows.append(asyncio.run(loadgen.run(run_args)))
    fig, ax = plt.subplots(figsize=(7, 4), dpi=120)
    xs = [r["streams"] for r in rows]
    ax.plot(xs, [r["ttfb_p95_ms"] for r in rows], marker="o", label="time to first byte, p95")
    ax.plot(xs, [r["gap_p99_ms"] for r in rows], marker="s", label="gap between frames, p99")
    ax.axhline(100, color="grey", linestyle=":", linewidth=1, label="100 ms")
    ax.set_xlabel("concurrent back-to-back streams (one process)")
    ax.set_ylabel("ms")
    ax.set_yscale("log")
    ax.set_title(f"MedBotX streaming, {os.cpu_count()} cores, fake upstream {args.rate:g} tokens/s")
    ax.legend()
    fig.tight_layout()
    out = ROOT / "docs" / "benchmarks.png"
    fig.savefig(out)
    return {"chart": str(out.relative_to(ROOT)), "rows": rows}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("scenario", choices=["paced", "threads", "storm", "chart", "streams"])
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--rate", type=float, default=280.0, help="fake upstream tokens per second per stream")
    parser.add_argument("--tokens", type=int, default=300)
    parser.add_argument("--users", type=int, default=1000)
    parser.add_argument("--pause", type=float, default=10.0)
    parser.add_argument("--duration", type=float, default=60.0)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--python-client", action="store_true", help="threads: aiohttp instead of wrk")
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--streams", type=int, nargs="+", default=[25, 50, 100, 150])
    parser.add_argument("--rounds", type=int, default=2, help="streams: back-to-back questions per client")
    args = parser.parse_args()
    print(f"# {machine_line()}; {vars(args)}")
    if args.scenario == "chart":
        result = chart(args)
    else:
        scenarios = {"paced": paced, "threads": threads_list, "storm": storm, "streams": streams}
        result = asyncio.run(scenarios[args.scenario](args))
    print(json.dumps(result, indent=2, default=str))


if __name__ == "__main__":
    main()
