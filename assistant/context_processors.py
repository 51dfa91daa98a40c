from django.http import HttpRequest
from django.utils.translation import get_language

from .safety import Region, current_region


def safety(request: HttpRequest) -> dict[str, Region]:
    """The region's emergency number and crisis line, named in the page's language, for the notice on every
    page."""
    return {"region": current_region().localized(get_language() or "en")}
