"""Answers people report with "Report this answer" (the page or the API) go to the review queue."""

from conversations.models import Message

from .models import SafetyEvent

REPORTED = "Thank you. A moderator will review this answer."


def report_reply(reply: Message, reason: str) -> SafetyEvent:
    return SafetyEvent.objects.create(
        kind=SafetyEvent.Kind.REPORT,
        safety_class=SafetyEvent.SafetyClass.REPORTED,
        thread_id=reply.thread_id,
        message=reply,
        excerpt=reply.content[:2000],
        reason=reason[:1000],
    )
