"""Spanish questions: matched on each topic's Spanish part and answered offline in Spanish."""

import datetime as dt

import pytest

from assistant.grounding import ground
from assistant.library.files import TopicData, read_all
from assistant.library.search import LibraryIndex
from assistant.providers.offline import compose

TOPICS = read_all()
SPANISH = LibraryIndex(TOPICS, "es")


def test_every_topic_has_its_spanish_part():
    assert [t.slug for t in TOPICS if not t.es] == []
    assert len(SPANISH) == len(TOPICS)


@pytest.mark.parametrize(
    ("question", "slug"),
    [
        ("¿qué es la diabetes tipo 2?", "type-2-diabetes"),
        ("me duele la garganta desde ayer", "sore-throat"),
        ("mi hijo tiene varicela, qué hago", "chickenpox"),
        ("tengo agruras después de comer", "heartburn-and-gerd"),
        ("tengo almorranas y me arde", "hemorrhoids"),
        ("como dejo de fumar", "quitting-smoking"),
        ("tengo la presion alta", "high-blood-pressure"),
    ],
)
def test_a_spanish_question_reaches_its_topic(question, slug):
    assert ground(question, index=SPANISH).hits[0].topic.slug == slug


@pytest.mark.parametrize("question", ["receta de tacos al pastor", "cuál es la capital de Francia"])
def test_a_spanish_question_not_about_health_finds_nothing(question):
    found = ground(question, index=SPANISH)
    assert found.hits == [] and not found.medical


def test_the_language_is_detected_when_no_index_is_given(db):
    found = ground("¿qué es la diabetes tipo 2?")
    assert found.lang == "es"
    assert ground("what is type 2 diabetes?").lang == "en"


def test_the_offline_answer_to_a_spanish_question_is_in_spanish_with_its_sources():
    grounding = ground("tengo la presion alta", index=SPANISH)
    topic = next(t for t in TOPICS if t.slug == "high-blood-pressure")
    text = compose(grounding)
    assert text.startswith("*De la biblioteca de salud integrada de MedBotX")
    assert f"## {topic.es['title']}" in text and topic.es["summary"] in text and topic.es["urgent"] in text
    assert "**Cuándo buscar ayuda urgente**" in text and "**Fuentes**" in text
    assert all(source["url"] in text for source in topic.sources)
    assert topic.summary not in text  # not the English summary


def test_a_spanish_source_is_listed_first_in_a_spanish_answer():
    base = next(t for t in TOPICS if t.slug == "high-blood-pressure")
    spanish_page = {
        "name": "MedlinePlus en español: Presión arterial alta",
        "url": "https://medlineplus.gov/spanish/highbloodpressure.html",
        "lang": "es",
    }
    topic = TopicData(**{**base.__dict__, "sources": (*base.sources, spanish_page)})
    text = compose(ground("tengo la presion alta", index=LibraryIndex([topic], "es")))
    sources = text[text.index("**Fuentes**") :]
    assert sources.index(spanish_page["url"]) < sources.index(base.sources[0]["url"])


def test_spanish_not_found_and_declined_answers_are_in_spanish():
    assert "No encontré esto" in compose(
        ground("tengo un dolor raro en el codo izquierdo cuando llueve", index=LibraryIndex([], "es"))
    )
    assert compose(ground("receta de tacos al pastor", index=SPANISH)).startswith("Solo puedo ayudar")


def test_a_topic_without_a_spanish_part_is_left_out_of_the_spanish_index():
    base = TOPICS[0]
    english_only = TopicData(**{**base.__dict__, "es": None})
    assert len(LibraryIndex([english_only], "es")) == 0
    assert base.reviewed <= dt.date.today()
