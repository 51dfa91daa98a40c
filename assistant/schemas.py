from ninja import Schema
from pydantic import ConfigDict, Field


class ChatIn(Schema):
    model_config = ConfigDict(extra="forbid")

    thread_id: str = Field(description="The thread's id (a UUID)", max_length=64)
    message: str = Field(description="The question; trimmed, not empty, at most MEDBOTX_MESSAGE_MAX_CHARS")
