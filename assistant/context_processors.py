from django.http import HttpRequest

from .safety import Region, current_region


def safety(request: HttpRequest) -> dict[str, Region]:
    """The region's emergency number and crisis line, for the notice on every page."""
    return {"region": current_region()}
