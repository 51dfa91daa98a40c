"""ASGI entry point: Daphne serves this (`make run`)."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "medbotx.settings")

django_application = get_asgi_application()

from django.conf import settings  # noqa: E402  (settings are ready only after the line above)
from django.contrib.staticfiles.handlers import ASGIStaticFilesHandler  # noqa: E402

application = ASGIStaticFilesHandler(django_application) if settings.MEDBOTX_SERVE_STATIC else django_application
