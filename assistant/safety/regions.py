"""Emergency numbers, crisis lines and poison help, per region (MEDBOTX_REGION, default US).

Each entry is what a person should call, written for a screen and a `tel:` link. Any of the three can be
overridden for a deployment (MEDBOTX_EMERGENCY_NUMBER, MEDBOTX_CRISIS_LINE, MEDBOTX_POISON_LINE).
Checked against the services' own pages or official announcements, November 2026.
"""

from dataclasses import dataclass

from django.conf import settings


@dataclass(frozen=True)
class Line:
    label: str  # what it is called, e.g. "988 Suicide & Crisis Lifeline"
    number: str  # what to dial, as shown: "988", "1-800-222-1222", "116 123"
    note: str = ""  # e.g. "call or text, any time"
    es_label: str = ""  # the same in Spanish (falls back on the English)
    es_note: str = ""

    def localized(self, lang: str) -> "Line":
        """The line as a Spanish speaker reads it (lang "es"), or as it is."""
        if lang != "es":
            return self
        return Line(self.es_label or self.label, self.number, self.es_note or self.note)

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

    def localized(self, lang: str) -> "Region":
        return Region(
            self.code, self.name, *(line.localized(lang) for line in (self.emergency, self.crisis, self.poison))
        )

    def as_dict(self) -> dict:
        return {
            "region": self.code,
            "emergency": self.emergency.as_dict(),
            "crisis": self.crisis.as_dict(),
            "poison": self.poison.as_dict(),
        }


# Spanish: the 988 Lifeline answers in Spanish when you call and press 2, or text AYUDA to 988
# (988lifeline.org, "What to expect", checked December 2026); Poison Help interprets in 161 languages
# (poisonhelp.hrsa.gov, "The Poison Help Line"). Elsewhere the label is translated; the line's own
# language options are the deployment's to confirm.
EMERGENCY_ES = "Servicios de emergencia"
REGIONS = {
    "US": Region(
        "US",
        "United States",
        Line("Emergency services", "911", "", EMERGENCY_ES),
        Line("988 Suicide & Crisis Lifeline", "988", "call or text, any time",
             "988 Línea de Prevención del Suicidio y Crisis",
             "en español: llama y marca 2, o envía AYUDA por texto al 988; a cualquier hora"),
        Line("Poison Help", "1-800-222-1222", "any time", "Línea de Ayuda para Envenenamientos",
             "a cualquier hora; con intérpretes en español y otros idiomas"),
    ),
    "CA": Region(
        "CA",
        "Canada",
        Line("Emergency services", "911", "", EMERGENCY_ES),
        Line("9-8-8 Suicide Crisis Helpline", "988", "call or text, any time",
             "Línea 9-8-8 de crisis y prevención del suicidio", "llamada o texto, a cualquier hora"),
        Line("Emergency services (for a poisoning)", "911", "or your provincial poison centre",
             "Servicios de emergencia (por un envenenamiento)", "o el centro de toxicología de tu provincia"),
    ),
    "UK": Region(
        "UK",
        "United Kingdom",
        Line("Emergency services", "999", "", EMERGENCY_ES),
        Line("Samaritans", "116 123", "free, any time; or text SHOUT to 85258", "Samaritans",
             "gratis, a cualquier hora; o envía SHOUT por texto al 85258"),
        Line("NHS 111", "111", "for a poisoning that is not an emergency", "NHS 111",
             "para un envenenamiento que no sea una emergencia"),
    ),
    "EU": Region(
        "EU",
        "European Union",
        Line("Emergency services", "112", "", EMERGENCY_ES),
        Line("Emotional support line", "116 123", "in many EU countries; or your national crisis line",
             "Línea de apoyo emocional", "en muchos países de la UE; o la línea de crisis de tu país"),
        Line("Emergency services (for a poisoning)", "112", "or your national poison centre",
             "Servicios de emergencia (por un envenenamiento)", "o el centro de toxicología de tu país"),
    ),
    "IN": Region(
        "IN",
        "India",
        Line("Emergency services", "112", "", EMERGENCY_ES),
        Line("Tele-MANAS mental health helpline", "14416", "free, any time; also 1-800-891-4416",
             "Línea de salud mental Tele-MANAS", "gratis, a cualquier hora; también 1-800-891-4416"),
        Line("Emergency services (for a poisoning)", "112", "", "Servicios de emergencia (por un envenenamiento)"),
    ),
    "AU": Region(
        "AU",
        "Australia",
        Line("Emergency services (Triple Zero)", "000", "", "Servicios de emergencia (Triple Zero)"),
        Line("Lifeline", "13 11 14", "any time", "Lifeline", "a cualquier hora"),
        Line("Poisons Information Centre", "13 11 26", "any time", "Centro de Información Toxicológica",
             "a cualquier hora"),
    ),
}  # fmt: skip


def region_for(code: str, *, emergency: str = "", crisis: str = "", poison: str = "") -> Region:
    """The region's lines, with any deployment overrides (just the number; the label stays)."""
    base = REGIONS[code]

    def override(line: Line, number: str) -> Line:
        # The notes say how to use the region's own number (988: "press 2 for Spanish"): not for another.
        return Line(line.label, number, "", line.es_label, "") if number else line

    return Region(
        base.code,
        base.name,
        override(base.emergency, emergency),
        override(base.crisis, crisis),
        override(base.poison, poison),
    )


def current_region() -> Region:

    return region_for(
        settings.MEDBOTX_REGION,
        emergency=settings.MEDBOTX_EMERGENCY_NUMBER,
        crisis=settings.MEDBOTX_CRISIS_LINE,
        poison=settings.MEDBOTX_POISON_LINE,
    )
