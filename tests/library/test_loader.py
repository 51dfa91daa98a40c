"""`load_library` puts the topic files in the database, idempotently; admin edits are kept; the index follows."""

import json
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from assistant.library import get_index
from assistant.library.files import TOPICS_DIR, topic_paths
from assistant.library.loader import load_library
from assistant.models import Topic, TopicSource

pytestmark = pytest.mark.django_db


@pytest.fixture
def small_library(tmp_path) -> Path:
    for path in topic_paths()[:3]:
        shutil.copy(path, tmp_path / path.name)
    return tmp_path


def test_the_real_library_loads_and_a_second_run_changes_nothing(capsys):
    call_command("load_library")
    count = len(topic_paths())
    assert Topic.objects.count() == count
    assert TopicSource.objects.count() >= count
    assert f"{count} created" in capsys.readouterr().out

    call_command("load_library")
    assert f"0 created, 0 updated, {count} unchanged" in capsys.readouterr().out
    assert Topic.objects.count() == count


def test_a_loaded_topic_matches_its_file():
    load_library()
    topic = Topic.objects.get(slug="type-2-diabetes")
    data = topic.as_data()
    assert data.title == "Type 2 diabetes"
    assert "sugar diabetes" in data.aliases
    assert data.sources[0]["url"] == "https://medlineplus.gov/diabetestype2.html"
    assert set(data.sections) == {"what_it_is", "symptoms", "causes", "what_helps", "prevention"}
    # The Spanish part is stored and read back as the file has it.
    from assistant.library.files import TOPICS_DIR, parse

    assert data.es == parse(TOPICS_DIR / "type-2-diabetes.toml").es
    assert data.es is not None and data.es["title"]


def test_a_changed_file_updates_its_topic_and_sources(small_library):
    load_library(small_library)
    path = topic_paths(small_library)[0]
    text = path.read_text().replace('title = "', 'title = "Changed: ', 1)
    path.write_text(text)
    report = load_library(small_library)
    assert report.updated == [path.stem] and len(report.unchanged) == 2
    assert Topic.objects.get(slug=path.stem).title.startswith("Changed: ")


def test_admin_edits_are_kept_until_overwritten(small_library):
    load_library(small_library)
    slug = topic_paths(small_library)[0].stem
    Topic.objects.filter(slug=slug).update(summary="Edited by a reviewer.", edited_in_admin=True)

    report = load_library(small_library)
    assert report.kept_edits == [slug]
    assert Topic.objects.get(slug=slug).summary == "Edited by a reviewer."

    report = load_library(small_library, overwrite_edits=True)
    assert report.updated == [slug]
    topic = Topic.objects.get(slug=slug)
    assert topic.summary != "Edited by a reviewer." and not topic.edited_in_admin


def test_a_removed_file_is_reported_then_pruned(small_library):
    load_library(small_library)
    gone = topic_paths(small_library)[0]
    gone.unlink()
    assert load_library(small_library).no_file == [gone.stem]
    assert Topic.objects.filter(slug=gone.stem).exists()
    assert load_library(small_library, prune=True).removed == [gone.stem]
    assert not Topic.objects.filter(slug=gone.stem).exists()


def test_one_bad_file_loads_nothing(small_library, monkeypatch):
    (small_library / "broken.toml").write_text('title = "Broken"\n')
    monkeypatch.setattr("assistant.library.loader.TOPICS_DIR", small_library)
    with pytest.raises(CommandError, match=r"Nothing was loaded: broken\.toml"):
        call_command("load_library")
    assert Topic.objects.count() == 0


def test_the_search_index_follows_changes_in_the_database(small_library, django_capture_on_commit_callbacks):
    # The index is rebuilt once a change is committed (the test's transaction never commits: run the callbacks).
    with django_capture_on_commit_callbacks(execute=True):
        load_library(small_library)
    slug = topic_paths(small_library)[0].stem
    assert get_index().search("zebrafruit") == []
    topic = Topic.objects.get(slug=slug)
    topic.aliases += "\nzebrafruit"
    with django_capture_on_commit_callbacks(execute=True):
        topic.save()
    assert [h.topic.slug for h in get_index().search("zebrafruit")] == [slug]
    topic.published = False
    with django_capture_on_commit_callbacks(execute=True):
        topic.save()
    assert get_index().search("zebrafruit") == []


def test_another_processs_change_is_seen_within_the_check_interval(small_library, monkeypatch):
    """Another process's edit only bumps the shared version: this process looks at it at most once a
    VERSION_CHECK_SECONDS (a trip to Redis per search otherwise), then rebuilds."""
    from django.core.cache import cache

    from assistant import library

    load_library(small_library)
    library.invalidate_index()
    slug = topic_paths(small_library)[0].stem
    assert get_index().search("zebrafruit") == []
    Topic.objects.filter(slug=slug).update(aliases="zebrafruit")  # as another process would, then:
    cache.set(library.VERSION_KEY, "changed elsewhere", timeout=None)
    assert get_index().search("zebrafruit") == []  # checked less than a second ago: not yet
    monkeypatch.setattr(library, "VERSION_CHECK_SECONDS", 0.0)
    assert [h.topic.slug for h in get_index().search("zebrafruit")] == [slug]


def test_moderators_edit_a_topic_in_admin_and_the_edit_is_marked(moderator):
    load_library()
    topic = Topic.objects.get(slug="type-2-diabetes")
    url = reverse("admin:assistant_topic_change", args=[topic.pk])
    page = moderator.get(url)
    assert page.status_code == 200 and b"Type 2 diabetes" in page.content
    form = page.context["adminform"].form
    data = {name: form.initial.get(name, "") for name in form.fields}
    data.update(summary="A reviewer's better summary.", reviewed="2026-11-25", published="on")
    data["spanish"] = json.dumps(topic.spanish)  # the form posts JSON text
    sources = list(topic.sources.all())
    data.update({
        "sources-TOTAL_FORMS": str(len(sources)), "sources-INITIAL_FORMS": str(len(sources)),
        "sources-MIN_NUM_FORMS": "1", "sources-MAX_NUM_FORMS": "1000",
    })  # fmt: skip
    for i, source in enumerate(sources):
        data.update({
            f"sources-{i}-id": str(source.pk), f"sources-{i}-topic": str(topic.pk),
            f"sources-{i}-name": source.name, f"sources-{i}-url": source.url, f"sources-{i}-position": str(i),
            f"sources-{i}-lang": source.lang,
        })  # fmt: skip
    data = {k: v for k, v in data.items() if v is not False and v is not None}
    response = moderator.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    topic.refresh_from_db()
    assert topic.summary == "A reviewer's better summary." and topic.edited_in_admin


def test_admin_refuses_a_source_outside_the_four_organisations_and_a_dose():
    topic = Topic(
        slug="x", title="X", category="symptoms", kind="symptom", aliases="x", summary="Take 20 mg daily.",
        urgent="Call.", reviewed="2026-11-25",
    )  # fmt: skip
    with pytest.raises(Exception, match="dose"):
        topic.full_clean()
    source = TopicSource(topic=Topic(pk=1), name="Blog", url="https://example.com/page")
    with pytest.raises(Exception, match="MedlinePlus"):
        source.full_clean(exclude=["topic"])


def test_the_topics_directory_is_the_default():
    assert TOPICS_DIR.name == "topics" and TOPICS_DIR.is_dir()
