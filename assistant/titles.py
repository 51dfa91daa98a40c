"""Thread titles written by the model. A new thread is titled at once from its first question
(conversations.actions.title_from, a heuristic); when a language model answers (not the offline library),
it is then asked, once the first answer is complete, for a short title of that first exchange, which
replaces the heuristic one unless the person renamed the thread meanwhile.

The request is small (the question and the start of the answer, a few tokens back) and runs after the
answer, never delaying it; any failure leaves the heuristic title in place.
"""

import asyncio
import logging
import re

from asgiref.sync import sync_to_async

from conversations import actions
from conversations.models import TITLE_MAX_LENGTH, Message

from .providers import Provider, ProviderError

log = logging.getLogger(__name__)

PROMPT = (
    "Write a title for this conversation with a health assistant: at most six words, in the language of the "
    "question, naming its subject. Answer with the title alone: no quotes, no full stop, no other text."
)
LIMIT = 60  # characters, like the heuristic title
_tasks: set[asyncio.Task] = set()


def clean(raw: str) -> str:
    """The model's title made fit to show: its first line, without a "Title:" label, quotes, Markdown marks
    or end punctuation, cut at a word; "" when nothing usable is left."""
    line = next((part.strip() for part in raw.strip().splitlines() if part.strip()), "")
    line = re.sub(r"^(?:title|título)\s*:\s*", "", line, flags=re.IGNORECASE)
    line = line.strip(" \"'“”\u2018\u2019«»*_#`").rstrip(" .!?;:,")  # quotes, Markdown marks
    line = " ".join(line.split())
    if len(line) > LIMIT:
        line = line[:LIMIT].rsplit(" ", 1)[0].rstrip(",.;:!?- ") + "…"
    if len(line) < 3 or "://" in line or len(line) > TITLE_MAX_LENGTH:
        return ""
    return line[0].upper() + line[1:]


async def write(reply: Message, question: str, answer: str, provider: Provider) -> str:
    """Ask the model for the title of a first exchange; store it if the thread still has its first title."""
    messages = [
        {"role": "system", "content": PROMPT},
        {"role": "user", "content": f"Question: {question[:500]}\n\nStart of the answer: {answer[:400]}"},
    ]
    pieces: list[str] = []
    try:
        async for piece in provider.stream(messages, temperature=0.2, max_tokens=24):
            if isinstance(piece, str):
                pieces.append(piece)
    except ProviderError as exc:
        log.info("no model title for thread %s: %s", reply.thread_id, exc.message)
        return ""
    title = clean("".join(pieces))
    if title:
        first = actions.title_from(question)
        if not await sync_to_async(actions.replace_title)(reply.thread_id, first, title):
            return ""  # renamed meanwhile (or already titled): the person's title stays
    return title


def after_first_answer(reply: Message, question: str, answer: str, provider: Provider) -> None:
    """Start `write` in the background (kept referenced until it ends)."""
    task = asyncio.get_running_loop().create_task(write(reply, question, answer, provider))
    _tasks.add(task)
    task.add_done_callback(_tasks.discard)
