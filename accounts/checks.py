from typing import Any

from django.core.checks import Warning as CheckWarning

from medbotx.translations import LOCALE, stale


def translations_compiled(app_configs: Any = None, **kwargs: Any) -> list[CheckWarning]:
    """The pages' translations must be compiled, or the Spanish pages show English."""
    return [
        CheckWarning(
            f"{po.relative_to(LOCALE.parent)} is not compiled, or changed since: its pages will show English",
            hint="Run `manage.py compile_translations` (make does it before serving).",
            id="medbotx.W001",
        )
        for po in stale()
    ]
