"""Search a person's threads by title and message text, with the database's own full-text search: SQLite's
FTS5 (a table kept in step by triggers, migration 0005) and PostgreSQL's `to_tsvector`/`plainto_tsquery`
('simple' configuration: no language's stemming, so English and Spanish are matched alike); on any other
database, a plain `icontains`. Only the caller's own threads are searched (`ThreadQuerySet.visible_to`)."""

import re

from django.conf import settings
from django.db import connection
from django.db.models import Q

from accounts.identity import Identity

from .models import Message, Thread
from .statements import THREAD_ROW, ThreadRow

_TERM = re.compile(r"\w+", re.UNICODE)
MAX_TERMS = 8


def terms(query: str) -> list[str]:
    """The words of a query (punctuation and search operators dropped), at most MAX_TERMS."""
    return _TERM.findall(query)[:MAX_TERMS]


def _threads_with_messages_matching(words: list[str], among: list[int]) -> Q:
    """Of the threads `among`, those with a message holding every word (as a word prefix on SQLite)."""
    if not among:
        return Q(pk__in=[])
    vendor = connection.vendor
    if vendor == "sqlite":
        match = " ".join(f'"{w}"*' for w in words)  # each word quoted: no FTS5 syntax from the person
        marks = ", ".join(["%s"] * len(among))
        # Only "%s" placeholders are joined into the statement.
        sql = (
            "SELECT DISTINCT m.thread_id FROM conversations_message_fts f "  # noqa: S608
            "JOIN conversations_message m ON m.id = f.rowid "
            f"WHERE conversations_message_fts MATCH %s AND m.thread_id IN ({marks})"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [match, *among])
            return Q(pk__in=[row[0] for row in cursor.fetchall()])
    if vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery, SearchVector

        ids = (
            Message.objects.filter(thread_id__in=among)
            .annotate(text=SearchVector("content", config="simple"))
            .filter(text=SearchQuery(" ".join(words), config="simple", search_type="plain"))
            .values("thread_id")
        )
        return Q(pk__in=ids)
    found = Q(pk__in=among)
    for word in words:
        found &= Q(messages__content__icontains=word)
    return found


def search_threads(identity: Identity, query: str, limit: int = 50) -> list[ThreadRow]:
    """The caller's threads whose title has every word of the query, or one of whose messages does; most
    recent first."""
    words = terms(query)
    if not words:
        return []
    in_title = Q()
    for word in words:
        in_title &= Q(title__icontains=word)
    visible = Thread.objects.visible_to(identity)
    among = list(visible.order_by("-updated_at").values_list("pk", flat=True)[: settings.THREAD_LIST_LIMIT])
    found = (
        visible.filter(in_title | _threads_with_messages_matching(words, among))
        .distinct()
        .order_by("-updated_at", "-id")
        .values_list(*THREAD_ROW)[:limit]
    )
    return [ThreadRow._make(row) for row in found]
