"""Library search benchmark: per-query latency with the real library and with a generated one of 10,000 topics.

    make bench-library            # or: python -m bench.library --sizes 100 10000

Every question of the test query set (tests/library/queries/*.txt) and the out-of-scope set is searched once
against a freshly built index (so spelling corrections are not yet cached), timed one by one. The generated
topics are variations of the real ones with made-up words in every field, so the vocabulary and the posting
lists grow as a real library would. Targets: p95 ≤ 5 ms at 100 topics, ≤ 50 ms at 10,000.
"""

import argparse
import dataclasses
import os
import platform
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant.library.files import read_all  # noqa: E402
from assistant.library.search import LibraryIndex  # noqa: E402
from tests.library.queries import load_queries, out_of_scope  # noqa: E402

_SYLLABLE_TEXT = """
    ba be bi bo bu da de di do du ka ke ki ko ku la le li lo lu ma me mi mo mu na ne ni no nu ra re ri ro ru sa
    se si so su ta te ti to tu va ve vi vo vu za ze zi zo zu
"""
SYLLABLES = _SYLLABLE_TEXT.split()
ENDINGS = ["itis", "osis", "emia", "algia", "pathy", "oma", "ism", "ectomy", "plasia", "trophy"]


def made_up_word(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))) + rng.choice(ENDINGS)


def generated(real: list, size: int, seed: int = 7) -> list:
    """`size` topics: the real ones, then variations of them with made-up words mixed into every field."""
    rng = random.Random(seed)  # noqa: S311 (made-up words for a benchmark)
    topics = list(real[:size])
    vocabulary = [w for t in real for w in " ".join(t.sections.values()).split()]
    while len(topics) < size:
        base = real[len(topics) % len(real)]
        new = [made_up_word(rng) for _ in range(6)]

        def mix(text: str, new=new) -> str:
            words = text.split()
            for word in new[:3]:
                words.insert(rng.randrange(len(words) + 1), word)
            return " ".join(words + rng.sample(vocabulary, 10))

        topics.append(
            dataclasses.replace(
                base,
                slug=f"generated-{len(topics)}",
                title=f"{new[0].title()} {rng.choice(['syndrome', 'disease', 'disorder', 'condition'])}",
                aliases=(new[1], f"{new[2]} {new[3]}", new[4]),
                summary=mix(base.summary),
                sections={key: mix(text) for key, text in base.sections.items()},
                urgent=mix(base.urgent),
            )
        )
    return topics


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def run(size: int, questions: list[str], real: list) -> dict:
    topics = generated(real, size) if size > len(real) else real[:size]
    start = time.perf_counter()
    index = LibraryIndex(topics)
    build = time.perf_counter() - start
    times = []
    for question in questions:
        t0 = time.perf_counter()
        index.search(question, limit=6)
        times.append((time.perf_counter() - t0) * 1000)
    return {
        "topics": len(topics),
        "queries": len(times),
        "build_s": build,
        "p50": statistics.median(times),
        "p95": percentile(times, 95),
        "p99": percentile(times, 99),
        "max": max(times),
        "vocabulary": len(index.postings),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 10_000])
    args = parser.parse_args(argv)
    real = read_all()
    questions = [q for _slug, q in load_queries()] + out_of_scope()
    print(
        f"# {platform.python_implementation()} {platform.python_version()}, {os.cpu_count()} cores, "
        f"{len(real)} real topics, {len(questions)} questions"
    )
    print("| topics | vocabulary | build | p50 | p95 | p99 | max |")
    print("|---:|---:|---:|---:|---:|---:|---:|")
    for size in args.sizes:
        r = run(size, questions, real)
        print(
            f"| {r['topics']:,} | {r['vocabulary']:,} | {r['build_s']:.2f} s | {r['p50']:.2f} ms | "
            f"{r['p95']:.2f} ms | {r['p99']:.2f} ms | {r['max']:.2f} ms |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
