"""The provider used when no language model is configured: it answers from the built-in health library.

The answer is composed from the best topic's passages (chosen by what the question asks: symptoms, causes,
what helps, prevention), says where it comes from, says when to get urgent help, and lists the sources. When
the library has nothing relevant it says so plainly; a request that is not about health is declined.
Nothing is invented: every sentence comes from a reviewed topic, or is one of the fixed ones below.
"""

import asyncio
import re
from collections.abc import AsyncIterator

from django.conf import settings

from ..grounding import Grounding
from ..library.files import SECTIONS, TopicData
from ..safety import current_region
from .base import Usage

HEADER = "*From MedBotX's built-in health library (offline mode). General information, not a diagnosis.*"

NOT_FOUND = (
    "I could not find this in MedBotX's health library, and in offline mode I answer only from the library, "
    "so I would rather not guess. A doctor, nurse or pharmacist can help with this question; a pharmacist is "
    "often the quickest to reach for advice about medicines and minor illnesses.\n\n"
    "If you feel very unwell or think it may be an emergency, call {emergency} now."
)
DECLINED = (
    "I can only help with health questions: symptoms, conditions, medicines in general, staying healthy and "
    "finding the right care. Is there something about your health I can help with?"
)
GREETING = (
    "Hello! I'm MedBotX, an AI health assistant (not a doctor). In offline mode I answer from a built-in "
    "library of reviewed health topics, with their sources: conditions, symptoms, medicines in general, "
    "vaccines, mental health and staying healthy. What would you like to know?\n\n"
    "In an emergency, call {emergency}."
)

# The same fixed text in Spanish, for a question in Spanish: the topic's Spanish summary and urgent help.
HEADER_ES = (
    "*De la biblioteca de salud integrada de MedBotX (modo sin conexión). Información general, no un diagnóstico.*"
)
NOT_FOUND_ES = (
    "No encontré esto en la biblioteca de salud de MedBotX y, sin conexión, solo respondo con la biblioteca, así "
    "que prefiero no adivinar. Un médico, una enfermera o un farmacéutico pueden ayudarte con esta pregunta; el "
    "farmacéutico suele ser lo más rápido para dudas sobre medicinas y malestares leves.\n\n"
    "Si te sientes muy mal o crees que puede ser una emergencia, llama al {emergency} ahora."
)
DECLINED_ES = (
    "Solo puedo ayudar con preguntas de salud: síntomas, enfermedades, medicinas en general, cuidarse y encontrar "
    "la atención adecuada. ¿Hay algo de tu salud en lo que pueda ayudarte?"
)
URGENT_ES = "Cuándo buscar ayuda urgente"
SOURCES_ES = "Fuentes"
MORE_ES = (
    "En inglés, la biblioteca tiene más sobre este tema (qué es, síntomas, causas, qué ayuda): "
    "pregunta en inglés para leerlo."
)
RELATED_ES = "Otros temas de la biblioteca: {titles}. Pregunta por uno para leer más."
REVIEWED_ES = "Revisado por última vez el {date}."

WEAK = "*The closest topic I have is {title}; it may not answer your question. A pharmacist, nurse or doctor can.*"
WEAK_ES = (
    "*El tema más cercano que tengo es {title}; puede que no responda a tu pregunta. Un farmacéutico, una "
    "enfermera o un médico pueden ayudarte.*"
)
# A medicine the question names: what it is, and where its dose comes from (the library never gives one).
NO_DOSE = (
    "How much to take, how often and with what is on its label and leaflet; a pharmacist can go through them "
    "with you. MedBotX does not give doses."
)
NO_DOSE_ES = (
    "Cuánto tomar, cada cuánto y con qué otros medicamentos lo dicen su etiqueta y su prospecto; un farmacéutico "
    "puede revisarlos contigo. MedBotX no da dosis."
)

# What the question asks for, by the words it uses; the first match wins, checked in this order.
_INTENT_WORDS = (
    ("prevention", r"prevent\w*|avoid\w*|stop (?:getting|catching)|(?:lower|reduce) (?:my|the) risk|protect\w*"),
    (
        "causes",
        r"caus\w*|why|risk\w*|trigger\w*|contagious|catch(?:ing)?"
        r"|how (?:do|did|does|can) (?:you|i|people|someone|he|she|they) (?:get|catch)",
    ),
    (
        "symptoms",
        r"symptom\w*|signs?|how (?:do|would|can) i (?:know|tell)|do i have|could (?:it|this|i) be|feel like|look like",
    ),
    (
        "what_helps",
        r"treat\w*|help\w*|cure\w*|reliev\w*|remed\w*|manag\w*|get rid|fix\w*|what (?:can|should) i (?:do|take)"
        r"|home|medicine\w*|medication\w*|ease|soothe|recover\w*|better",
    ),
    ("what_it_is", r"what (?:is|are|does)|what's|whats|mean\w*|explain\w*|tell me about"),
)
INTENTS = tuple((key, re.compile(rf"\b(?:{pattern})\b", re.IGNORECASE)) for key, pattern in _INTENT_WORDS)
DEFAULT_SECTIONS = ("what_it_is", "symptoms", "what_helps")


def sections_for(question: str, available: dict[str, str]) -> list[str]:
    """The sections to show: the one the question asks for first, then what it is (for context)."""
    for key, pattern in INTENTS:
        if key in available and pattern.search(question):
            chosen = [key]
            if key != "what_it_is" and "what_it_is" in available:
                chosen.insert(0, "what_it_is")
            if key == "symptoms" and "what_helps" in available:
                chosen.append("what_helps")
            return chosen
    return [key for key in DEFAULT_SECTIONS if key in available] or list(available)[:2]


def not_found_text() -> str:
    return NOT_FOUND.format(emergency=current_region().emergency.number)


def greeting_text() -> str:
    return GREETING.format(emergency=current_region().emergency.number)


def medicines(grounding: Grounding, lang: str) -> list[str]:
    """What each medicine the question names is, and where its dose comes from: never a dose."""
    if lang == "es":
        return [f"**{drug.label('es')}**: {drug.about_es} {NO_DOSE_ES}" for drug in grounding.drugs]
    return [f"**{drug.label()}**: {drug.about} {NO_DOSE}" for drug in grounding.drugs]


def _sources(grounding: Grounding, best: TopicData) -> list[dict[str, str]]:
    """The pages of the medicines named, then the best topic's, each once."""
    pages = {s["url"]: s for drug in grounding.drugs for s in drug.sources}
    for source in best.sources:
        pages.setdefault(source["url"], source)
    return list(pages.values())


def compose_spanish(grounding: Grounding) -> str:
    """The answer to a question in Spanish: the topic's Spanish summary and urgent help, and its sources
    (the English pages, and a Spanish one where the topic has it)."""
    emergency = current_region().emergency.number
    if not grounding.hits:
        return f"{HEADER_ES}\n\n{NOT_FOUND_ES.format(emergency=emergency)}" if grounding.medical else DECLINED_ES
    best = grounding.hits[0].topic
    parts = [HEADER_ES, *medicines(grounding, "es"), f"## {best.title}", best.summary]
    parts += [f"**{URGENT_ES}**\n\n{best.urgent}", MORE_ES]
    if grounding.weak and not grounding.drugs:
        parts.insert(1, WEAK_ES.format(title=best.title))
    related = [hit.topic.title for hit in grounding.hits[1:]]
    if related:
        parts.append(RELATED_ES.format(titles=", ".join(related)))
    ordered = sorted(_sources(grounding, best), key=lambda source: source.get("lang") != "es")
    sources = "\n".join(f"- [{s['name']}]({s['url']})" for s in ordered)
    parts.append(f"**{SOURCES_ES}**\n\n{sources}\n\n{REVIEWED_ES.format(date=best.reviewed.isoformat())}")
    return "\n\n".join(parts)


def compose(grounding: Grounding | None) -> str:
    """The whole answer, as Markdown."""
    if grounding is None:
        return not_found_text()
    if grounding.lang == "es" and not grounding.small_talk:
        return compose_spanish(grounding)
    if grounding.small_talk:
        return greeting_text()
    if not grounding.hits:
        return f"{HEADER}\n\n{not_found_text()}" if grounding.medical else DECLINED
    best = grounding.hits[0].topic
    parts = [HEADER, *medicines(grounding, "en"), f"## {best.title}", best.summary]
    if grounding.weak and not grounding.drugs:
        parts.insert(1, WEAK.format(title=best.title))
    for key in sections_for(grounding.question, best.sections):
        parts.append(f"**{SECTIONS[key]}**\n\n{best.sections[key]}")
    parts.append(f"**When to get urgent help**\n\n{best.urgent}")
    related = [hit.topic.title for hit in grounding.hits[1:]]
    if related:
        parts.append("Related topics in the library: " + ", ".join(related) + ". Ask about one to read more.")
    sources = "\n".join(f"- [{s['name']}]({s['url']})" for s in _sources(grounding, best))
    parts.append(f"**Sources**\n\n{sources}\n\nLast reviewed {best.reviewed.isoformat()}.")
    return "\n\n".join(parts)


def pieces(text: str) -> list[str]:
    """The answer in word-sized pieces (each with its following space or newline), as a model would send."""
    return re.findall(r"\S+\s*|\s+", text)


class OfflineProvider:
    name = "offline"
    model = "health-library"

    async def aclose(self) -> None:
        pass

    async def stream(
        self, messages: list[dict], *, temperature: float, max_tokens: int, grounding: Grounding | None = None
    ) -> AsyncIterator[str | Usage]:
        pace = settings.OFFLINE_PACE_MS / 1000
        for piece in pieces(compose(grounding)):
            yield piece
            if pace:
                await asyncio.sleep(pace)
        yield Usage(prompt_tokens=0, completion_tokens=0)
