"""ASGI entry point: Daphne serves this (`make run`, `manage.py serve`)."""

import gc
import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "medbotx.settings")
django.setup(set_prefix=False)  # what django.core.asgi.get_asgi_application() does; then our handler

from django.conf import settings  # noqa: E402  (ready only after django.setup())
from django.contrib.staticfiles.handlers import ASGIStaticFilesHandler  # noqa: E402

from . import sync  # noqa: E402
from .middleware import MedBotXHandler  # noqa: E402

django_application = MedBotXHandler()  # Django's, with the middleware hooks in the event loop

sync.install()  # one shared thread for the ORM, before the server starts (see medbotx/sync.py)

from assistant.library.search import load_word_lists  # noqa: E402

load_word_lists()  # read now rather than during the first question

from assistant.safety.triage import warm_up  # noqa: E402

warm_up()  # the safety classifier, loaded now (n-gram tables, the encoder) rather than on the first turn

# Everything loaded so far (Django, the apps, the word list) lives as long as the process. Frozen, the
# garbage collector stops walking it at every full collection, a pause every stream and request in the
# process would wait out (measured in docs/benchmarks.md, "gc.freeze()").
gc.collect()  # what is garbage already is freed, not frozen
gc.freeze()

application = ASGIStaticFilesHandler(django_application) if settings.MEDBOTX_SERVE_STATIC else django_application
