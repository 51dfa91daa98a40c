from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString

from .models import Feedback, SafetyEvent, Topic, TopicSource


class TopicSourceInline(admin.TabularInline):
    model = TopicSource
    extra = 0
    min_num = 1
    fields = ("position", "name", "url", "lang")


def link_to_thread(thread: Any) -> SafeString:
    """The thread's title, linked to its page in admin (a safety event's, a piece of feedback's)."""
    url = reverse("admin:conversations_thread_change", args=[thread.pk])
    return format_html('<a href="{}">{}</a>', url, thread.title)


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ("title", "category", "kind", "reviewed", "published", "from_file", "edited_in_admin")
    list_filter = ("category", "kind", "published", "edited_in_admin", "from_file")
    search_fields = ("title", "slug", "aliases", "summary")
    readonly_fields = ("from_file", "updated_at")
    prepopulated_fields = {"slug": ("title",)}
    inlines = [TopicSourceInline]
    actions = ["publish", "unpublish"]
    fieldsets = (
        (None, {"fields": ("title", "slug", "category", "kind", "published", "reviewed")}),
        ("Words people use", {"fields": ("aliases",)}),
        ("Content", {"fields": ("summary", "what_it_is", "symptoms", "causes", "what_helps", "prevention", "urgent")}),
        ("In Spanish", {"fields": ("spanish",)}),
        ("Origin", {"fields": ("from_file", "edited_in_admin", "updated_at")}),
    )

    def save_model(self, request: HttpRequest, obj: Topic, form: Any, change: bool) -> None:
        # A change made here is kept by `load_library` until someone overwrites it from the file.
        if change and form.has_changed() and obj.from_file:
            obj.edited_in_admin = True
        obj.updated_at = timezone.now()
        super().save_model(request, obj, form, change)

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        super().save_formset(request, form, formset, change)
        if change and formset.has_changed() and form.instance.from_file and not form.instance.edited_in_admin:
            Topic.objects.filter(pk=form.instance.pk).update(edited_in_admin=True)

    @admin.action(description="Publish the selected topics (used in answers)")
    def publish(self, request: HttpRequest, queryset: QuerySet[Topic]) -> None:
        for topic in queryset:
            topic.published = True
            topic.save(update_fields=["published"])

    @admin.action(description="Unpublish the selected topics (never used in answers)")
    def unpublish(self, request: HttpRequest, queryset: QuerySet[Topic]) -> None:
        for topic in queryset:
            topic.published = False
            topic.save(update_fields=["published"])


@admin.register(SafetyEvent)
class SafetyEventAdmin(admin.ModelAdmin):
    """The review queue: escalations, near misses and reported answers, the unreviewed first. Each triage event
    shows its evidence: the rule that fired and the classifier's scores."""

    list_display = ("created_at", "kind", "safety_class", "category", "language", "layer", "short_excerpt",
                    "thread_link", "reviewed", "reviewed_by", "reviewed_at")  # fmt: skip
    list_filter = ("reviewed", "kind", "safety_class", "category", "language")
    search_fields = ("excerpt", "reason", "thread__title", "thread__owner__email")
    list_select_related = ("thread", "reviewed_by")
    readonly_fields = ("kind", "safety_class", "category", "rule", "language", "evidence", "thread_link",
                       "message_id_display", "excerpt", "reason", "created_at", "reviewed_by",
                       "reviewed_at")  # fmt: skip
    fields = (*readonly_fields, "reviewed", "review_note")
    actions = ["mark_reviewed", "mark_unreviewed"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # events come from the triage and from people's reports

    @admin.display(description="fired")
    def layer(self, event: SafetyEvent) -> str:
        """Which layer of the triage fired: the rules, the classifier, or both."""
        scores = (event.evidence or {}).get("scores") or {}
        parts = ["rules"] if event.rule else []
        score = scores.get("escalate", scores.get("emergency", 0) + scores.get("crisis", 0)) if scores else 0
        if scores.get("fired"):
            parts.append(f"model {score:.2f}")
        elif event.kind == event.Kind.NEAR_MISS and scores:
            parts.append(f"near {score:.2f}")
        return " + ".join(parts) or "-"

    @admin.display(description="excerpt")
    def short_excerpt(self, event: SafetyEvent) -> str:
        return event.excerpt[:90] + ("…" if len(event.excerpt) > 90 else "")

    @admin.display(description="thread")
    def thread_link(self, event: SafetyEvent) -> SafeString:
        return link_to_thread(event.thread)

    @admin.display(description="message")
    def message_id_display(self, event: SafetyEvent) -> str:
        return str(event.message.public_id)

    def save_model(self, request: HttpRequest, obj: SafetyEvent, form: Any, change: bool) -> None:
        if "reviewed" in form.changed_data:
            # The admin only serves signed-in staff: request.user is never an AnonymousUser here.
            obj.reviewed_by, obj.reviewed_at = (request.user, timezone.now()) if obj.reviewed else (None, None)  # type: ignore[assignment]
        super().save_model(request, obj, form, change)

    @admin.action(description="Mark the selected events reviewed (by me, now)")
    def mark_reviewed(self, request: HttpRequest, queryset: QuerySet[SafetyEvent]) -> None:
        done = queryset.filter(reviewed=False).update(
            reviewed=True, reviewed_by=request.user, reviewed_at=timezone.now()
        )
        self.message_user(request, f"{done} event(s) marked reviewed.")

    @admin.action(description="Put the selected events back in the queue")
    def mark_unreviewed(self, request: HttpRequest, queryset: QuerySet[SafetyEvent]) -> None:
        done = queryset.filter(reviewed=True).update(reviewed=False, reviewed_by=None, reviewed_at=None)
        self.message_user(request, f"{done} event(s) back in the queue.")


@admin.register(Feedback)
class FeedbackAdmin(admin.ModelAdmin):
    """What people thought of the answers: thumbs up or down and their comments, newest first."""

    list_display = ("rating", "comment_start", "thread_link", "updated_at")
    list_filter = ("rating",)
    search_fields = ("comment", "message__content")
    date_hierarchy = "updated_at"
    list_select_related = ("thread", "message")
    readonly_fields = ("rating", "comment", "thread_link", "answer", "created_at", "updated_at")
    fields = readonly_fields

    @admin.display(description="comment")
    def comment_start(self, obj: Feedback) -> str:
        return obj.comment[:80]

    @admin.display(description="thread")
    def thread_link(self, obj: Feedback) -> SafeString:
        return link_to_thread(obj.thread)

    @admin.display(description="the answer")
    def answer(self, obj: Feedback) -> str:
        return obj.message.content[:2000]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
