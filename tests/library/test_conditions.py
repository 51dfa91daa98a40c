"""Names of things the library does not cover (assistant/library/conditions.py): a question that names one is
answered from a topic only when it names that topic too; the offline answer says the library does not cover
it, in the question's language."""

import pytest

from assistant.grounding import ground
from assistant.library.conditions import CONDITIONS_FILE, names, uncovered, uncovered_spans
from assistant.library.files import read_all
from assistant.library.search import LibraryIndex
from assistant.providers.offline import compose

TOPICS = read_all()
INDEXES = {"en": LibraryIndex(TOPICS), "es": LibraryIndex(TOPICS, "es")}


def test_the_file_is_well_formed():
    for number, line in enumerate(CONDITIONS_FILE.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip() and not line.startswith("#"):
            fields = [f.strip() for f in line.split("|")]
            assert fields[0] in ("en", "es") and len(fields) >= 2 and all(fields), f"line {number}: {line!r}"
            assert line == line.lower(), f"line {number}: names are lowercase"
    assert len(names("en")) > 2000 and len(names("es")) > 2000


@pytest.mark.parametrize(
    ("lang", "question"),
    [
        ("en", "my jaw clicks and hurts when i chew, is that tmj"),
        ("en", "myasthenia gravis droopy eyelids and double vision"),
        ("es", "que es el mal de chagas y como se transmite"),
        ("es", "sindrome de sjögren boca seca y ojos secos"),
    ],
)
def test_a_question_about_an_uncovered_condition_cites_nothing_and_says_so(lang, question):
    found = ground(question, index=INDEXES[lang])
    assert uncovered_spans(question, INDEXES[lang])
    assert found.hits == [] and found.medical  # about health, not declined as another subject
    answer = compose(found)
    assert ("could not find this" in answer) if lang == "en" else ("No encontré esto" in answer)


def test_a_topic_the_question_names_beside_an_uncovered_condition_is_kept():
    found = ground("can lupus cause raynauds", index=INDEXES["en"])
    assert uncovered_spans("can lupus cause raynauds", INDEXES["en"]) == [(3, 4)]
    assert [hit.topic.slug for hit in found.hits][:1] == ["lupus"]


@pytest.mark.parametrize(
    ("lang", "question", "slug"),
    [
        ("en", "tension headache remedies", "headache"),  # a kind of a covered topic is covered
        ("en", "what is shingles", "shingles"),
        ("es", "me salió culebrilla en la espalda", "shingles"),  # a part of a covered topic's title
        ("es", "qué vitaminas debo tomar en el embarazo", "healthy-pregnancy"),  # the library's own words
    ],
)
def test_covered_things_and_the_librarys_own_words_are_not_uncovered(lang, question, slug):
    assert uncovered_spans(question, INDEXES[lang]) == []
    assert slug in [hit.topic.slug for hit in ground(question, index=INDEXES[lang]).hits]


def test_a_name_is_matched_as_written_not_by_its_stem():
    # The Spanish stemmer reads "tacos" as "tac", the scan (TAC): a recipe is not about an uncovered test.
    assert uncovered_spans("receta de tacos al pastor", INDEXES["es"]) == []
    assert uncovered_spans("me mandaron una TAC de la cabeza", INDEXES["es"]) == [(3, 4)]
    assert uncovered(INDEXES["es"])  # and the names are there


def test_a_title_is_named_by_the_name_before_its_gloss():
    # "Culebrilla (herpes zóster)" is named by "culebrilla"; "Vacuna contra el herpes zóster (culebrilla)" is not.
    hits = ground("me salió culebrilla en la espalda", index=INDEXES["es"]).hits
    assert hits[0].topic.slug == "shingles"
