"""What rendering Markdown while an answer streams costs the page's stream, per answer.

    python -m bench.page_stream

The chat page's stream sends each finished Markdown block once, rendered, and the block being written rendered
again at every frame (assistant/views.py, rendering.finished_blocks). Before, each frame was the new text,
escaped. This times both formattings of the same answers, cut into frames of a given size (the stream
coalesces what arrives within STREAM_COALESCE_MS, 50 ms, into one frame: about 20 characters a frame for a
slow model, 100 or more for Groq), on this process's CPU clock. The answers are the offline assistant's for
the questions of the library's query set: Markdown with headings, bold and lists.
"""

import html
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "medbotx.settings")
os.environ.setdefault("DEBUG", "1")

import django  # noqa: E402

django.setup()

from assistant.grounding import ground  # noqa: E402
from assistant.library.files import read_all  # noqa: E402
from assistant.library.search import LibraryIndex  # noqa: E402
from assistant.providers.offline import compose  # noqa: E402
from assistant.rendering import finished_blocks, render_markdown, render_tail  # noqa: E402
from tests.library.queries import load_queries  # noqa: E402


def escaped(frames: list[str]) -> None:
    for frame in frames:
        html.escape(frame, quote=False)


def as_markdown(frames: list[str]) -> None:
    tail = ""
    for frame in frames:
        tail += frame
        cut = finished_blocks(tail)
        if cut:
            render_markdown(tail[:cut])
            tail = tail[cut:]
        render_tail(tail)


def cpu_ms(run, frames: list[str], repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.process_time()
        run(frames)
        best = min(best, time.process_time() - start)
    return best * 1000


def main() -> None:
    index = LibraryIndex(read_all())
    answers = [compose(ground(question, index=index)) for _slug, question in load_queries()[:100]]
    answers = [a for a in answers if len(a) > 500]
    print(f"{len(answers)} answers, {statistics.mean(map(len, answers)):.0f} characters on average")
    print("| characters a frame | before: escaped text, ms an answer | now: Markdown, ms an answer | a frame now, µs |")
    print("| ---: | ---: | ---: | ---: |")
    for size in (20, 100, 400):
        before, now, frame_counts = [], [], []
        for answer in answers:
            frames = [answer[i : i + size] for i in range(0, len(answer), size)]
            before.append(cpu_ms(escaped, frames))
            now.append(cpu_ms(as_markdown, frames))
            frame_counts.append(len(frames))
        per_frame = sum(now) / sum(frame_counts) * 1000
        print(f"| {size} | {statistics.mean(before):.2f} | {statistics.mean(now):.2f} | {per_frame:.0f} |")


if __name__ == "__main__":
    main()
