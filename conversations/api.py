from django.conf import settings
from ninja import Body, Query, Router
from ninja.errors import HttpError

from accounts.auth import ApiRequest
from accounts.identity import Identity
from accounts.schemas import DeletedOut

from . import actions
from .access import get_thread_for
from .models import Message, Thread
from .schemas import MessageOut, ThreadIn, ThreadOut, ThreadRenameIn
from .statements import ThreadRow, visible_threads

router = Router(tags=["threads"])


def _title_or_422(raw: str | None) -> str:
    try:
        return actions.clean_title(raw)
    except ValueError as exc:
        raise HttpError(422, str(exc)) from None


# The original served both /api/threads and /api/threads/; the slash-less
# twins are kept out of the schema so each operation is documented once.
@router.get("/", response=list[ThreadOut], summary="List my threads, most recently active first")
@router.get("", response=list[ThreadOut], include_in_schema=False)
def list_threads(request: ApiRequest) -> list[ThreadRow]:
    identity: Identity = request.auth
    return visible_threads(identity, settings.THREAD_LIST_LIMIT)


@router.post("/", response=ThreadOut, summary="Create a thread")
@router.post("", response=ThreadOut, include_in_schema=False)
def create_thread(request: ApiRequest, payload: ThreadIn = Body(None)) -> Thread:
    """Without a token the thread belongs to nobody and is reachable only through its id."""
    title = _title_or_422(payload.title) if payload is not None else None
    return actions.create_thread(request.auth, title)


@router.get("/{thread_id}", response=ThreadOut, summary="Get a thread")
def get_thread(request: ApiRequest, thread_id: str) -> Thread:
    return get_thread_for(request.auth, thread_id)


@router.put(
    "/{thread_id}",
    response=ThreadOut,
    summary="Rename a thread",
    # The schema documents the JSON body. The original API took the title as a query parameter
    # (`?title=...`, no body), which still works: read below, outside the schema, so the schema can say the
    # body is required when there is no `?title=` (docs/api.md).
    openapi_extra={"requestBody": {"required": True}},
    description='The new title as `{"title": ...}`. Clients of the original MedBotX API send it as `?title=` '
    "with no body instead; that works too.",
)
def rename_thread(request: ApiRequest, thread_id: str, payload: ThreadRenameIn = Body(None)) -> Thread:
    thread = get_thread_for(request.auth, thread_id)
    title = request.GET.get("title")
    if title is not None and payload is not None and payload.title != title:
        raise HttpError(422, "Title given twice with different values; send it once")
    raw = title if title is not None else (payload.title if payload is not None else None)
    if raw is None:
        raise HttpError(422, 'Title is required: send ?title=... or a JSON body {"title": ...}')
    return actions.rename_thread(thread, _title_or_422(raw))


@router.delete("/{thread_id}", response=DeletedOut, summary="Delete a thread and its messages")
def delete_thread(request: ApiRequest, thread_id: str) -> dict[str, str]:
    actions.delete_thread(get_thread_for(request.auth, thread_id))
    return {"message": "Thread deleted successfully"}


@router.get("/{thread_id}/messages", response=list[MessageOut], summary="List a thread's messages, oldest first")
def list_messages(
    request: ApiRequest,
    thread_id: str,
    include_pending: bool = Query(
        False,
        description="Also list a reply that is still being written (status `streaming`, its text so far). "
        "Without it a reply is listed once it has finished, as the original MedBotX did.",
    ),
) -> list[Message]:
    thread = get_thread_for(request.auth, thread_id)
    # The reverse manager hands each message the thread we already hold: two queries in all.
    messages = thread.messages.all()
    if not include_pending:
        messages = messages.exclude(status=Message.Status.STREAMING)
    return list(messages)
