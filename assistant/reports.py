"""What people say about answers: "Report this answer" (the page or the API) goes to the review queue;
thumbs up or down, with an optional comment, is kept for the moderators (admin)."""

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from conversations.models import Message

from .models import Feedback, SafetyEvent

FEEDBACK_THANKS = gettext_lazy("Thanks for your feedback.")

REPORTED = gettext_lazy("Thank you. A moderator will review this answer.")


def report_reply(reply: Message, reason: str) -> SafetyEvent:
    return SafetyEvent.objects.create(
        kind=SafetyEvent.Kind.REPORT,
        safety_class=SafetyEvent.SafetyClass.REPORTED,
        thread_id=reply.thread_id,
        message=reply,
        excerpt=reply.content[:2000],
        reason=reason[:1000],
    )


def rate_reply(reply: Message, rating: str, comment: str = "") -> Feedback:
    """Store (or change) the person's rating of an answer. ValueError for a rating that is not up or down."""
    if rating not in Feedback.Rating.values:
        raise ValueError(_("Choose helpful or not helpful"))
    feedback, _created = Feedback.objects.update_or_create(
        message=reply,
        defaults={"thread_id": reply.thread_id, "rating": rating, "comment": comment.strip()[:1000],
                  "updated_at": timezone.now()},
    )  # fmt: skip
    return feedback
