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
        (lambda t: re.sub(r"reviewed = \S+", 'reviewed = "last week"', t), "reviewed: a date"),
        (lambda t: re.sub(r"reviewed = \S+", "reviewed = 2999-01-01", t), "in the future"),
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


SPANISH = """
[es]
title = "Diabetes tipo 2"
aliases = ["diabetes tipo 2", "azucar alta"]
summary = "La diabetes tipo 2 hace que el azúcar en la sangre suba demasiado."
urgent = "Busca ayuda urgente si hay confusión o mucha sed con vómitos."

"""


def with_spanish(text: str, block: str = SPANISH) -> str:
    """The example topic with the given [es] table in place of its own."""
    text = re.sub(r"(?s)\n\[es\]\n.*?(?=\n\[\[sources\]\])", "\n", text)
    return text.replace("\n[[sources]]", block + "[[sources]]", 1)


def test_a_topic_reads_its_spanish_part_and_a_spanish_source(tmp_path):
    text = with_spanish(GOOD) + (
        '\n[[sources]]\nname = "MedlinePlus en español: Diabetes tipo 2"\n'
        'url = "https://medlineplus.gov/spanish/diabetestype2.html"\nlang = "es"\n'
    )
    topic = parse(write(tmp_path, "type-2-diabetes.toml", text))
    assert topic.es == {
        "title": "Diabetes tipo 2",
        "aliases": ("diabetes tipo 2", "azucar alta"),
        "summary": "La diabetes tipo 2 hace que el azúcar en la sangre suba demasiado.",
        "urgent": "Busca ayuda urgente si hay confusión o mucha sed con vómitos.",
    }
    assert topic.sources[-1]["lang"] == "es"
    assert "lang" not in topic.sources[0]


@pytest.mark.parametrize(
    ("block", "problem"),
    [
        (SPANISH.replace('title = "Diabetes tipo 2"\n', ""), "es.title: required"),
        (SPANISH.replace('["diabetes tipo 2", "azucar alta"]', "[]"), "es.aliases: a list"),
        (SPANISH.replace('"azucar alta"', '"Diabetes Tipo 2"'), "es.aliases: listed twice"),
        (SPANISH.replace("demasiado.", "demasiado. Toma 500 mg."), "es.summary: looks like a dose"),
        (SPANISH.replace("[es]\n", "[es]\nnotas = 'x'\n"), "es: unknown keys"),
    ],
)
def test_the_checker_rejects_a_bad_spanish_part(tmp_path, block, problem):
    with pytest.raises(TopicFileError) as caught:
        parse(write(tmp_path, "type-2-diabetes.toml", with_spanish(GOOD, block)))
    assert any(problem in p for p in caught.value.problems), caught.value.problems


def test_a_source_language_must_be_english_or_spanish(tmp_path):
    text = GOOD.replace(
        'url = "https://medlineplus.gov/diabetestype2.html"',
        'url = "https://medlineplus.gov/diabetestype2.html"\nlang = "fr"',
    )
    with pytest.raises(TopicFileError, match="lang: one of"):
        parse(write(tmp_path, "type-2-diabetes.toml", text))


def test_a_file_name_must_be_a_slug(tmp_path):
    with pytest.raises(TopicFileError, match="slug"):
        parse(write(tmp_path, "Type 2 Diabetes.toml", GOOD))


def test_two_topics_cannot_share_a_title(tmp_path):
    write(tmp_path, "type-2-diabetes.toml", GOOD)
    write(tmp_path, "diabetes-two.toml", GOOD)
    with pytest.raises(TopicFileError, match="title also used"):
        read_all(tmp_path)
