"""Emergency numbers, crisis lines and poison help, per region (MEDBOTX_REGION, default US).

Each entry is what a person should call, written for a screen and a `tel:` link. Any of the three can be
overridden for a deployment (MEDBOTX_EMERGENCY_NUMBER, MEDBOTX_CRISIS_LINE, MEDBOTX_POISON_LINE).
Checked against the services' own pages or official announcements, November 2026.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Line:
    label: str  # what it is called, e.g. "988 Suicide & Crisis Lifeline"
    number: str  # what to dial, as shown: "988", "1-800-222-1222", "116 123"
    note: str = ""  # e.g. "call or text, any time"

    @property
    def tel(self) -> str:
        """The number for a tel: link (digits and a leading +)."""
        return "".join(ch for ch in self.number if ch.isdigit() or ch == "+")

    def as_dict(self) -> dict:
        return {"label": self.label, "number": self.number, "tel": self.tel, "note": self.note}


@dataclass(frozen=True)
class Region:
    code: str
    name: str
    emergency: Line
    crisis: Line
    poison: Line

    def as_dict(self) -> dict:
        return {
            "region": self.code,
            "emergency": self.emergency.as_dict(),
            "crisis": self.crisis.as_dict(),
            "poison": self.poison.as_dict(),
        }


REGIONS = {
    "US": Region(
        "US",
        "United States",
        Line("Emergency services", "911"),
        Line("988 Suicide & Crisis Lifeline", "988", "call or text, any time"),
        Line("Poison Help", "1-800-222-1222", "any time"),
    ),
    "CA": Region(
        "CA",
        "Canada",
        Line("Emergency services", "911"),
        Line("9-8-8 Suicide Crisis Helpline", "988", "call or text, any time"),
        Line("Emergency services (for a poisoning)", "911", "or your provincial poison centre"),
    ),
    "UK": Region(
        "UK",
        "United Kingdom",
        Line("Emergency services", "999"),
        Line("Samaritans", "116 123", "free, any time; or text SHOUT to 85258"),
        Line("NHS 111", "111", "for a poisoning that is not an emergency"),
    ),
    "EU": Region(
        "EU",
        "European Union",
        Line("Emergency services", "112"),
        Line("Emotional support line", "116 123", "in many EU countries; or your national crisis line"),
        Line("Emergency services (for a poisoning)", "112", "or your national poison centre"),
    ),
    "IN": Region(
        "IN",
        "India",
        Line("Emergency services", "112"),
        Line("Tele-MANAS mental health helpline", "14416", "free, any time; also 1-800-891-4416"),
        Line("Emergency services (for a poisoning)", "112"),
    ),
    "AU": Region(
        "AU",
        "Australia",
        Line("Emergency services (Triple Zero)", "000"),
        Line("Lifeline", "13 11 14", "any time"),
        Line("Poisons Information Centre", "13 11 26", "any time"),
    ),
}


def region_for(code: str, *, emergency: str = "", crisis: str = "", poison: str = "") -> Region:
    """The region's lines, with any deployment overrides (just the number; the label stays)."""
    base = REGIONS[code]

    def override(line: Line, number: str) -> Line:
        return Line(line.label, number, line.note) if number else line

    return Region(
        base.code,
        base.name,
        override(base.emergency, emergency),
        override(base.crisis, crisis),
        override(base.poison, poison),
    )


def current_region() -> Region:
    from django.conf import settings

    return region_for(
        settings.MEDBOTX_REGION,
        emergency=settings.MEDBOTX_EMERGENCY_NUMBER,
        crisis=settings.MEDBOTX_CRISIS_LINE,
        poison=settings.MEDBOTX_POISON_LINE,
    )
