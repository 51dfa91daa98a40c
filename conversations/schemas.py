import uuid
from datetime import datetime

from ninja import Schema
from pydantic import ConfigDict, Field, JsonValue

from medbotx.fields import NOT_BLANK

from .models import DEFAULT_TITLE, TITLE_MAX_LENGTH, Message, Thread

# Trimmed, a title must not be empty (422 otherwise).
TITLE_SCHEMA: dict[str, JsonValue] = {"minLength": 1, "pattern": NOT_BLANK}


class ThreadIn(Schema):
    model_config = ConfigDict(extra="forbid", strict=True)

    title: str = Field(DEFAULT_TITLE, max_length=TITLE_MAX_LENGTH, json_schema_extra=TITLE_SCHEMA)
    is_guest: bool = Field(
        False, description="Accepted for compatibility; a thread is a guest thread exactly when no user owns it."
    )


class ThreadRenameIn(Schema):
    model_config = ConfigDict(extra="forbid", strict=True)

    title: str = Field(max_length=TITLE_MAX_LENGTH, json_schema_extra=TITLE_SCHEMA)


class ThreadOut(Schema):
    id: uuid.UUID
    title: str
    is_guest: bool
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_id(thread: Thread) -> uuid.UUID:
        return thread.public_id


class SourceOut(Schema):
    title: str
    url: str


class MessageOut(Schema):
    id: uuid.UUID
    thread_id: uuid.UUID
    role: str
    content: str
    status: str
    sources: list[SourceOut] = Field(
        default_factory=list, description="For assistant replies: the library pages the answer drew on."
    )
    created_at: datetime

    @staticmethod
    def resolve_id(message: Message) -> uuid.UUID:
        return message.public_id

    @staticmethod
    def resolve_thread_id(message: Message) -> uuid.UUID:
        return message.thread.public_id
