"""The triage inside a chat turn: Spanish answers, the model never called for an escalation, near misses in the
review queue, and the triage on its own thread (never the database thread)."""

import importlib
import threading

import pytest

from assistant import turns
from assistant.models import SafetyEvent
from assistant.safety.classifier import Scores
from tests.safety.test_escalation import ask, new_thread

triage_module = importlib.import_module("assistant.safety.triage")

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]


async def test_a_spanish_crisis_is_answered_in_spanish_with_988s_spanish_option_and_no_model(aclient, fake_groq):
    thread = await new_thread()
    events = await ask(aclient, thread, "ya no quiero vivir, quiero morirme")
    assert fake_groq.requests == []  # the model never saw it
    safety = events[1]["safety"]
    assert (safety["class"], safety["language"]) == ("crisis", "es")
    assert safety["resources"][0]["label"] == "988 Línea de Prevención del Suicidio y Crisis"
    assert "marca 2" in safety["resources"][0]["note"] and "AYUDA" in safety["resources"][0]["note"]
    text = events[2]["content"]
    assert text.startswith("Me alegra mucho que me lo hayas contado")
    assert "**988 Línea de Prevención del Suicidio y Crisis: 988**" in text and "**911**" in text
    event = await SafetyEvent.objects.aget()
    assert event.language == "es" and event.evidence["lang"] == "es"
    assert event.rule.startswith("es-")  # a Spanish rule caught it: no waiting on the classifier


async def test_a_spanish_emergency_for_someone_else_speaks_to_the_helper(aclient, fake_groq):
    thread = await new_thread()
    events = await ask(aclient, thread, "mi esposo no puede respirar y tiene los labios morados")
    assert fake_groq.requests == []
    assert events[1]["safety"]["class"] == "emergency"
    assert events[2]["content"].startswith("**Esto podría ser una emergencia. Llama al 911 ahora por tu esposo**")


class NearModel:
    thresholds = {"escalate": 0.5, "alone": 0.9, "near_miss": 0.1}

    def score(self, message, history=()):
        return Scores(0.32, 0.02, "stroke", "suicide", 0.0)


async def test_a_near_miss_is_answered_normally_and_queued_for_review_with_its_scores(aclient, fake_groq, monkeypatch):
    monkeypatch.setattr(triage_module, "classifier", lambda path=None: NearModel())
    thread = await new_thread()
    events = await ask(aclient, thread, "my arm feels a bit odd since this morning")
    assert len(fake_groq.requests) == 1  # answered by the model as usual
    assert not any("safety" in e for e in events)
    event = await SafetyEvent.objects.aget()
    assert (event.kind, event.safety_class, event.category) == ("near_miss", "ok", "stroke")
    assert event.evidence["scores"]["emergency"] == 0.32 and event.rule == ""


async def test_the_classifier_runs_on_its_own_thread_not_the_database_thread(aclient, fake_groq, monkeypatch):
    seen = []
    real = turns.triage

    def spy(text, history):
        seen.append((text, threading.current_thread().name))
        return real(text, history)

    monkeypatch.setattr(turns, "triage", spy)
    thread = await new_thread()
    await ask(aclient, thread, "what helps with hay fever?")
    await ask(aclient, thread, "mi hijo no puede respirar y tiene los labios morados")  # the rules: no queue
    assert [text for text, _ in seen] == ["what helps with hay fever?"]
    assert seen[0][1].startswith("medbotx-triage"), seen


async def test_a_slow_classifier_times_out_and_the_rules_verdict_stands(aclient, fake_groq, monkeypatch, settings):
    import time

    settings.SAFETY_TRIAGE_TIMEOUT = 0.2
    calls = []

    def slow(text, history):
        calls.append(text)
        time.sleep(0.6)

    monkeypatch.setattr(turns, "triage", slow)
    thread = await new_thread()
    started = time.monotonic()
    events = await ask(aclient, thread, "what helps with hay fever?")
    assert time.monotonic() - started < 0.55  # answered on the rules' verdict, not after the classifier
    assert events[-1] == {"done": True} and len(fake_groq.requests) == 1
    # An emergency the rules recognise never waits at all.
    started = time.monotonic()
    events = await ask(aclient, thread, "I want to kill myself")
    assert events[1]["safety"]["class"] == "crisis" and time.monotonic() - started < 0.55
    assert calls == ["what helps with hay fever?"]
