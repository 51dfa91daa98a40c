from asgiref.sync import sync_to_async
from django.conf import settings
from django.http import StreamingHttpResponse
from ninja import Router
from ninja.errors import HttpError

from accounts.auth import async_optional_bearer
from accounts.identity import Identity
from conversations.access import get_thread_for
from conversations.actions import recent_history, start_turn

from .prompts import build_messages
from .providers import get_provider
from .schemas import ChatIn
from .streaming import relay

router = Router(tags=["chat"])

SSE_DESCRIPTION = """A `text/event-stream` of events, each exactly `data: <one-line JSON>` and a blank line:
`{"content": "..."}` as the answer arrives, then `{"usage": {...}}` and `{"done": true}`; on failure
`{"error": "<a sentence for the person>", "retry_after": <seconds, when known>}` and no `done`.
Lines starting with `:` are comments (the opening and keep-alives). Both messages are stored before the
model is called; the reply is stored at the end as complete, error or interrupted."""


def _clean_message(raw: str) -> str:
    text = raw.strip()
    if not text:
        raise HttpError(422, "Message cannot be empty")
    if len(text) > settings.CHAT_MESSAGE_MAX_CHARS:
        raise HttpError(422, f"Message is too long: at most {settings.CHAT_MESSAGE_MAX_CHARS} characters")
    return text


def _begin_turn(identity: Identity, thread_id: str, text: str, provider_name: str, model: str):
    """One unit of database work: the ownership check, the history, and storing both messages."""
    thread = get_thread_for(identity, thread_id)
    history = recent_history(thread, settings.LLM_HISTORY_MESSAGES)
    _question, reply = start_turn(thread, text, provider=provider_name, model=model)
    return history, reply


@router.post(
    "/stream",
    auth=async_optional_bearer,
    summary="Ask a question; the answer streams back as Server-Sent Events",
    description=SSE_DESCRIPTION,
    response={200: None},
    openapi_extra={"responses": {"200": {"content": {"text/event-stream": {"schema": {"type": "string"}}}}}},
)
async def chat_stream(request, payload: ChatIn):
    text = _clean_message(payload.message)
    provider = get_provider()
    history, reply = await sync_to_async(_begin_turn)(
        request.auth, payload.thread_id, text, provider.name, provider.model
    )
    response = StreamingHttpResponse(
        relay(provider, build_messages(history, text), reply), content_type="text/event-stream"
    )
    response["Cache-Control"] = "no-cache"
    response["X-Accel-Buffering"] = "no"
    return response
