"""The safety layer: triage before any model (rules and a learned classifier, English and Spanish), fixed
answers for emergencies and crises in the person's language, region numbers."""

from .regions import Region, current_region
from .responses import resources, safety_text
from .result import CRISIS, EMERGENCY, OK, OUT_OF_SCOPE, Triage
from .triage import triage

__all__ = [
    "CRISIS", "EMERGENCY", "OK", "OUT_OF_SCOPE", "Region", "Triage", "current_region", "resources",
    "safety_text", "triage",
]  # fmt: skip
