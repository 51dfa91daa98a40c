"""Load the topic files into the database, idempotently. `manage.py load_library` and `make run` call this."""

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from . import library_changed
from .files import SECTIONS, TOPICS_DIR, TopicData, read_all

if TYPE_CHECKING:
    from assistant.models import Topic


@dataclass
class LoadReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    kept_edits: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    no_file: list[str] = field(default_factory=list)

    def summary(self) -> str:
        parts = [
            f"{len(self.created)} created",
            f"{len(self.updated)} updated",
            f"{len(self.unchanged)} unchanged",
        ]
        if self.kept_edits:
            parts.append(f"{len(self.kept_edits)} kept with admin edits ({', '.join(self.kept_edits)})")
        if self.removed:
            parts.append(f"{len(self.removed)} removed ({', '.join(self.removed)})")
        if self.no_file:
            parts.append(f"{len(self.no_file)} loaded earlier whose file is gone ({', '.join(self.no_file)})")
        return "Health library: " + ", ".join(parts) + "."


def _fields(data: TopicData) -> dict:
    values = {
        "title": data.title,
        "category": data.category,
        "kind": data.kind,
        "aliases": "\n".join(data.aliases),
        "summary": data.summary,
        "urgent": data.urgent,
        "spanish": {**data.es, "aliases": list(data.es["aliases"])} if data.es else {},  # type: ignore[call-overload]
        "reviewed": data.reviewed,
        "from_file": True,
        "file_digest": data.digest,
        "edited_in_admin": False,
        "updated_at": timezone.now(),
    }
    values.update({key: data.sections.get(key, "") for key in SECTIONS})
    return values


def _set_sources(topic: "Topic", data: TopicData) -> None:
    from assistant.models import TopicSource

    topic.sources.all().delete()
    TopicSource.objects.bulk_create(
        TopicSource(topic=topic, name=s["name"], url=s["url"], lang=s.get("lang", "en"), position=i)
        for i, s in enumerate(data.sources)
    )


def load_library(directory: Path | None = None, *, overwrite_edits: bool = False, prune: bool = False) -> LoadReport:
    """Create or update a Topic for every file. A topic edited in admin is kept unless `overwrite_edits`;
    a topic whose file is gone is reported, and removed with `prune`. Every file is checked first: one bad
    file stops the load before anything is written."""
    from assistant.models import Topic

    topics = read_all(directory or TOPICS_DIR)
    report = LoadReport()
    with transaction.atomic():
        existing = {t.slug: t for t in Topic.objects.all()}
        for data in topics:
            topic = existing.get(data.slug)
            if topic is None:
                # The title is unique too: a topic made in admin under another slug gives way to nothing.
                topic = Topic.objects.create(slug=data.slug, **_fields(data))
                _set_sources(topic, data)
                report.created.append(data.slug)
            elif topic.edited_in_admin and not overwrite_edits:
                report.kept_edits.append(data.slug)
            elif topic.file_digest == data.digest and topic.from_file and not topic.edited_in_admin:
                report.unchanged.append(data.slug)
            else:
                for name, value in _fields(data).items():
                    setattr(topic, name, value)
                topic.save()
                _set_sources(topic, data)
                report.updated.append(data.slug)
        slugs = {data.slug for data in topics}
        for slug, topic in existing.items():
            if slug not in slugs and topic.from_file:
                if prune:
                    topic.delete()
                    report.removed.append(slug)
                else:
                    report.no_file.append(slug)
        library_changed()
    return report
