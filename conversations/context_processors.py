from django.http import HttpRequest

from .models import TITLE_MAX_LENGTH


def limits(request: HttpRequest) -> dict[str, int]:
    """The limits the pages' forms state (maxlength), from where they are defined."""
    return {"title_max_length": TITLE_MAX_LENGTH}
