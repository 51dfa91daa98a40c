"""What following a reply yields: Pieces of text, KEEPALIVE in silences, and Ended with the stored reply."""

from dataclasses import dataclass

from conversations.models import Message


@dataclass(frozen=True)
class Piece:
    """Text from `offset` on."""

    offset: int
    text: str

    @property
    def end(self) -> int:
        return self.offset + len(self.text)


# Yielded after STREAM_KEEPALIVE_SECONDS of silence; compared by identity (`item is KEEPALIVE`).
KEEPALIVE = Piece(-1, "")


@dataclass(frozen=True)
class Ended:
    """The last thing `follow` yields: the reply as stored at its end (complete, error, cancelled or
    interrupted)."""

    reply: Message
