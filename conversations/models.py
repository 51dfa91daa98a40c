import uuid
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.utils import timezone

if TYPE_CHECKING:
    from accounts.identity import Identity

DEFAULT_TITLE = "New Conversation"
TITLE_MAX_LENGTH = 200  # the API, the pages and the database agree on it


class ThreadQuerySet(models.QuerySet):
    def visible_to(self, identity: "Identity") -> "ThreadQuerySet":
        """The threads an identity may list: its own, not hidden by a moderator."""
        if identity.user is not None:
            return self.filter(owner=identity.user, hidden=False)
        if identity.guest_id is not None:
            return self.filter(owner__isnull=True, guest_id=identity.guest_id, hidden=False)
        return self.none()  # an anonymous caller has no list; it keeps thread ids itself


class Thread(models.Model):
    """A conversation. Its public id is a UUID; the integer key never leaves the server."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="threads"
    )
    guest_id = models.UUIDField(
        null=True, blank=True, help_text="The guest identity that owns the thread, when no user does."
    )
    title = models.CharField(max_length=TITLE_MAX_LENGTH, default=DEFAULT_TITLE)
    is_guest = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now, db_index=True)

    flagged = models.BooleanField(default=False, help_text="Marked for review by a moderator.")
    hidden = models.BooleanField(default=False, help_text="Hidden from its owner by a moderator (kept for review).")
    moderation_note = models.TextField(blank=True)

    objects = ThreadQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at", "-id"]
        indexes = [
            models.Index(fields=["owner", "-updated_at"], name="thread_owner_recent"),
            models.Index(fields=["guest_id", "-updated_at"], name="thread_guest_recent"),
        ]

    def __str__(self) -> str:
        return self.title

    def is_accessible_by(self, identity: "Identity") -> bool:
        """Owner only. A thread made with no identity at all is reachable by its unguessable id."""
        if self.hidden:
            return False
        if self.owner_id is not None:
            return identity.user is not None and identity.user.pk == self.owner_id
        if self.guest_id is not None:
            return identity.guest_id == self.guest_id
        return True


class Message(models.Model):
    class Role(models.TextChoices):
        USER = "user"
        ASSISTANT = "assistant"

    class Status(models.TextChoices):
        COMPLETE = "complete"
        STREAMING = "streaming"
        INTERRUPTED = "interrupted"
        ERROR = "error"
        CANCELLED = "cancelled"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="messages")
    role = models.CharField(max_length=16, choices=Role.choices)
    content = models.TextField(blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.COMPLETE)
    provider = models.CharField(max_length=32, blank=True)
    model = models.CharField(max_length=100, blank=True)
    prompt_tokens = models.PositiveIntegerField(null=True, blank=True)
    completion_tokens = models.PositiveIntegerField(null=True, blank=True)
    error = models.TextField(blank=True, help_text="What went wrong, when the status is error.")
    sources = models.JSONField(
        default=list, blank=True, help_text="The library sources the reply was grounded on: [{title, url}]."
    )
    safety = models.JSONField(
        default=dict, blank=True, help_text="For an escalated reply: {class, category, resources}."
    )
    lease_until = models.DateTimeField(
        null=True,
        blank=True,
        help_text="While streaming: the generating process renews this; past it, the reply was cut off.",
    )
    worker = models.CharField(
        max_length=100,
        blank=True,
        help_text="The process generating it (host:pid:random, so a reused pid is another process).",
    )
    retry_after = models.FloatField(null=True, blank=True, help_text="Seconds the model's server asked to wait.")
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["thread", "created_at", "id"], name="message_thread_order")]

    def __str__(self) -> str:
        return f"{self.role}: {self.content[:60]}"


class MessageVersion(models.Model):
    """An earlier version of a message, kept when its answer was generated again (Regenerate) or its question
    edited and sent again: the message itself stays in its place with the new text, and what it said before
    stays reachable here (on the page, in the person's export and in admin)."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="versions")
    content = models.TextField(blank=True)
    status = models.CharField(max_length=16, choices=Message.Status.choices)
    error = models.TextField(blank=True)
    provider = models.CharField(max_length=32, blank=True)
    model = models.CharField(max_length=100, blank=True)
    sources = models.JSONField(default=list, blank=True)
    safety = models.JSONField(default=dict, blank=True)
    feedback = models.JSONField(
        default=dict, blank=True, help_text="The Helpful? answer this version had: {rating, comment}."
    )
    created_at = models.DateTimeField(help_text="When this version was written.")
    replaced_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["replaced_at", "id"]

    def __str__(self) -> str:
        return f"earlier {self.message.role}: {self.content[:60]}"
