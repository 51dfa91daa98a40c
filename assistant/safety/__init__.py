"""The safety layer: triage before any model, fixed answers for emergencies and crises, region numbers."""

from .regions import Region, current_region
from .responses import resources, safety_text
from .triage import CRISIS, EMERGENCY, OK, OUT_OF_SCOPE, Triage, triage

__all__ = [
    "CRISIS", "EMERGENCY", "OK", "OUT_OF_SCOPE", "Region", "Triage", "current_region", "resources",
    "safety_text", "triage",
]  # fmt: skip
