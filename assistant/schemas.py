from django.conf import settings
from ninja import Schema
from pydantic import ConfigDict, Field

from medbotx.fields import NOT_BLANK


class ChatIn(Schema):
    model_config = ConfigDict(extra="forbid", strict=True)

    thread_id: str = Field(description="The thread's id (a UUID)", max_length=64)
    message: str = Field(
        description="The question; trimmed, not empty, at most MEDBOTX_MESSAGE_MAX_CHARS characters",
        json_schema_extra={"minLength": 1, "maxLength": settings.CHAT_MESSAGE_MAX_CHARS, "pattern": NOT_BLANK},
    )


class ReportIn(Schema):
    model_config = ConfigDict(extra="forbid", strict=True)

    thread_id: str = Field(description="The thread's id (a UUID)", max_length=64)
    message_id: str = Field(description="The assistant reply's id (a UUID)", max_length=64)
    reason: str = Field("", description="What is wrong with the answer (optional)", max_length=1000)


class ReportOut(Schema):
    detail: str
