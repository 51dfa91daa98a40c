"""The health library: topic files, their loading into the database, and the search index over them.

The index is built from the published topics in the database and kept in each process. Any change to a
topic or a source (admin, `load_library`) bumps a version in the cache, which every process checks before
a search (at most once every VERSION_CHECK_SECONDS: the check is a trip to Redis, and a turn searches), so
an edit in admin is used by the next answer in its own process and within a second in every other one.
"""

import threading
import time
import uuid
from typing import Any

from django.core.cache import cache
from django.db import transaction

from .conditions import uncovered
from .search import Hit, LibraryIndex

__all__ = ["Hit", "LibraryIndex", "get_index", "invalidate_index", "library_changed"]

VERSION_KEY = "medbotx:library:version"
VERSION_CHECK_SECONDS = 1.0
_lock = threading.Lock()
_state: dict = {"version": None, "index": None, "checked": 0.0}


def invalidate_index() -> None:
    """Make every process rebuild its index before its next search (this one at once)."""
    cache.set(VERSION_KEY, uuid.uuid4().hex, timeout=None)
    _state["checked"] = 0.0


def library_changed(**_kwargs: Any) -> None:
    """Mark every process's index stale once the change is committed (connected to Topic and TopicSource
    saves and deletes; bulk writes call it themselves)."""
    transaction.on_commit(invalidate_index)


def _current_version() -> str:
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, uuid.uuid4().hex, timeout=None)
        version = cache.get(VERSION_KEY)
    return version


def get_index(lang: str = "en") -> LibraryIndex:
    """The index over the published topics in a language, "en" or "es" (sync code: it may read the
    database). Both are built together, from one read of the topics."""
    from assistant.models import Topic

    indexes = _state["index"]
    if indexes is not None and time.monotonic() - _state["checked"] < VERSION_CHECK_SECONDS:
        return indexes[lang]
    version = _current_version()
    if _state["version"] == version and indexes is not None:
        _state["checked"] = time.monotonic()
        return indexes[lang]
    with _lock:
        if _state["version"] != version or _state["index"] is None:
            topics = [t.as_data() for t in Topic.objects.filter(published=True).prefetch_related("sources")]
            built = {"en": LibraryIndex(topics), "es": LibraryIndex(topics, "es")}
            for index in built.values():
                uncovered(index)  # the names it does not cover, found now rather than in a question's time
            _state["index"] = built
            _state["version"] = version
            _state["checked"] = time.monotonic()
        return _state["index"][lang]
