from ninja import Schema
from pydantic import ConfigDict, Field


class ChatIn(Schema):
    model_config = ConfigDict(extra="forbid")

    thread_id: str = Field(description="The thread's id (a UUID)", max_length=64)
    message: str = Field(description="The question; trimmed, not empty, at most MEDBOTX_MESSAGE_MAX_CHARS")


class ReportIn(Schema):
    model_config = ConfigDict(extra="forbid")

    thread_id: str = Field(description="The thread's id (a UUID)", max_length=64)
    message_id: str = Field(description="The assistant reply's id (a UUID)", max_length=64)
    reason: str = Field("", description="What is wrong with the answer (optional)", max_length=1000)


class ReportOut(Schema):
    detail: str
