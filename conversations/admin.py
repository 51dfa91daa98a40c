import json

from django.contrib import admin, messages
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Count, QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from . import actions
from .models import Message, MessageVersion, Thread


class MessageInline(admin.TabularInline):
    model = Message
    fields = ("created_at", "role", "status", "content", "earlier", "provider", "model", "completion_tokens")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = False
    ordering = ("created_at", "id")

    def get_queryset(self, request: HttpRequest) -> QuerySet[Message]:
        return super().get_queryset(request).prefetch_related("versions")

    @admin.display(description="earlier versions")
    def earlier(self, message: Message) -> str:
        """What the message said before it was edited or its answer generated again, oldest first."""
        return "\n\n---\n\n".join(v.content for v in message.versions.all()) or "—"

    def has_add_permission(self, request: HttpRequest, obj: Thread | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Thread | None = None) -> bool:
        return False


@admin.register(Thread)
class ThreadAdmin(admin.ModelAdmin):
    list_display = ("title", "owner_email", "is_guest", "message_count", "updated_at", "flagged", "hidden")
    list_filter = ("flagged", "hidden", "is_guest", ("updated_at", admin.DateFieldListFilter))
    search_fields = ("title", "owner__email", "messages__content")
    list_select_related = ("owner",)
    list_per_page = 50
    date_hierarchy = "updated_at"
    ordering = ("-updated_at",)
    readonly_fields = ("public_id", "owner", "guest_id", "is_guest", "created_at", "updated_at")
    fields = (
        "title",
        "public_id",
        "owner",
        "guest_id",
        "is_guest",
        "created_at",
        "updated_at",
        "flagged",
        "hidden",
        "moderation_note",
    )
    inlines = [MessageInline]
    actions = ["flag", "unflag", "hide", "unhide", "export_json"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Thread]:
        return super().get_queryset(request).annotate(_message_count=Count("messages", distinct=True))

    @admin.display(description="owner", ordering="owner__email")
    def owner_email(self, thread: Thread) -> str:
        if thread.owner is not None:
            return thread.owner.email
        return "guest" if thread.guest_id else "anonymous"

    @admin.display(description="messages", ordering="_message_count")
    def message_count(self, thread: Thread) -> int:
        return getattr(thread, "_message_count", 0)  # annotated by get_queryset

    @admin.action(description="Flag selected threads for review")
    def flag(self, request: HttpRequest, queryset: QuerySet[Thread]) -> None:
        n = actions.set_flagged(queryset, True)
        self.message_user(request, f"Flagged {n} thread(s).", messages.SUCCESS)

    @admin.action(description="Clear the flag on selected threads")
    def unflag(self, request: HttpRequest, queryset: QuerySet[Thread]) -> None:
        n = actions.set_flagged(queryset, False)
        self.message_user(request, f"Cleared the flag on {n} thread(s).", messages.SUCCESS)

    @admin.action(description="Hide selected threads from their owners")
    def hide(self, request: HttpRequest, queryset: QuerySet[Thread]) -> None:
        n = actions.set_hidden(queryset, True)
        self.message_user(request, f"Hid {n} thread(s).", messages.SUCCESS)

    @admin.action(description="Unhide selected threads")
    def unhide(self, request: HttpRequest, queryset: QuerySet[Thread]) -> None:
        n = actions.set_hidden(queryset, False)
        self.message_user(request, f"Unhid {n} thread(s).", messages.SUCCESS)

    @admin.action(description="Export selected threads as JSON")
    def export_json(self, request: HttpRequest, queryset: QuerySet[Thread]) -> HttpResponse:
        threads = (
            Thread.objects.filter(pk__in=queryset.values("pk"))
            .select_related("owner")
            .prefetch_related("messages")
            .order_by("-updated_at")
        )
        data = [
            {
                "id": t.public_id,
                "title": t.title,
                "owner": t.owner.email if t.owner else None,
                "is_guest": t.is_guest,
                "created_at": t.created_at,
                "updated_at": t.updated_at,
                "flagged": t.flagged,
                "hidden": t.hidden,
                "moderation_note": t.moderation_note,
                "messages": [
                    {
                        "id": m.public_id,
                        "role": m.role,
                        "status": m.status,
                        "content": m.content,
                        "provider": m.provider,
                        "model": m.model,
                        "created_at": m.created_at,
                    }
                    for m in t.messages.all()
                ],
            }
            for t in threads
        ]
        stamp = timezone.now().strftime("%Y%m%dT%H%M%SZ")
        response = HttpResponse(
            json.dumps({"threads": data}, cls=DjangoJSONEncoder, indent=2), content_type="application/json"
        )
        response["Content-Disposition"] = f'attachment; filename="medbotx-threads-{stamp}.json"'
        return response


@admin.register(MessageVersion)
class MessageVersionAdmin(admin.ModelAdmin):
    """What messages said before they were edited or generated again, with the Helpful? answer an earlier
    answer had (the Feedback list holds the current answers' only)."""

    list_display = ("replaced_at", "role", "short", "rating", "comment")
    list_filter = ("message__role",)
    search_fields = ("content",)
    readonly_fields = [f.name for f in MessageVersion._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: MessageVersion | None = None) -> bool:
        return False

    @admin.display(description="role")
    def role(self, version: MessageVersion) -> str:
        return version.message.role

    @admin.display(description="said")
    def short(self, version: MessageVersion) -> str:
        return version.content[:120]

    @admin.display(description="helpful?")
    def rating(self, version: MessageVersion) -> str:
        return {"up": "Yes", "down": "No"}.get(version.feedback.get("rating", ""), "")

    @admin.display(description="comment")
    def comment(self, version: MessageVersion) -> str:
        return version.feedback.get("comment", "")
