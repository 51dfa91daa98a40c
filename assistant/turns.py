"""A chat turn's first step, shared by the API and the pages: check the message; check ownership and read the
history (database work); run the safety triage on its own thread (never the database thread: a slow triage
must not hold up other turns' database work); then, in one more unit of database work, search the library and
store both messages. An emergency or a crisis is answered here, at once, with a fixed answer: no model is
called. A near miss (scored just below the threshold) is recorded for the moderators."""

import asyncio
import dataclasses
import logging
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from asgiref.sync import sync_to_async
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.identity import Identity
from conversations import actions, replies
from conversations.access import get_question_for, get_reply_by_id_for, get_thread_for
from conversations.actions import (
    create_thread,
    history_before,
    new_thread,
    question_before,
    recent_history,
    start_turn,
    title_from,
)
from conversations.models import Message, Thread
from medbotx import limits

from . import generation
from .generation import WORKER
from .grounding import Grounding, ground
from .metrics import SAFETY_NOT_STORED
from .models import Feedback, SafetyEvent
from .prompts import build_messages
from .providers import get_provider
from .safety import OK, OUT_OF_SCOPE, Region, Triage, current_region, resources, safety_text, triage
from .safety.triage import by_rules, model_failed

log = logging.getLogger(__name__)

SAFETY_PROVIDER = "safety"
# The triage's own thread: the classifier's CPU work runs here, in C without the GIL, so neither the event loop
# nor the database thread waits on it. One per process: it is CPU-bound, and the processes share the cores.
TRIAGE_THREAD = ThreadPoolExecutor(max_workers=1, thread_name_prefix="medbotx-triage")


async def assess(text: str, history: list[tuple[str, str]]) -> Triage:
    """The safety triage of a message. The rules first, here (cheap regular expressions): an emergency they
    recognise is answered without waiting on anything. Then the classifier, on the triage thread, for at most
    SAFETY_TRIAGE_TIMEOUT seconds: past that, or if it fails, the rules' verdict stands (logged and counted),
    and a queued job whose caller has gone is skipped."""
    ruled = by_rules(text, history)
    if ruled.escalates:
        return ruled
    gone = threading.Event()

    def job() -> Triage | None:
        return None if gone.is_set() else triage(text, history)

    future = asyncio.get_running_loop().run_in_executor(TRIAGE_THREAD, job)
    try:
        found = await asyncio.wait_for(future, settings.SAFETY_TRIAGE_TIMEOUT)
    except Exception as exc:  # TimeoutError, or anything unexpected: fail safe
        gone.set()
        return dataclasses.replace(ruled, failure=model_failed(exc))
    return found if found is not None else ruled


class MessageError(ValueError):
    """The message cannot be sent; the text says why, for the person who wrote it."""


def check_message(raw: str) -> str:
    """The trimmed message, or MessageError. The length is the message's as sent (the schema's maxLength)."""
    text = (raw or "").strip()
    if not text:
        raise MessageError(_("Message cannot be empty"))
    if len(raw) > settings.CHAT_MESSAGE_MAX_CHARS:
        raise MessageError(_("Message is too long: at most %(n)d characters") % {"n": settings.CHAT_MESSAGE_MAX_CHARS})
    return text


def limit_key(identity: Identity, client: str) -> tuple[str, str]:
    """(kind, key) for the abuse limits: the account, the guest identity, or the address for no identity."""
    if identity.user is not None:
        return "user", f"user:{identity.user.pk}"
    if identity.guest_id is not None:
        return "guest", f"guest:{identity.guest_id}"
    return "anonymous", f"ip:{client}"


def check_chat_allowed(identity: Identity, client: str) -> str:
    """Raise Throttled past the per-minute limit or the daily token quota; return the limit key."""
    kind, key = limit_key(identity, client)
    quota = limits.peek("tokens", key, settings.TOKENS_PER_DAY[kind], limits.TOKEN_QUOTA_SECONDS)
    if not quota.allowed:
        raise limits.Throttled(
            _("You have reached today's limit for answers. It resets %(when)s.") % {"when": quota.retry_text},
            quota.retry_after,
        )
    rate = limits.hit("chat", key, settings.CHAT_PER_MINUTE[kind], 60)
    if rate.allowed and kind == "guest":
        # Guest identities cost nothing to mint: their questions also count against their address, so that
        # a new guest per question does not escape the limit.
        rate = limits.hit("chat-address", client, settings.ADDRESS_CHAT_PER_MINUTE, 60)
    if not rate.allowed:
        raise limits.Throttled(
            _("You're sending messages quickly. Please try again %(when)s.") % {"when": rate.retry_text},
            rate.retry_after,
        )
    return key


@dataclass(frozen=True)
class Turn:
    thread: Thread
    text: str
    history: list[tuple[str, str]]
    grounding: Grounding
    question: Message
    reply: Message
    safety: Triage
    limit_key: str = ""  # where the reply's tokens are counted against the daily quota

    @property
    def stored(self) -> bool:
        """False for an emergency or a crisis answered past the storage bound: nothing to resume or reload."""
        return self.reply.pk is not None

    @property
    def escalated(self) -> bool:
        """Answered at once by the safety layer; there is nothing to generate."""
        return self.safety.escalates

    @property
    def messages(self) -> list[dict]:
        """What the model is sent."""
        return build_messages(self.history, self.text, self.grounding)


def _event(kind: str, found: Triage, thread: Thread, question: Message, text: str) -> SafetyEvent:
    category = found.category
    if kind == SafetyEvent.Kind.NEAR_MISS and found.scores:
        s = found.scores
        category = s["crisis_category"] if s["crisis"] > s["emergency"] else s["emergency_category"]
    return SafetyEvent.objects.create(
        kind=kind,
        safety_class=found.cls if found.escalates else SafetyEvent.SafetyClass.OK,
        category=category,
        rule=found.rule,
        evidence=found.evidence,
        language=found.lang,
        thread=thread,
        message=question,
        excerpt=text[:2000],
    )


def _safety(found: Triage, region: Region) -> dict:
    resources_ = resources(found, region)
    return {"class": found.cls, "category": found.category, "language": found.lang, "resources": resources_}


@transaction.atomic
def _escalate(thread: Thread, text: str, found: Triage) -> tuple[Message, Message]:
    region = current_region()
    question, reply = start_turn(
        thread,
        text,
        provider=SAFETY_PROVIDER,
        model=f"triage-{found.layer}",
        answer=safety_text(found, region),
        safety=_safety(found, region),
    )
    _event(SafetyEvent.Kind.ESCALATION, found, thread, question, text)
    return question, reply


def may_store_escalation(identity: Identity, client: str) -> bool:
    """Emergencies and crises are answered past every limit, so without a bound anyone could make the server
    store two messages and a SafetyEvent per request. What is stored of them is bounded per caller and
    minute (MEDBOTX_SAFETY_STORED_PER_MINUTE: the account, the guest, or the address of a caller with
    neither), and for guests and callers without an identity per address too, since guests are cheap to make
    (MEDBOTX_SAFETY_STORED_PER_ADDRESS_PER_MINUTE). Past the bound they are still answered, not stored."""
    kind, key = limit_key(identity, client or "unknown")
    verdict = limits.hit("safety-stored", key, settings.SAFETY_STORED_PER_MINUTE, 60)
    if verdict.allowed and kind != "user":
        per_address = settings.SAFETY_STORED_PER_ADDRESS_PER_MINUTE
        verdict = limits.hit("safety-stored-address", client or "unknown", per_address, 60)
    if not verdict.allowed:
        SAFETY_NOT_STORED.inc()
        if limits.hit("safety-stored-logged", key, 1, 60).allowed:  # one line a minute
            log.warning("emergency answers from %s past the storage bound this minute: answered, not stored", key)
    return verdict.allowed


def _answer_unstored(thread: Thread, text: str, found: Triage) -> tuple[Message, Message]:
    """The question and the fixed answer as unsaved messages: the same answer, nothing written."""
    region = current_region()
    now = timezone.now()
    question = Message(thread=thread, role=Message.Role.USER, content=text, created_at=now, updated_at=now)
    reply = Message(
        thread=thread,
        role=Message.Role.ASSISTANT,
        content=safety_text(found, region),
        status=Message.Status.COMPLETE,
        provider=SAFETY_PROVIDER,
        model=f"triage-{found.layer}",
        safety=_safety(found, region),
        sources=[],
        created_at=now,
        updated_at=now,
    )
    return question, reply


def begin_turn(
    identity: Identity,
    thread: Thread | str,
    text: str,
    *,
    provider: str,
    model: str,
    client: str = "",
    checked_key: str | None = None,
    history: list[tuple[str, str]] | None = None,
    found: Triage | None = None,
    store: bool | None = None,
) -> Turn:
    """Ownership (404 for anyone but the owner), history, triage, the abuse limits, library search, and the
    question and a reply stored together: pending (with its sources), or complete when the safety layer
    answered. An emergency or a crisis is answered whatever the limits. The server passes the history it read
    and the triage it ran on the triage thread (abegin_turn); synchronous callers (tests, the shell) may not."""
    if not isinstance(thread, Thread):
        thread = get_thread_for(identity, thread)
    if history is None:
        history = recent_history(thread, settings.LLM_HISTORY_MESSAGES)
    if found is None:
        found = triage(text, history)
    if found.escalates:
        if store if store is not None else may_store_escalation(identity, client):
            question, reply = _escalate(thread, text, found)
        else:
            question, reply = _answer_unstored(thread, text, found)
        return Turn(thread, text, history, Grounding(text, medical=True), question, reply, found)
    key = checked_key if checked_key is not None else check_chat_allowed(identity, client)
    # Not about health: nothing to look up, and the offline assistant declines.
    grounding = (
        Grounding(text, medical=False, lang=found.lang)
        if found.cls == OUT_OF_SCOPE
        else ground(text, history, lang=found.lang)
    )
    # Every stored question has text, so with any history to read, none means this is the first exchange.
    first = not history if settings.LLM_HISTORY_MESSAGES > 0 else None
    with transaction.atomic():
        question, reply = start_turn(
            thread, text, provider=provider, model=model, sources=grounding.sources, worker=WORKER, first=first
        )
        if found.near_miss:
            _event(SafetyEvent.Kind.NEAR_MISS, found, thread, question, text)
    return Turn(thread, text, history, grounding, question, reply, found, key)


def _read_thread(identity: Identity, thread_id: uuid.UUID | str) -> tuple[Thread, list[tuple[str, str]]]:
    thread = get_thread_for(identity, thread_id)
    return thread, recent_history(thread, settings.LLM_HISTORY_MESSAGES)


def _new_thread(identity: Identity, client: str, found: Triage) -> tuple[Thread, str]:
    # The limits are checked before the thread is made (a refused turn must not leave an empty thread behind),
    # except for an emergency or a crisis, which is always answered.
    key = "" if found.escalates else check_chat_allowed(identity, client)
    return create_thread(identity), key


async def abegin_turn(
    identity: Identity, thread_id: uuid.UUID | str | None, text: str, *, provider: str, model: str, client: str = ""
) -> Turn:
    """begin_turn for the server: the database work on the database thread, the triage on its own thread.
    `thread_id` None starts a new thread (the first question of a new chat)."""
    store = None
    if thread_id is None:
        found = await assess(text, [])
        if found.escalates:
            store = await sync_to_async(may_store_escalation)(identity, client)
        if store is False:  # past the storage bound: not even a thread is made
            thread, key = new_thread(identity), ""  # never saved
        else:
            thread, key = await sync_to_async(_new_thread)(identity, client, found)
        history: list[tuple[str, str]] = []
    else:
        thread, history = await sync_to_async(_read_thread)(identity, thread_id)
        found, key = await assess(text, history), None
    return await sync_to_async(begin_turn)(
        identity, thread, text, provider=provider, model=model, client=client, checked_key=key,
        history=history, found=found, store=store,
    )  # fmt: skip


class RetryError(ValueError):
    """The reply cannot be generated again (it is complete, or still being written)."""


def begin_retry(
    identity: Identity, reply_id: uuid.UUID | str, client: str = "", *, about_health: bool | None = None
) -> Turn:
    """Generate again, in place, a reply that failed, was stopped or was cut off: the same question, the
    history before it, a fresh library search (none when `about_health` is False: see _generate_again)."""
    reply = get_reply_by_id_for(identity, reply_id)
    reply = replies.settle(reply)
    if reply.status not in replies.RETRYABLE:
        if reply.status == Message.Status.STREAMING:
            raise RetryError(_("This answer is still being written"))
        raise RetryError(_("This answer is complete; ask again to get a new one"))
    question = question_before(reply)
    if question is None:
        raise RetryError(_("There is no question to answer"))
    key = check_chat_allowed(identity, client)
    return _generate_again(question, reply, key, about_health=about_health)


def asked_before(
    identity: Identity, reply_id: uuid.UUID | str, *, retry: bool
) -> tuple[str, list[tuple[str, str]]] | None:
    """The question a reply answers and the history before it (404 for anyone but the owner), to triage; None
    when the reply cannot be generated again anyway (begin_retry and begin_regenerate say why), so a refused
    request costs no triage."""
    reply = replies.settle(get_reply_by_id_for(identity, reply_id))
    if reply.status == Message.Status.STREAMING or reply.provider == SAFETY_PROVIDER:
        return None
    if retry and reply.status not in replies.RETRYABLE:
        return None
    question = question_before(reply)
    if question is None:
        return None
    return question.content, history_before(question, settings.LLM_HISTORY_MESSAGES)


async def about_health(identity: Identity, reply_id: uuid.UUID | str, *, retry: bool) -> bool | None:
    """Whether the question a reply answers is about health, as the whole triage (its about-health head
    included) finds on the triage thread; None when there is nothing to triage."""
    asked = await sync_to_async(asked_before)(identity, reply_id, retry=retry)
    if asked is None:
        return None
    return (await assess(*asked)).cls != OUT_OF_SCOPE


def _generate_again(
    question: Message,
    reply: Message,
    key: str,
    *,
    provider: str = "",
    model: str = "",
    about_health: bool | None = None,
) -> Turn:
    """The reply to `question`, pending again in place, with a fresh library search. As the turn did, a
    question not about health is not looked up: `about_health` is the whole triage's finding, made on the
    triage thread by the caller (retry_turn, regenerate_turn, edit_turn); without it (synchronous callers:
    tests, the shell) the rules decide, which need no model."""
    history = history_before(question, settings.LLM_HISTORY_MESSAGES)
    ruled = by_rules(question.content, history)
    if about_health is None:
        about_health = ruled.cls != OUT_OF_SCOPE
    if not about_health:
        grounding = Grounding(question.content, medical=False, lang=ruled.lang)
    else:
        grounding = ground(question.content, history, lang=ruled.lang)
    restarted = replies.restart(reply, WORKER, sources=grounding.sources, provider=provider, model=model)
    if restarted is None:
        raise RetryError(_("This answer is still being written"))
    return Turn(restarted.thread, question.content, history, grounding, question, restarted, Triage(OK), key)


def _keep(reply: Message) -> None:
    """The reply's answer, and the Helpful? given on it, kept as an earlier version; the new one starts unrated."""
    feedback = Feedback.objects.filter(message=reply).first()
    replies.keep_version(reply, {"rating": feedback.rating, "comment": feedback.comment} if feedback else None)
    if feedback is not None:
        feedback.delete()


def _last_exchange(reply: Message) -> Message:
    """The question a finished reply answers, when they are the thread's last exchange (RetryError if not).
    Called again inside the transaction that changes them, with the thread locked (`_locked`): two presses
    of Regenerate or Edit, or an Edit and a new question at once, cannot both pass."""
    reply = replies.settle(reply)
    if reply.status == Message.Status.STREAMING:
        raise RetryError(_("This answer is still being written; stop it first"))
    question = question_before(reply)
    if question is None or not replies.is_last_exchange(question, reply):
        raise RetryError(_("Only the last answer can be generated again"))
    return question


def _locked(reply: Message) -> Message:
    """Inside a transaction: the reply's thread locked against other changes (PostgreSQL: SELECT ... FOR
    UPDATE; SQLite: one writer at a time already), and the last-exchange checks made again."""
    Thread.objects.select_for_update().filter(pk=reply.thread_id).first()
    return _last_exchange(reply)


def begin_regenerate(
    identity: Identity, reply_id: uuid.UUID | str, client: str = "", *, about_health: bool | None = None
) -> Turn:
    """Regenerate: the thread's last answer written again, in place, its earlier version kept (reachable on
    the page and in the export). A fixed safety answer is not generated again."""
    reply = get_reply_by_id_for(identity, reply_id)
    if reply.provider == SAFETY_PROVIDER:
        raise RetryError(_("This answer is the safety answer; it is not generated again"))
    _last_exchange(reply)
    key = check_chat_allowed(identity, client)
    writer = get_provider()
    with transaction.atomic():
        question = _locked(reply)
        _keep(reply)
        return _generate_again(
            question, reply, key, provider=writer.name, model=writer.model, about_health=about_health
        )


def read_for_edit(
    identity: Identity, thread_id: uuid.UUID | str, question_id: uuid.UUID | str
) -> tuple[Message, Message, list[tuple[str, str]]]:
    """The question to edit, its reply, and the history before it (RetryError unless it is the last one)."""
    question = get_question_for(identity, thread_id, question_id)
    reply = (
        Message.objects.filter(thread_id=question.thread_id, role=Message.Role.ASSISTANT)
        .order_by("-created_at", "-id")
        .first()
    )
    if reply is None:
        raise RetryError(_("There is no answer to this question yet"))
    if reply.safety:
        raise RetryError(_("An emergency answer stays as it is; write your next message below it"))
    if _last_exchange(reply).pk != question.pk:
        raise RetryError(_("Only the last question can be edited"))
    return question, reply, history_before(question, settings.LLM_HISTORY_MESSAGES)


def begin_edit(
    identity: Identity,
    question: Message,
    reply: Message,
    text: str,
    history: list[tuple[str, str]],
    found: Triage,
    *,
    client: str = "",
) -> Turn:
    """Edit and send again: the last question replaced by `text` and answered again, in place, the earlier
    question and answer kept as versions. Triaged like any new message: an emergency gets the fixed answer."""
    provider = get_provider()
    if found.escalates and not may_store_escalation(identity, client):
        # Past the storage bound for emergencies: answered all the same, the stored exchange left as it was.
        asked, answered = _answer_unstored(reply.thread, text, found)
        return Turn(reply.thread, text, history, Grounding(text, medical=True), asked, answered, found)
    key = "" if found.escalates else check_chat_allowed(identity, client)
    with transaction.atomic():
        if _locked(reply).pk != question.pk:
            raise RetryError(_("Only the last question can be edited"))
        earlier = question.content
        replies.keep_version(question)
        Message.objects.filter(pk=question.pk).update(content=text, updated_at=timezone.now())
        question.content = text
        actions.replace_title(reply.thread_id, title_from(earlier), title_from(text))  # a title it gave, redone
        _keep(reply)
        if found.escalates:
            region = current_region()
            reply = replies.answer(
                reply, safety_text(found, region), provider=SAFETY_PROVIDER, model=f"triage-{found.layer}",
                safety=_safety(found, region),
            )  # fmt: skip
            _event(SafetyEvent.Kind.ESCALATION, found, reply.thread, question, text)
            return Turn(reply.thread, text, history, Grounding(text, medical=True), question, reply, found)
        if found.near_miss:
            _event(SafetyEvent.Kind.NEAR_MISS, found, reply.thread, question, text)
        turn = _generate_again(
            question, reply, key, provider=provider.name, model=provider.model,
            about_health=found.cls != OUT_OF_SCOPE,
        )  # fmt: skip
    return dataclasses.replace(turn, safety=found)


async def take_turn(identity: Identity, thread_id: uuid.UUID | str | None, raw: str, *, client: str) -> Turn:
    """A chat turn, the one way the API and the pages alike take it: the message checked (MessageError), then
    abegin_turn (the thread made when `thread_id` is None, the triage once, the limits, both messages
    stored), then the reply's generation started, unless the safety layer answered already. The caller
    formats the turn: the API as a stream, the pages as HTML."""
    text = check_message(raw)
    provider = get_provider()
    turn = await abegin_turn(identity, thread_id, text, provider=provider.name, model=provider.model, client=client)
    if not turn.escalated:
        # The first exchange of a thread that took its title from the question (not one named by the person
        # or an API client): a language model then titles it (the offline library does not).
        first = not turn.history and turn.stored and turn.thread.title == title_from(text)
        titled = first and settings.MODEL_TITLES and provider.name != "offline"
        generation.start(
            turn.reply, provider, turn.messages, turn.grounding, turn.limit_key, title_question=text if titled else ""
        )
    return turn


async def retry_turn(identity: Identity, reply_id: uuid.UUID | str, *, client: str) -> Turn:
    """ "Try again": begin_retry (RetryError, Throttled), then the reply generated again, in place."""
    health = await about_health(identity, reply_id, retry=True)
    turn = await sync_to_async(begin_retry)(identity, reply_id, client, about_health=health)
    generation.start(turn.reply, get_provider(), turn.messages, turn.grounding, turn.limit_key)
    return turn


async def regenerate_turn(identity: Identity, reply_id: uuid.UUID | str, *, client: str) -> Turn:
    """ "Regenerate": begin_regenerate (RetryError, Throttled), then the answer written again, in place."""
    health = await about_health(identity, reply_id, retry=False)
    turn = await sync_to_async(begin_regenerate)(identity, reply_id, client, about_health=health)
    generation.start(turn.reply, get_provider(), turn.messages, turn.grounding, turn.limit_key)
    return turn


async def edit_turn(
    identity: Identity, thread_id: uuid.UUID | str, question_id: uuid.UUID | str, raw: str, *, client: str
) -> Turn:
    """ "Edit" on the last question: checked (MessageError, RetryError, Throttled), triaged on the triage
    thread, stored (begin_edit), then answered: at once by the safety layer, or generated."""
    text = check_message(raw)
    question, reply, history = await sync_to_async(read_for_edit)(identity, thread_id, question_id)
    found = await assess(text, history)
    turn = await sync_to_async(begin_edit)(identity, question, reply, text, history, found, client=client)
    if not turn.escalated:
        generation.start(turn.reply, get_provider(), turn.messages, turn.grounding, turn.limit_key)
    return turn
