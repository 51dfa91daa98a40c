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
"""

import logging
import re
import threading
import time
from pathlib import Path

from ..metrics import SAFETY_MODEL_FAILURES
from . import rules
from .classifier import MODEL_PATH, Classifier, ModelUnavailable
from .result import CRISIS, EMERGENCY, OK, OUT_OF_SCOPE, Triage

__all__ = ["CRISIS", "EMERGENCY", "OK", "OUT_OF_SCOPE", "Triage", "classifier", "triage"]

log = logging.getLogger(__name__)

_lock = threading.Lock()
_loaded: dict[Path, Classifier] = {}
_failed: dict[Path, float] = {}  # path -> when loading last failed (tried again after a minute)
RETRY_LOAD_AFTER = 60.0


def model_path() -> Path:
    try:
        from django.conf import settings

        return Path(getattr(settings, "SAFETY_MODEL_PATH", "") or MODEL_PATH)
    except ImportError:  # pragma: no cover - Django is always installed with the app
        return MODEL_PATH


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
_OTHER = {"en": "the person", "es": "la persona"}


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


def _learned(message: str, history, model: Classifier | None) -> tuple[dict | None, str]:
    """The classifier's scores (as evidence), or None and why it could not run."""
    try:
        model = model or classifier()
        s = model.score(message, history or ())
    except Exception as exc:  # fail safe: the rules still decide
        kind = "unavailable" if isinstance(exc, ModelUnavailable) else "error"
        SAFETY_MODEL_FAILURES.labels(kind=kind).inc()
        log.error("safety classifier %s: %s", kind, exc, exc_info=kind == "error")
        return None, f"{kind}: {exc}"[:300]
    t = model.thresholds
    # A single message escalates at the threshold. Read in context, at the context threshold (higher: the
    # question before an answer weighs on it, and most answers are harmless); the same message alone, and a
    # message of one or two words with nothing before it, only at the strict "alone" threshold.
    threshold = t["alone"] if s.short else t["context"] if s.read_with_context else t["escalate"]
    fired = _fired(s.emergency, s.crisis, threshold)
    if not fired and s.alone is not None:
        fired = _fired(*s.alone, t["alone"])
    escalate = max(s.emergency + s.crisis, sum(s.alone) if s.alone else 0.0)
    return {**s.as_dict(), "fired": fired, "near": escalate >= t["near_miss"]}, ""


def _fired(emergency: float, crisis: float, threshold: float) -> str:
    if emergency + crisis < threshold:  # 1 - P(ok)
        return ""
    return CRISIS if crisis > emergency else EMERGENCY


def triage(message: str, history: list[tuple[str, str]] | None = None, *, model: Classifier | None = None) -> Triage:
    """Classify a new message, given the thread's earlier (role, content) messages, oldest first."""
    lang = rules.detect_language(message)
    ruled = rules.match(message, history, lang)
    scores, failure = _learned(message, history, model)
    fired = scores["fired"] if scores else ""
    if ruled.escalates:
        cls, category, rule = ruled.cls, ruled.category, ruled.rule
    elif fired:
        cls, category, rule = fired, scores[f"{fired}_category"], ""
    else:
        near = bool(scores and scores["near"])
        return Triage(ruled.cls, ruled.category, ruled.rule, lang, scores, near_miss=near, failure=failure)
    other = scores["other"] >= 0.5 if scores else True
    about = about_whom(message, lang) if other else ""
    return Triage(cls, category, rule, lang, scores, about, failure=failure)
