"""The health library in the database: topics and their sources, loaded from the topic files and editable in admin."""

from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from .library.files import ALLOWED_HOSTS, CATEGORIES, DOSE, KINDS, SECTIONS, TopicData


def validate_source_url(url: str) -> None:
    parts = urlsplit(url)
    if parts.scheme != "https" or parts.hostname not in ALLOWED_HOSTS:
        raise ValidationError("Sources must be https pages of MedlinePlus, the NHS, the CDC or the WHO.")


class Topic(models.Model):
    slug = models.SlugField(max_length=100, unique=True)
    title = models.CharField(max_length=200, unique=True)
    category = models.CharField(max_length=32, choices=sorted(CATEGORIES.items()))
    kind = models.CharField(max_length=16, choices=[(k, k.title()) for k in KINDS])
    aliases = models.TextField(help_text="Words and phrases people use for this topic, one per line.")
    summary = models.TextField()
    what_it_is = models.TextField("what it is", blank=True)
    symptoms = models.TextField(blank=True)
    causes = models.TextField(blank=True)
    what_helps = models.TextField("what helps", blank=True)
    prevention = models.TextField(blank=True)
    urgent = models.TextField("when to get urgent help")
    spanish = models.JSONField(
        "Spanish",
        default=dict,
        blank=True,
        help_text='The topic in Spanish: {"title", "aliases" (a list), "summary", "urgent"}; empty when none.',
    )
    reviewed = models.DateField(help_text="When the facts were last checked against the sources.")
    published = models.BooleanField(default=True, help_text="Unpublished topics are never used in answers.")
    from_file = models.BooleanField(default=False, editable=False, help_text="Loaded from a topic file.")
    file_digest = models.CharField(max_length=64, blank=True, editable=False)
    edited_in_admin = models.BooleanField(
        default=False,
        help_text="Changed here since it was loaded; `load_library` keeps these edits unless told to overwrite.",
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        errors = {}
        for field in ("summary", "urgent", *SECTIONS):
            match = DOSE.search(getattr(self, field) or "")
            if match:
                errors[field] = f"This looks like a dose ({match.group(0)!r}); the library gives none."
        if not self.alias_list():
            errors["aliases"] = "Give at least one word or phrase."
        if errors:
            raise ValidationError(errors)

    def alias_list(self) -> list[str]:
        return [line.strip() for line in self.aliases.splitlines() if line.strip()]

    def as_data(self) -> TopicData:
        """The same shape as a parsed topic file, for the search index and the answers."""
        return TopicData(
            slug=self.slug,
            title=self.title,
            category=self.category,
            kind=self.kind,
            aliases=tuple(self.alias_list()),
            summary=self.summary,
            sections={key: getattr(self, key) for key in SECTIONS if getattr(self, key)},
            urgent=self.urgent,
            sources=tuple(s.as_dict() for s in self.sources.all()),
            reviewed=self.reviewed,
            digest=self.file_digest,
            es=self.spanish_data(),
        )

    def spanish_data(self) -> dict[str, object] | None:
        data = self.spanish or {}
        if not data.get("title"):
            return None
        aliases = data.get("aliases") or ()
        return {
            "title": str(data["title"]),
            "aliases": tuple(str(a) for a in aliases),
            "summary": str(data.get("summary", "")),
            "urgent": str(data.get("urgent", "")),
        }


class TopicSource(models.Model):
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="sources")
    name = models.CharField(max_length=200, help_text='For example "MedlinePlus: Asthma".')
    url = models.URLField(max_length=500, validators=[validate_source_url])
    position = models.PositiveSmallIntegerField(default=0)
    lang = models.CharField(
        "language",
        max_length=2,
        choices=[("en", "English"), ("es", "Spanish")],
        default="en",
        help_text="The page's language: a MedlinePlus en español page is cited for Spanish answers.",
    )

    class Meta:
        ordering = ["position", "id"]
        constraints = [models.UniqueConstraint(fields=["topic", "url"], name="topic_source_unique_url")]

    def __str__(self) -> str:
        return self.name

    def as_dict(self) -> dict[str, str]:
        found = {"name": self.name, "url": self.url}
        if self.lang != "en":
            found["lang"] = self.lang
        return found


class SafetyEvent(models.Model):
    """Something a moderator should look at: an escalation the triage made, a near miss (scored just below the
    threshold, not escalated), or an answer a person reported."""

    class Kind(models.TextChoices):
        ESCALATION = "escalation", "Escalation"
        NEAR_MISS = "near_miss", "Near miss (not escalated)"
        REPORT = "report", "Reported answer"

    class SafetyClass(models.TextChoices):
        EMERGENCY = "emergency", "Emergency"
        CRISIS = "crisis", "Crisis"
        REPORTED = "reported", "Reported"
        OK = "ok", "Not escalated"

    kind = models.CharField(max_length=16, choices=Kind.choices)
    safety_class = models.CharField("class", max_length=16, choices=SafetyClass.choices)
    category = models.CharField(max_length=40, blank=True)
    rule = models.CharField(max_length=80, blank=True, help_text="The triage rule that fired.")
    evidence = models.JSONField(
        default=dict, blank=True,
        help_text="What the triage saw: the rule, the classifier's scores, the language, who it was about.",
    )  # fmt: skip
    language = models.CharField(max_length=8, blank=True)
    thread = models.ForeignKey("conversations.Thread", on_delete=models.CASCADE, related_name="safety_events")
    message = models.ForeignKey(
        "conversations.Message", on_delete=models.CASCADE, related_name="safety_events",
        help_text="The message that fired the rule, or the reported answer.",
    )  # fmt: skip
    excerpt = models.TextField(blank=True, help_text="The words that were escalated or reported.")
    reason = models.TextField(blank=True, help_text="What the person said when reporting.")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    reviewed = models.BooleanField(default=False)
    reviewed_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.TextField(blank=True)

    class Meta:
        ordering = ["reviewed", "-created_at", "-id"]
        indexes = [models.Index(fields=["reviewed", "-created_at"], name="safety_queue")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.safety_class} {self.category}".strip()


class Feedback(models.Model):
    """A thumbs up or down on an answer, with an optional comment, by the person it answered: for the
    moderators (admin), one per answer (a second press changes it)."""

    class Rating(models.TextChoices):
        UP = "up", "Helpful"
        DOWN = "down", "Not helpful"

    message = models.OneToOneField("conversations.Message", on_delete=models.CASCADE, related_name="feedback")
    thread = models.ForeignKey("conversations.Thread", on_delete=models.CASCADE, related_name="feedback")
    rating = models.CharField(max_length=4, choices=Rating.choices)
    comment = models.TextField(blank=True, max_length=1000)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-updated_at", "-id"]
        verbose_name_plural = "feedback"

    def __str__(self) -> str:
        return f"{self.get_rating_display()} on {self.message.public_id}"
