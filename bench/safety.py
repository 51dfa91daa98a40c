"""Safety triage benchmark: CPU and memory per message for the whole triage (rules and classifier).

    make bench-safety            # or: python -m bench.safety [--limit N] [--layers-compare]

Every message of the corpus (assistant/safety/corpus/, all splits, long messages and multi-turn ones included)
is triaged once, one by one, on one thread, as the server's triage thread does. CPU is the thread's own CPU
time (time.thread_time) around each call; memory is the process's resident set before the model loads and
after every message was triaged. Targets (issue 13): mean ≤ 30 ms and p99 ≤ 60 ms of CPU per message, at most
150 MB more per process. `--layers-compare` also times the encoder alone at each depth on the same messages,
the figures behind the choice of depth in docs/safety.md.
"""

import argparse
import os
import platform
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("OMP_NUM_THREADS", "1")


def rss_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1e6


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=0, help="only the first N messages")
    parser.add_argument("--layers-compare", action="store_true")
    args = parser.parse_args(argv)

    from assistant.safety import corpus, rules
    from assistant.safety.triage import classifier, triage

    examples = corpus.load()
    if args.limit:
        examples = examples[: args.limit]
    before = rss_mb()
    t0 = time.thread_time()
    model = classifier()
    load_ms = (time.thread_time() - t0) * 1000
    triage("warm up", [])
    cpu, rules_cpu, tokens = [], [], []
    for e in examples:
        history = list(e.history)
        t = time.thread_time()
        triage(e.message, history, model=model)
        cpu.append((time.thread_time() - t) * 1000)
        t = time.thread_time()
        rules.match(e.message, history)
        rules_cpu.append((time.thread_time() - t) * 1000)
        tokens.append(model.encoder.tokens(model.window(e.message)))
    after = rss_mb()
    from bench.loadgen import python_speed_ms

    machine = platform.processor() or platform.machine()
    print(f"machine: {machine}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"yardstick {python_speed_ms():.0f} ms (bench.loadgen.python_speed_ms; lower is faster)")  # fmt: skip
    depth, window = model.meta["layers"], model.max_tokens
    print(f"model: {depth} of 12 encoder layers, window {window} tokens ({model.context_tokens} read in context); "
          f"loaded in {load_ms:.1f} ms CPU")  # fmt: skip
    print(f"messages: {len(examples)} (multi-turn {sum(1 for e in examples if e.history)}); tokens read: mean "
          f"{statistics.mean(tokens):.1f}, max {max(tokens)}")  # fmt: skip
    print(f"triage CPU per message: mean {statistics.mean(cpu):.2f} ms, p50 {percentile(cpu, 50):.2f}, "
          f"p95 {percentile(cpu, 95):.2f}, p99 {percentile(cpu, 99):.2f}, max {max(cpu):.2f}")  # fmt: skip
    print(f"  of which the rules: mean {statistics.mean(rules_cpu):.3f} ms, p99 {percentile(rules_cpu, 99):.3f}")
    print(f"memory: {before:.0f} MB before the model, {after:.0f} MB after; +{after - before:.0f} MB")
    if args.layers_compare:
        from assistant.safety.classifier import Encoder

        texts = [model.window(e.message) for e in examples[:600]]
        for depth in (12, 8, 6, 4):
            encoder = model.encoder if depth == model.meta["layers"] else Encoder(depth)
            spent = []
            for text in texts:
                t = time.thread_time()
                encoder.embed([text])
                spent.append((time.thread_time() - t) * 1000)
            print(f"encoder alone, {depth:2d} layers: mean {statistics.mean(spent):.2f} ms, "
                  f"p99 {percentile(spent, 99):.2f} ms over {len(texts)} messages")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
