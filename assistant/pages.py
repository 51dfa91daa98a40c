"""The chat page: the conversation and its sidebar of threads, renaming and deleting a thread.

Every page works as plain HTML forms; with htmx the same URLs answer with the fragment that changed
(partials of assistant/chat.html). Sending a message and the streamed reply are in views.py.
"""

import datetime
import time
import uuid
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers
from django_htmx.middleware import HtmxDetails

from accounts import notice
from accounts.identity import Identity, identity_for_request
from conversations import actions, replies
from conversations.access import get_thread_for
from conversations.models import Message, Thread
from conversations.search import search_threads
from conversations.statements import ThreadRow, visible_threads

from . import generation
from .models import Feedback
from .providers import errors
from .rendering import link_citations, live_parts, render_markdown

CHAT_TEMPLATE = "assistant/chat.html"


class HtmxRequest(HttpRequest):
    """A page's request, for type checkers: an HttpRequest with the `htmx` details django-htmx's middleware
    sets on every request (nothing makes this class)."""

    htmx: HtmxDetails


def _sidebar_threads(identity: Identity) -> list[ThreadRow]:
    return visible_threads(identity, settings.THREAD_LIST_LIMIT)


DATE_GROUPS = (gettext_lazy("Today"), gettext_lazy("Yesterday"), gettext_lazy("Previous 7 days"), gettext_lazy("Older"))


def by_date(rows: list[ThreadRow], now: datetime.datetime | None = None) -> list[tuple[str, list[ThreadRow]]]:
    """The threads in groups by their last activity, in the server's time zone, most recent first:
    today, yesterday, the 7 days before, older. Empty groups are left out."""
    today = timezone.localdate(now or timezone.now())
    groups: list[list[ThreadRow]] = [[] for _ in DATE_GROUPS]
    for row in rows:
        age = (today - timezone.localdate(row.updated_at)).days
        groups[0 if age <= 0 else 1 if age == 1 else 2 if age <= 7 else 3].append(row)
    return [(str(label), found) for label, found in zip(DATE_GROUPS, groups, strict=True) if found]


def _feedback_of(message: Message) -> Feedback | None:
    try:
        return message.feedback  # the reverse one-to-one (assistant.Feedback)
    except Feedback.DoesNotExist:
        return None


def entry(message: Message, thread: Thread, *, new: bool = False) -> dict:
    """What the page shows for one message (the `message` partial). `new`: just stored, so it has no earlier
    versions to look up."""
    view = {"message": message, "id": message.public_id, "role": message.role, "status": message.status}
    shows_versions = message.role == Message.Role.USER or message.status != Message.Status.STREAMING
    if message.pk is not None and not new and shows_versions:
        view["versions"] = [
            {"when": v.created_at, "text": v.content, "html": render_markdown(v.content) if v.content else ""}
            for v in message.versions.all()
        ]
    if message.role == Message.Role.USER:
        return view
    running = generation.get(message.public_id) if message.status == Message.Status.STREAMING else None
    if message.status == Message.Status.STREAMING:
        blocks, tail, offset = live_parts(running.text if running is not None else message.content)
        view.update(
            streaming=True,
            blocks=blocks,
            tail=tail,
            offset=offset,
            stream_url=reverse("reply_stream", args=[thread.public_id, message.public_id]),
            stop_url=reverse("reply_stop", args=[thread.public_id, message.public_id]),
        )
    else:
        html = render_markdown(message.content)
        view["html"] = html
        view["safety"] = message.safety or None
        if message.pk is not None:  # an answer that was not stored cannot be reported or rated
            view["report_url"] = reverse("reply_report", args=[thread.public_id, message.public_id])
            view["feedback_url"] = reverse("reply_feedback", args=[thread.public_id, message.public_id])
            feedback = _feedback_of(message)
            view["rating"], view["comment"] = (feedback.rating, feedback.comment) if feedback else ("", "")
        # The offline assistant writes its sources into the answer itself; a model's are listed below it, and
        # its [n] citations link to them.
        sources = message.sources if message.provider != "offline" else []
        view["sources"] = sources
        if sources:
            view["html"] = link_citations(html, f"src-{message.public_id}", len(sources))
        if message.status == Message.Status.ERROR:
            view["error"] = errors.for_page(message.error, message.retry_after)
        if message.status in replies.RETRYABLE:
            view["retry_url"] = reverse("reply_retry", args=[thread.public_id, message.public_id])
    return view


def may_regenerate(reply: Message) -> bool:
    """Whether Regenerate is offered on this answer, when it is the thread's last: finished, and not a fixed
    safety answer (the server refuses the rest)."""
    return reply.status == Message.Status.COMPLETE and not reply.safety


def may_edit(reply: Message) -> bool:
    """Whether Edit is offered on the question this answer answers, when they are the last exchange: not
    after an emergency or crisis answer, which stays as it is (the server refuses it)."""
    return not reply.safety


def _offer_again(thread: Thread, stored: list[Message], entries: list[dict]) -> None:
    """The last exchange: Edit on the question (refused while its answer is written: stop it first), and
    Regenerate on the answer once it is finished (not on a fixed safety answer)."""
    if len(stored) < 2 or stored[-1].role != Message.Role.ASSISTANT or stored[-2].role != Message.Role.USER:
        return
    reply, question = stored[-1], stored[-2]
    if may_regenerate(reply):
        entries[-1]["regenerate_url"] = reverse("reply_regenerate", args=[thread.public_id, reply.public_id])
    if may_edit(reply):
        entries[-2]["edit_url"] = reverse("question_edit", args=[thread.public_id, question.public_id])


# Offered on an empty chat, in the page's language: everyday questions the library answers (in English and
# in Spanish), none about an emergency.
STARTERS = (
    gettext_lazy("What are the early signs of type 2 diabetes?"),
    gettext_lazy("How can I lower my blood pressure without medicine?"),
    gettext_lazy("Is it a cold or the flu? How can I tell?"),
    gettext_lazy("What helps when I can't sleep?"),
)


def _refresh_url(request: HttpRequest, entries: list[dict]) -> str:
    """Where a page without JavaScript reloads itself while an answer is written: this page again (a new
    query each time, or the browser would only scroll to the fragment), opened on the last question."""
    questions = [e for e in entries if e["role"] == Message.Role.USER]
    anchor = f"#msg-{questions[-1]['id']}" if questions else ""
    return f"{request.path}?t={time.monotonic_ns() // 1_000_000}{anchor}"


def chat_context(request: HttpRequest, identity: Identity, thread: Thread | None, **extra: Any) -> dict:
    """Everything the chat page shows. With `?q=` the sidebar lists the threads that match instead of all."""
    stored = list(thread.messages.select_related("feedback").prefetch_related("versions")) if thread else []
    entries = [entry(m, thread) for m in stored] if thread is not None else []
    pending = any(e.get("streaming") for e in entries)
    if thread is not None:
        _offer_again(thread, stored, entries)
    return {
        "identity": identity,
        "threads": (threads := _sidebar_threads(identity)),
        "thread_groups": by_date(threads),
        "search": (query := request.GET.get("q", "").strip()[:200]),
        "found": search_threads(identity, query) if query else None,
        "thread": thread,
        "entries": entries,
        "pending": pending,
        "refresh_url": _refresh_url(request, entries) if pending else "",
        "send_url": reverse("send", args=[thread.public_id]) if thread else reverse("send_new"),
        "max_chars": settings.CHAT_MESSAGE_MAX_CHARS,
        "starters": STARTERS if not entries else (),
        **extra,
    }


def _identity_or_landing(request: HttpRequest) -> tuple[Identity, HttpResponseRedirect | None]:
    """The caller, or where to send them first: the landing page (no identity), the notice (not accepted)."""
    identity = identity_for_request(request)
    if identity.is_anonymous:
        return identity, redirect("landing")
    if not notice.has_accepted(request):
        return identity, redirect(f"{reverse('notice')}?next={request.path}")
    return identity, None


@require_GET
def chat(request: HttpRequest) -> HttpResponse:
    identity, away = _identity_or_landing(request)
    if away:
        return away
    return render(request, CHAT_TEMPLATE, chat_context(request, identity, None))


@require_GET
def thread_page(request: HttpRequest, thread_id: uuid.UUID) -> HttpResponse:
    identity, away = _identity_or_landing(request)
    if away:
        return away
    thread = get_thread_for(identity, thread_id)
    return render(request, CHAT_TEMPLATE, chat_context(request, identity, thread))


@require_POST
@vary_on_headers("HX-Request")
def rename(request: HtmxRequest, thread_id: uuid.UUID) -> HttpResponse:
    identity = identity_for_request(request)
    thread = get_thread_for(identity, thread_id)
    try:
        title = actions.clean_title(request.POST.get("title"))
    except ValueError as exc:
        if request.htmx:
            context = {
                "t": thread,
                "current": request.POST.get("current") == "1",
                "rename_error": str(exc),
                "rename_id": thread.public_id,
            }
            return render(request, f"{CHAT_TEMPLATE}#thread_item", context, status=422)
        return render(
            request,
            CHAT_TEMPLATE,
            chat_context(request, identity, thread, rename_error=str(exc), rename_id=thread.public_id),
            status=422,
        )
    actions.rename_thread(thread, title)
    if request.htmx:
        context = {"t": thread, "current": request.POST.get("current") == "1"}
        return render(request, f"{CHAT_TEMPLATE}#thread_item", context)
    return redirect("thread", thread.public_id)


@require_http_methods(["GET", "POST"])
@vary_on_headers("HX-Request")
def delete(request: HtmxRequest, thread_id: uuid.UUID) -> HttpResponse:
    identity = identity_for_request(request)
    thread = get_thread_for(identity, thread_id)
    if request.method == "GET":
        return render(request, "assistant/delete.html", {"thread": thread})
    actions.delete_thread(thread)
    if request.htmx:
        if request.POST.get("current") == "1":
            response = HttpResponse(status=204)
            response["HX-Redirect"] = reverse("chat")
            return response
        return HttpResponse("")  # the sidebar item is replaced by nothing
    return redirect("chat")
