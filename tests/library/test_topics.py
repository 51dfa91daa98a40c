"""Every topic file is valid, the library covers what it must, and the checker rejects what it should."""

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from assistant.library.files import ALLOWED_HOSTS, CATEGORIES, TopicFileError, parse, read_all, topic_paths

TOPICS = read_all()
# The areas the library must cover (the list), as categories.
REQUIRED_CATEGORIES = {
    "cardiovascular", "respiratory", "metabolic", "infections", "digestive", "skin", "musculoskeletal",
    "neurological", "kidney-urinary", "eye-ear", "symptoms", "mental-health", "womens-health", "mens-health",
    "pregnancy", "childrens-health", "medicines", "vaccines", "prevention",
}  # fmt: skip
REQUIRED_SYMPTOMS = {"fever", "headache", "cough", "chest-pain", "abdominal-pain", "dizziness", "rash", "fatigue"}


def test_the_library_has_at_least_a_hundred_topics():
    assert len(TOPICS) >= 100
    assert len(topic_paths()) == len(TOPICS)


def test_every_area_is_covered():
    assert {t.category for t in TOPICS} >= REQUIRED_CATEGORIES
    assert {t.slug for t in TOPICS} >= REQUIRED_SYMPTOMS
    assert {"smoking", "alcohol", "sleep", "physical", "eating"} <= {w for t in TOPICS for w in t.slug.split("-")}


@pytest.mark.parametrize("path", topic_paths(), ids=lambda p: p.stem)
def test_each_topic_file_is_complete_and_sourced(path: Path):
    topic = parse(path)  # raises with every problem listed
    assert topic.title and topic.summary and topic.urgent and topic.aliases
    assert topic.category in CATEGORIES
    for source in topic.sources:
        parts = urlsplit(source["url"])
        assert parts.scheme == "https" and parts.hostname in ALLOWED_HOSTS
        assert source["name"].strip()
    assert topic.reviewed.year >= 2025


def test_no_topic_gives_a_phone_number_or_a_dose():
    # Emergency numbers are per region (settings), never written into a topic.
    phone = re.compile(r"\b(?:911|999|112|988|000|1-800)\b")
    for topic in TOPICS:
        text = " ".join([topic.summary, topic.urgent, *topic.sections.values()])
        assert not phone.search(text), topic.slug


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


GOOD = (Path(__file__).resolve().parents[2] / "assistant/library/topics/type-2-diabetes.toml").read_text()


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (lambda t: t.replace("https://medlineplus.gov/", "https://example.com/"), "is not MedlinePlus, NHS, CDC"),
        (lambda t: t.replace("https://medlineplus.gov/", "http://medlineplus.gov/"), "not a well-formed https"),
        (lambda t: t.replace("https://medlineplus.gov/", "https://medlineplus.gov.evil.test/"), "is not MedlinePlus"),
        (lambda t: t.replace('kind = "condition"', 'kind = "cure"'), "kind: one of"),
        (lambda t: t.replace('category = "metabolic"', 'category = "misc"'), "category: one of"),
        (lambda t: t.replace("reviewed = 2026-11-25", 'reviewed = "last week"'), "reviewed: a date"),
        (lambda t: t.replace("reviewed = 2026-11-25", "reviewed = 2999-01-01"), "in the future"),
        (lambda t: t.replace("Eating well,", "Take 500 mg of metformin. Eating well,"), "looks like a dose"),
        (lambda t: t.replace("Eating well,", "Take two tablets. 2 tablets daily. Eating well,"), "looks like a dose"),
        (lambda t: re.sub(r'(?s)symptoms = """.*?"""\n', "", t, count=1), "symptoms: required"),
        (lambda t: re.sub(r"(?s)\[\[sources\]\].*", "", t), "sources: at least one"),
        (lambda t: 'favourite = "x"\n' + t, "unknown keys"),
        (lambda t: t.replace('title = "Type 2 diabetes"', 'title = ""'), "title: required"),
        (lambda t: t.replace("title =", "title = = "), "not valid TOML"),
    ],
)
def test_the_checker_rejects_a_bad_topic(tmp_path, change, problem):
    path = write(tmp_path, "type-2-diabetes.toml", change(GOOD))
    with pytest.raises(TopicFileError) as caught:
        parse(path)
    assert any(problem in p for p in caught.value.problems), caught.value.problems


def test_the_checker_accepts_the_example_and_unwraps_lines(tmp_path):
    topic = parse(write(tmp_path, "type-2-diabetes.toml", GOOD))
    assert "\n" not in topic.summary
    assert topic.sources == (
        {"name": "MedlinePlus: Diabetes Type 2", "url": "https://medlineplus.gov/diabetestype2.html"},
    )


def test_a_file_name_must_be_a_slug(tmp_path):
    with pytest.raises(TopicFileError, match="slug"):
        parse(write(tmp_path, "Type 2 Diabetes.toml", GOOD))


def test_two_topics_cannot_share_a_title(tmp_path):
    write(tmp_path, "type-2-diabetes.toml", GOOD)
    write(tmp_path, "diabetes-two.toml", GOOD)
    with pytest.raises(TopicFileError, match="title also used"):
        read_all(tmp_path)
