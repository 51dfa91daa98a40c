"""Medicines by name (assistant/library/drugs.toml): the table is valid and sourced, a brand or generic name
reaches its topics, and the answer says what the medicine is without ever giving a dose."""

from pathlib import Path
from urllib.parse import urlsplit

import pytest

from assistant.grounding import ground
from assistant.library import drugs
from assistant.library.files import DOSE, read_all
from assistant.library.search import LibraryIndex
from assistant.providers.offline import NO_DOSE, NO_DOSE_ES, compose

TOPICS = read_all()
EN, ES = LibraryIndex(TOPICS), LibraryIndex(TOPICS, "es")


def test_the_table_is_valid_sourced_and_points_to_existing_topics():
    table = drugs.read()
    assert len(table) >= 50
    slugs = {t.slug for t in TOPICS}
    for drug in table:
        assert drug.sources and set(drug.topics) <= slugs
        assert not DOSE.search(drug.about) and not DOSE.search(drug.about_es)


@pytest.mark.parametrize(
    ("question", "medicine", "topic"),
    [
        ("can I take Gaviscon while pregnant", "alginic acid", "heartburn-and-gerd"),
        ("how long does citalopram take to start working", "citalopram", "depression"),
        ("is Tamiflu ok for a 5 year old", "oseltamivir", "influenza"),
        ("what is metformin for", "metformin", "type-2-diabetes"),
        # US brands, named by the FDA's label records (api.fda.gov) or the NHS's medicine pages
        ("is it ok to drink coffee while on lexapro", "escitalopram", "depression"),
        ("does lipitor make your muscles ache", "atorvastatin", "statins"),
        ("can i take tylenol with a cold", "paracetamol", "pain-relievers"),
        ("is xarelto safe to take for years", "rivaroxaban", "deep-vein-thrombosis"),
        ("can i still take paxlovid if i feel fine", "nirmatrelvir with ritonavir", "covid-19"),
        ("does concerta make kids lose their appetite", "methylphenidate", "adhd"),
    ],
)
def test_a_brand_or_generic_name_reaches_its_topic_first(question, medicine, topic):
    found = ground(question, index=EN)
    assert [d.generic for d in found.drugs] == [medicine]
    assert found.hits[0].topic.slug == topic
    answer = compose(found)
    assert NO_DOSE in answer and not DOSE.search(answer.split("## ")[0])  # what it is; where its dose comes from
    first_source = answer.split("**Sources**")[1].split("](")[1].split(")")[0]
    assert first_source == found.drugs[0].sources[0]["url"]  # the medicine's own page is cited first


def test_a_medicine_s_main_topic_comes_first_then_the_question_s_own():
    """ "Advil" says pain relievers; "earache" and "my son" still find the ear and the children's topics."""
    found = ground("my son took advil for his earache, can he have more tonight", index=EN)
    assert [h.topic.slug for h in found.hits][:2] == ["pain-relievers", "ear-infection"]
    found = ground("can my toddler have tylenol for a fever", index=EN)
    assert [h.topic.slug for h in found.hits][:2] == ["fever-in-children", "pain-relievers"]


def test_a_medicine_s_sources_may_be_its_fda_label_and_nothing_else_outside_the_four_sites(tmp_path: Path):
    table = drugs.read()
    assert any(urlsplit(s["url"]).hostname == "api.fda.gov" for d in table for s in d.sources)
    entry = """[[drug]]
generic = "examplol"
topics = ["asthma"]
about = "A medicine."
about_es = "Un medicamento."

[[drug.sources]]
name = "A label"
url = "%s"
"""
    path = tmp_path / "d.toml"
    path.write_text(entry % "https://api.fda.gov/drug/label.json?search=openfda.brand_name%3A%22X%22", encoding="utf-8")
    assert drugs.read(path, topic_slugs={"asthma"})[0].sources[0]["url"].startswith("https://api.fda.gov/")
    path.write_text(entry % "https://www.drugs.com/x.html", encoding="utf-8")
    with pytest.raises(drugs.DrugFileError, match=r"www\.drugs\.com is not MedlinePlus, NHS, CDC, WHO or the FDA"):
        drugs.read(path, topic_slugs={"asthma"})


def test_a_spanish_question_about_a_medicine_is_answered_in_spanish():
    found = ground("¿para qué sirve el omeprazol?", index=ES)
    assert [d.generic for d in found.drugs] == ["omeprazole"]
    answer = compose(found)
    assert "**Omeprazol (Losec" in answer and NO_DOSE_ES in answer and found.drugs[0].about_es in answer


def test_a_name_that_is_an_everyday_word_is_not_taken_for_a_medicine():
    rid = drugs.Drug("pyrethrins", ("Rid",), ("head-lice",), "A lice treatment.", "Un tratamiento.", (), ())
    names = drugs.DrugNames([rid])
    assert names.find("how do I get rid of a cough") == []
    assert names.find("does pyrethrins work on lice") == [rid]


def test_the_checker_names_every_problem(tmp_path: Path):
    bad = tmp_path / "drugs.toml"
    bad.write_text(
        """
[[drug]]
generic = "Fakeol"
brands = ["Fakex"]
topics = ["no-such-topic"]
about = "Take 500 mg twice a day."
about_es = "Un medicamento."

[[drug.sources]]
name = "Somewhere"
url = "https://example.com/fakeol"

[[drug]]
generic = "otherol"
brands = ["Fakex"]
topics = ["asthma"]
about = "A medicine."
about_es = "Un medicamento."
""",
        encoding="utf-8",
    )
    with pytest.raises(drugs.DrugFileError) as caught:
        drugs.read(bad, topic_slugs={"asthma"})
    message = str(caught.value)
    for problem in ("generic: required, lowercase", "no topic 'no-such-topic'", "no doses ('500 mg')",
                    "example.com is not MedlinePlus", "otherol", "at least one checked source"):  # fmt: skip
        assert problem in message, problem
