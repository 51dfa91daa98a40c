"""Safety triage, run before any model: a pure function of the new message and the thread's recent turns.

    triage("me duele mucho el pecho y no puedo respirar", history=[])
    # Triage(cls="emergency", category="heart_attack", rule="es-infarto", lang="es", scores={...})

Two layers; the turn escalates when either fires:

1. **Rules** (rules.py): named regular expressions in English and Spanish, fast and auditable, softened by
   negation, the past and education framing, with persistence after an earlier escalation.
2. **The learned classifier** (classifier.py): scores the message alone and read with the recent turns (the
   last user turns and the assistant's last question), so "yes, tonight" after "do you have a plan?" counts.
   Its thresholds come with the model (docs/safety.md says how they were chosen); a score from half the
   threshold up that does not escalate is a near miss, recorded for the moderators.

If the classifier cannot run (no model file, an error), the rules still decide, and the failure is logged and
counted in /metrics (`medbotx_safety_model_failures_total`): triage fails safe, never open.

The verdict carries its evidence (the rule's name, the model's scores), the message's language, and who the
message is about when the writer is helping someone else ("your dad"), so the fixed answer speaks to them.
The same pass of the classifier says how likely the message is about health at all: a message that asks anew
(`asks_anew`) and scores under the model's "health" threshold, with nothing escalated, is out of scope, and the
library is not searched for it (assistant/library/scope.py, docs/library.md).
"""

import logging
import os
import re
import threading
import time
from dataclasses import replace
from pathlib import Path

from django.conf import settings

from ..metrics import SAFETY_MODEL_FAILURES
from . import rules
from .classifier import MODEL_PATH, Classifier, ModelUnavailable, Scores
from .responses import escalation_of
from .result import CRISIS, EMERGENCY, OK, OUT_OF_SCOPE, Triage

__all__ = ["CRISIS", "EMERGENCY", "OK", "OUT_OF_SCOPE", "Triage", "classifier", "triage"]

log = logging.getLogger(__name__)

_lock = threading.Lock()
_loaded: dict[Path, Classifier] = {}
_failed: dict[Path, float] = {}  # path -> when loading last failed (tried again after a minute)
RETRY_LOAD_AFTER = 60.0


def model_path() -> Path:
    """MEDBOTX_SAFETY_MODEL when Django's settings are there (the server, the tests); else the committed model
    (the training script, the benchmark)."""

    if not settings.configured and not os.environ.get("DJANGO_SETTINGS_MODULE"):
        return MODEL_PATH
    return Path(getattr(settings, "SAFETY_MODEL_PATH", "") or MODEL_PATH)


def classifier(path: Path | None = None) -> Classifier:
    """The process's classifier, loaded once (ModelUnavailable when it cannot be)."""
    path = path or model_path()
    found = _loaded.get(path)
    if found is not None:
        return found
    with _lock:
        if path in _loaded:
            return _loaded[path]
        if time.monotonic() - _failed.get(path, -RETRY_LOAD_AFTER) < RETRY_LOAD_AFTER:
            raise ModelUnavailable(f"the safety model at {path} failed to load less than a minute ago")
        try:
            _loaded[path] = Classifier.load(path)
        except Exception as exc:
            _failed[path] = time.monotonic()
            raise ModelUnavailable(str(exc)) from exc
        return _loaded[path]


def warm_up() -> None:
    """Load the classifier and run it once, at server start. A failure is logged and left to each turn, which
    then fails safe (the rules still triage)."""
    try:
        classifier().score("warm up")
    except Exception as exc:
        log.error("safety classifier not loaded at start: %s", exc)


# --- Who the message is about -------------------------------------------------------------------

_EN_PERSON = re.compile(
    r"\bmy (?:(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten)[ -](?:year|yr|month|week)s?[ -]old[ -]?)?"
    r"(?:little |baby |older |younger |elderly |teenage |pregnant )?"
    r"(dad|father|mom|mum|mother|son|daughter|baby|newborn|wife|husband|partner|boyfriend|girlfriend|bf|gf|friend|"
    r"brother|sister|grandma|grandpa|grandmother|grandfather|granny|nana|uncle|aunt|kid|child|toddler|roommate|"
    r"flatmate|coworker|colleague|neighbou?r|patient|nephew|niece|cousin|fianc[ée]e?|teen|teenager|stepdad|stepmom|"
    r"stepfather|stepmother|boss|student|grandson|granddaughter|mother[ -]in[ -]law|father[ -]in[ -]law|"
    r"(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten)[ -](?:year|yr|month|week)s?[ -]old)\b",
    re.IGNORECASE,
)
_ES_PERSON = re.compile(
    r"\b(?:mis?) (pap[aá]|apa|padre|jefe|mam[aá]|madre|jefa|hij[oa]|beb[eé]|esposo|esposa|marido|mujer|señora|"
    r"novi[oa]|pareja|amig[oa]|herman[oa]|hermanit[oa]|abuel[oa]|abuelit[oa]|t[ií][oa]|niet[oa]|prim[oa]|"
    r"compañer[oa]|vecin[oa]|suegr[oa]|niñ[oa]|nen[ea]|chamac[oa]|paciente|cuñad[oa]|sobrin[oa]|padrastro)\b",
    re.IGNORECASE,
)


def about_whom(message: str, lang: str) -> str:
    """ "your dad" / "tu papá" when the message names who it is about; "" when it does not."""
    found = (_ES_PERSON if lang == "es" else _EN_PERSON).search(message)
    if found is None:
        return ""
    who = found.group(1).lower()
    if lang == "es":
        return f"tu {who}"
    if re.search(r"\d|old", who):
        return "your child"
    return f"your {who}"


# --- The two layers together ---------------------------------------------------------------------


def _learned(
    message: str, history: list[tuple[str, str]] | None, model: Classifier | None, lang: str
) -> tuple[dict | None, str]:
    """The classifier's scores and what they decide (as evidence), or None and why it could not run. Any
    failure here, loading, scoring or reading the thresholds, leaves the turn to the rules."""
    try:
        model = model or classifier()
        s = model.score(message, history or ())
        t = model.thresholds
        fired = decide(s, t, asks_about_a_subject(message, history, lang))
        escalate = max(s.emergency + s.crisis, sum(s.alone) if s.alone else 0.0)
        # Fired only because of the turns before it: the message alone is below the single-message threshold.
        by_context_only = bool(fired) and s.alone is not None and sum(s.alone) < t["escalate"]
        return {
            **s.as_dict(),
            "fired": fired,
            "escalate": round(escalate, 3),
            "near": escalate >= t["near_miss"],
            "by_context_only": by_context_only,
            "not_health": s.health is not None
            and s.health < t.get("health", 0.0)
            and not s.short
            and asks_anew(message, history),
        }, ""
    except Exception as exc:  # fail safe: the rules still decide
        return None, model_failed(exc)


def model_failed(exc: BaseException) -> str:
    """Log and count a failure of the learned layer; the text kept in the event's evidence."""
    kind = (
        "unavailable" if isinstance(exc, ModelUnavailable) else "timeout" if isinstance(exc, TimeoutError) else "error"
    )
    SAFETY_MODEL_FAILURES.labels(kind=kind).inc()
    log.error("safety classifier %s: %s", kind, exc, exc_info=kind == "error")
    return f"{kind}: {exc}"[:300]


def asks_about_a_subject(message: str, history: list[tuple[str, str]] | tuple | None, lang: str) -> bool:
    """A first message that the rules read as a question about a subject, with nobody described in trouble
    now ("what is a heart attack", "how does CPR keep someone alive")."""
    return not history and rules.framing(message, lang) == "education"


# Later in a thread, a message is read as a new question (and may be found not about health) from this many words:
# a shorter one leans on what came before ("what about for kids?").
NEW_QUESTION_WORDS = 8


def asks_anew(message: str, history: list[tuple[str, str]] | tuple | None) -> bool:
    """A first message, or a later one long enough to be a question of its own."""
    return not any(role == "user" for role, _ in history or ()) or len(message.split()) >= NEW_QUESTION_WORDS


def decide(s: Scores, thresholds: dict, education: bool = False) -> str:
    """What the classifier's scores escalate to ("emergency", "crisis" or ""). A single message escalates at
    the threshold; read in context, at the context threshold; the same message alone, and a message of one
    or two words with nothing before it, only at the strict "alone" threshold; a first message that asks
    about a subject (`asks_about_a_subject`) at no less than the "education" threshold. (train.py draws its
    dev curve with this too.)"""
    t = thresholds
    threshold = t["alone"] if s.short else t["context"] if s.read_with_context else t["escalate"]
    if education:
        threshold = max(threshold, t.get("education", 0.0))
    fired = _fired(s.emergency, s.crisis, threshold)
    if not fired and s.alone is not None:
        fired = _fired(*s.alone, t["alone"])
    return fired


def _fired(emergency: float, crisis: float, threshold: float) -> str:
    if emergency + crisis < threshold:  # 1 - P(ok)
        return ""
    return CRISIS if crisis > emergency else EMERGENCY


def by_rules(message: str, history: list[tuple[str, str]] | None = None) -> Triage:
    """The rules' verdict alone (regular expressions, cheap): an escalation needs nothing more, and when the
    classifier fails or times out this is the verdict."""
    found = rules.match(message, history, rules.detect_language(message))
    if found.escalates:
        return _with_person(found, message, None, history)
    return found


def triage(message: str, history: list[tuple[str, str]] | None = None, *, model: Classifier | None = None) -> Triage:
    """Classify a new message, given the thread's earlier (role, content) messages, oldest first. The rules
    go first; when they escalate, that is the verdict (the classifier is not run: an emergency waits on
    nothing). Otherwise the classifier decides whether to escalate, or records a near miss."""
    ruled = by_rules(message, history)
    if ruled.escalates:
        return ruled
    scores, failure = _learned(message, history, model, ruled.lang)
    fired = scores["fired"] if scores else ""
    if fired and scores and scores["by_context_only"] and rules.care_under_way(message, ruled.lang):
        # The danger is in the earlier turns and this message says help is coming or here ("ok I called
        # 911, they're on the way"): not escalated again; a near miss, for the moderators to see.
        scores = {**scores, "fired": "", "care_under_way": True}
        return Triage(ruled.cls, ruled.category, ruled.rule, ruled.lang, scores, near_miss=True)
    if not fired or scores is None:
        near = bool(scores and scores["near"])
        cls, category = ruled.cls, ruled.category
        if scores and scores["not_health"] and cls == OK:
            # Not about health by the model's reading ("how to improve my swimming stroke"): nothing is looked up.
            cls, category = OUT_OF_SCOPE, "non_medical"
        return Triage(cls, category, ruled.rule, ruled.lang, scores, near_miss=near, failure=failure)
    found = Triage(fired, scores[f"{fired}_category"], "", ruled.lang, scores)
    if scores["by_context_only"] and (earlier := thread_escalation(history)):
        # The danger is in the earlier turns, so the answer is the earlier escalation's: "what is eczema?" after
        # "my dad is not breathing" is reminded to call 911, not given a crisis line.
        found = Triage(earlier, "persistence", "", ruled.lang, {**scores, "after": earlier})
    return _with_person(found, message, scores, history)


def thread_escalation(history: list[tuple[str, str]] | None) -> str:
    """The class of the thread's latest escalation: the latest fixed answer among the recent turns, or else the
    latest earlier user message the rules escalate; "" when there is none."""
    for role, content in reversed((history or [])[-6:]):
        if role == "assistant" and (cls := escalation_of(content)):
            return cls
    found = rules.earlier_escalation(history)
    return found.cls if found is not None else ""


# The writer speaks of themselves first: "I took my mom's pills", "me tomé las pastillas de mi mamá".
_FIRST_PERSON = {
    "en": re.compile(r"\b(?:i|im|i'm|i've|ive|i'll|me|myself)\b", re.IGNORECASE),
    "es": re.compile(
        r"\b(?:yo|me|tengo|estoy|siento|puedo|quiero|mí|mi (?:pecho|cabeza|brazo|cuerpo|vida))\b", re.IGNORECASE
    ),
}


def _with_person(
    found: Triage, message: str, scores: dict | None, history: list[tuple[str, str]] | None = None
) -> Triage:
    """Who the answer speaks to. A helper only when the message names someone before speaking of the writer
    and (when the classifier ran) it agrees the message is about someone else. Never for danger or abuse: the
    person named is often the one doing it. A reminder after an earlier escalation (persistence) speaks to
    whom that escalation's message named: "can we just wait till morning?" after "my dad is not breathing"."""
    if found.category == "danger_abuse":
        return found
    if found.category == "persistence":
        if who := _named_first(message, found.lang):
            return replace(found, about=who)
        # The latest earlier message that names someone or speaks of the writer says whom it was about ("I
        # don't want to call" now says nothing about who is ill).
        earlier = [content for role, content in (history or []) if role == "user"][-6:]
        for text in reversed(earlier):
            if about_whom(text, found.lang) or _FIRST_PERSON.get(found.lang, _FIRST_PERSON["en"]).search(text):
                who = _named_first(text, found.lang)
                return replace(found, about=who) if who else found
        return found
    if scores is not None and scores["other"] < 0.5:
        return found
    who = _named_first(message, found.lang)
    return replace(found, about=who) if who else found


def _named_first(message: str, lang: str) -> str:
    """ "your dad" when the message names someone before it speaks of the writer; "" otherwise."""
    person = (_ES_PERSON if lang == "es" else _EN_PERSON).search(message)
    if person is None:
        return ""
    writer = _FIRST_PERSON.get(lang, _FIRST_PERSON["en"]).search(message)
    return "" if writer is not None and writer.start() < person.start() else about_whom(message, lang)
