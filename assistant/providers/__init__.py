"""LLM providers behind one small interface (`Provider.stream`), chosen by MEDBOTX_LLM.

- groq: the official `groq` SDK's AsyncGroq (GROQ_API_KEY, GROQ_BASE_URL, GROQ_MODEL)
- openai: any OpenAI-compatible server, e.g. vLLM, llama.cpp server or Ollama (OPENAI_BASE_URL, OPENAI_MODEL)
- offline: no model; says so plainly
"""

from collections.abc import Callable
from functools import cache
from types import ModuleType
from typing import Any

import httpx
from django.conf import settings

from .base import Provider, ProviderError, Usage
from .offline import OfflineProvider
from .openai_compatible import OpenAICompatibleProvider

__all__ = ["Provider", "ProviderError", "Usage", "get_provider", "reset_provider"]


def _http_timeout() -> httpx.Timeout:
    return httpx.Timeout(
        connect=settings.LLM_CONNECT_TIMEOUT,
        read=settings.LLM_IDLE_TIMEOUT,
        write=settings.LLM_CONNECT_TIMEOUT,
        pool=settings.LLM_CONNECT_TIMEOUT,
    )


def _limits() -> httpx.Limits:
    # Well above 100 concurrent streams per process: each stream holds one connection.
    n = settings.LLM_MAX_CONNECTIONS
    return httpx.Limits(max_connections=n, max_keepalive_connections=n)


def _sdk_provider(
    name: str,
    sdk: ModuleType,
    client_class: Callable[..., Any],
    *,
    api_key: str,
    base_url: str | None,
    model: str,
    path: str,
    **kw: Any,
) -> OpenAICompatibleProvider:
    """A provider over one of the official SDKs; its client is made inside each running event loop."""
    timeout = _http_timeout()

    def make_client() -> Any:
        return client_class(
            api_key=api_key or "unset",
            base_url=base_url or None,
            timeout=timeout,
            max_retries=settings.LLM_MAX_RETRIES,
            http_client=sdk.DefaultAioHttpClient(timeout=timeout, limits=_limits()),
        )

    return OpenAICompatibleProvider(
        name=name,
        model=model,
        client_factory=make_client,
        sdk=sdk,
        idle_timeout=settings.LLM_IDLE_TIMEOUT,
        path=path,
        **kw,
    )


def _groq() -> OpenAICompatibleProvider:
    import groq

    return _sdk_provider(
        "groq",
        groq,
        groq.AsyncGroq,
        api_key=settings.GROQ_API_KEY,
        base_url=settings.GROQ_BASE_URL,
        model=settings.GROQ_MODEL,
        path="/openai/v1/chat/completions",  # what groq's chat.completions.create posts to
    )


def _openai() -> OpenAICompatibleProvider:
    import openai

    return _sdk_provider(
        "openai",
        openai,
        openai.AsyncOpenAI,
        api_key=settings.OPENAI_API_KEY,
        base_url=settings.OPENAI_BASE_URL,
        model=settings.OPENAI_MODEL,
        path="/chat/completions",  # what openai's chat.completions.create posts to (the base URL ends in /v1)
        extra_body={"stream_options": {"include_usage": True}},
    )


@cache
def get_provider() -> Provider:
    """The configured provider; one per process (each keeps one client per event loop)."""
    kind = settings.MEDBOTX_LLM
    if kind == "groq":
        return _groq()
    if kind == "openai":
        return _openai()
    return OfflineProvider()


def reset_provider() -> None:
    """Forget the provider, so changed settings take effect (tests)."""
    get_provider.cache_clear()
