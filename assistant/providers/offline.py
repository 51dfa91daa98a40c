"""The provider used when no model is configured: it says so, and invents nothing."""

from collections.abc import AsyncIterator

from .base import Usage

NOTICE = (
    "MedBotX is running in offline mode: no language model is configured, so I cannot answer health "
    "questions yet. Your message has been saved. To get answers, the person running this server can set "
    "GROQ_API_KEY (or MEDBOTX_LLM=openai with an OpenAI-compatible server). If you feel unwell, please "
    "contact a doctor, nurse or pharmacist, and in an emergency call your local emergency number (911 in the US)."
)


class OfflineProvider:
    name = "offline"
    model = "none"

    async def aclose(self) -> None:
        pass

    async def stream(self, messages: list[dict], *, temperature: float, max_tokens: int) -> AsyncIterator[str | Usage]:
        for word in NOTICE.split(" "):
            yield word + " "
        yield Usage(prompt_tokens=0, completion_tokens=0)
