from .safety import current_region


def safety(request) -> dict:
    """The region's emergency number and crisis line, for the notice on every page."""
    return {"region": current_region()}
