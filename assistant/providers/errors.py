"""What a failed answer says, in one place: the sentences stored with the reply (in English, as the API
gives them) and the same sentences in the page's language.

A reply's `error` is stored in English, the API's language. The chat page translates it when it shows it:
each sentence here is marked for the translation catalogue (gettext_noop), and a sentence that ends with a
wait ("Please try again in 30 seconds.") is translated as its fixed part plus the wait, rebuilt from the
reply's stored `retry_after`.
"""

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext, gettext_noop, ngettext

GENERIC = gettext_noop("Something went wrong while getting the answer. Please try again.")
UNREADABLE = gettext_noop("The model sent an answer we could not read. You can try again.")
TIMEOUT = gettext_noop(
    "The assistant's service did not answer in time: it may be down or overloaded. Please try again."
)
UNREACHABLE = gettext_noop("The assistant could not be reached. Please try again in a moment.")
MISCONFIGURED = gettext_noop("The assistant is not configured correctly on this server. Please tell its administrator.")
REFUSED = gettext_noop("The assistant could not handle this request. Please try again.")
CUT = gettext_noop("The connection to the assistant was lost mid-answer. Please try again.")
STALLED = gettext_noop("The assistant stopped responding mid-answer. Please try again.")
FAILED_MID_ANSWER = gettext_noop("The assistant's service failed mid-answer. Please try again.")
# Followed by when to try again.
BUSY = gettext_noop("The assistant is busy right now (rate limit reached).")
TROUBLE = gettext_noop("The assistant's service is having trouble.")
WAITS = (BUSY, TROUBLE)


def _try_again(wait: float | None) -> str:
    if wait is None:
        return gettext("Please try again in a minute.")
    seconds = max(1, round(wait))
    return ngettext("Please try again in %(n)d second.", "Please try again in %(n)d seconds.", seconds) % {"n": seconds}


def _with_wait(sentence: str, wait: float | None) -> str:
    return f"{gettext(sentence)} {_try_again(wait)}"


def with_wait(sentence: str, wait: float | None) -> str:
    """One of WAITS and when to try again, as stored: in English, whatever language is active where it is
    made (the generation runs in the server's context, where none is; this says so rather than relying on it)."""
    with translation.override(settings.LANGUAGE_CODE):
        return _with_wait(sentence, wait)


def for_page(error: str, retry_after: float | None) -> str:
    """A stored error in the page's language; one this module did not write stays as it is."""
    if not error:
        return gettext("The answer could not be completed.")
    for sentence in WAITS:
        if error.startswith(sentence + " "):
            return _with_wait(sentence, retry_after)
    return gettext(error)
