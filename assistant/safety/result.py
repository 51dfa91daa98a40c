"""What the triage decides about a turn: a class, a category, and the evidence for the review queue."""

from dataclasses import dataclass, field

EMERGENCY, CRISIS, OUT_OF_SCOPE, OK = "emergency", "crisis", "out_of_scope", "ok"


@dataclass(frozen=True)
class Triage:
    cls: str
    category: str = ""
    rule: str = ""  # the rule that fired ("" when none did)
    lang: str = "en"  # the message's language: "en" or "es"
    scores: dict | None = field(default=None, compare=False)  # the learned layer's scores; None if it did not run
    about: str = ""  # who it is about when the writer is helping someone else, as addressed: "your dad"
    near_miss: bool = False  # not escalated, but scored close to the threshold: recorded for review
    failure: str = ""  # why the learned layer did not run, when it failed

    @property
    def escalates(self) -> bool:
        return self.cls in (EMERGENCY, CRISIS)

    @property
    def layer(self) -> str:
        """Which layer escalated: "rules", "model" or "rules+model" ("" when neither did)."""
        if not self.escalates:
            return ""
        return "+".join(name for name, fired in (("rules", bool(self.rule)), ("model", self.model_fired)) if fired)

    @property
    def model_fired(self) -> bool:
        return bool(self.scores and self.scores.get("fired"))

    @property
    def evidence(self) -> dict:
        """What fired, for the review queue: the rule's name and the model's scores."""
        return {"rule": self.rule, "scores": self.scores, "lang": self.lang, "about": self.about,
                "failure": self.failure}  # fmt: skip


NOTHING = Triage(OK)
