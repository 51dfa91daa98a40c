"""The one small interface every provider speaks."""

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Protocol

from ..grounding import Grounding


@dataclass(frozen=True)
class Usage:
    prompt_tokens: int | None = None
    completion_tokens: int | None = None


class ProviderError(Exception):
    """The model could not answer. `message` is a sentence for the person asking."""

    def __init__(self, message: str, *, retry_after: float | None = None, code: str = "upstream_error") -> None:
        super().__init__(message)
        self.message = message
        self.retry_after = retry_after
        self.code = code


class Provider(Protocol):
    name: str
    model: str

    def stream(
        self, messages: list[dict], *, temperature: float, max_tokens: int, grounding: Grounding | None = None
    ) -> AsyncIterator[str | Usage]:
        """Yield text pieces as they come, then at most one Usage; raise ProviderError on failure.
        `grounding` is what the library found (the language models already have it in `messages`)."""
        ...

    async def aclose(self) -> None:
        """Release this event loop's connections."""
        ...
