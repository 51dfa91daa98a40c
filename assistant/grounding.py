"""What the library knows about a question: the topics to answer from, and the sources to cite.

Every chat turn is grounded before any provider runs. The offline provider composes its answer from the
topics; the language models get the passages in their prompt and are asked to cite them by number; the
sources go to the client in a `sources` event and are stored with the reply.
"""

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from .library import Hit, LibraryIndex, get_index
from .library.conditions import uncovered_spans
from .library.drugs import Drug
from .library.drugs import names as drug_names
from .library.search import ENGLISH_MIN_LENGTH, STOPWORDS, STOPWORDS_ES, is_english, stem, stem_es, words
from .safety.rules import detect_language

# A hit counts only if it scores at least this, and at least this share of the best hit's score.
MIN_SCORE = 7.0
MIN_MATCHED = 2
RELATIVE = 0.45
MAX_TOPICS = 3

SMALL_TALK = re.compile(
    r"^\s*(?:hi|hiya|hello|hey|yo|good (?:morning|afternoon|evening)|thanks?(?: you)?(?: (?:so|very) much)?|"
    r"thank you|cheers|ok(?:ay)?|who are you|what are you|what can you do|what do you do|help)\s*[!.?]*\s*$",
    re.IGNORECASE,
)


def _stems(text: str) -> frozenset[str]:
    return frozenset(stem(w) for w in text.split())


# Words that make a question about health even when the library has no topic for it.
HEALTH_WORDS = _stems(
    """
    health healthy medical medicine medicines medication drug drugs pill pills tablet dose side effects
    doctor doctors nurse pharmacist pharmacy clinic hospital gp surgery surgeon operation appointment
    symptom symptoms signs diagnosis diagnosed disease diseases condition syndrome disorder infection infected
    virus bacteria cancer tumour tumor illness ill sick unwell pain pains painful ache aches aching hurt hurts
    hurting sore swollen swelling lump bleeding bruise fever cough rash itch itchy injury injured inherited
    contagious treatment treated treat cure therapy scan xray vaccine vaccination allergy allergic
    pregnancy pregnant mental anxiety depression urine vomit vomiting nausea diarrhea dizzy fatigue
    """
)
# Parts of the body make a question about health when it is about a person ("my knee clicks"), not
# otherwise ("how many legs does a spider have").
BODY_WORDS = _stems(
    """
    head face eye eyes ear ears nose mouth teeth tooth gum gums throat neck shoulder arm arms elbow wrist hand
    hands finger fingers chest breast breasts heart lung lungs stomach tummy belly abdomen liver kidney
    kidneys bladder bowel back spine hip hips leg legs knee knees ankle ankles foot feet toe toes skin hair
    nail nails bone bones joint joints muscle muscles nerve nerves brain blood period periods baby weight
    sleep stress mood breath breathing pee poo stool tired
    """
)
PERSONAL = _stems(
    "i im ive me my mine myself our we us son daughter child kid kids baby husband wife"
    " mum mom dad father mother partner brother sister grandma grandad grandpa friend he she his her"
)
# The same in Spanish (without accents, as words() reads them).
_HEALTH_TEXT_ES = """
    salud medico medica medicina medicinas medicamento medicamentos pastilla pastillas dosis doctor doctora
    enfermera farmacia farmaceutico clinica hospital cirugia operacion cita sintoma sintomas signos diagnostico
    enfermedad infeccion virus bacteria cancer tumor enfermo enferma dolor duele duelen molestia hinchado
    hinchazon bulto sangrado sangre moreton fiebre calentura tos sarpullido granos comezon picazon lesion
    contagioso tratamiento curar cura terapia vacuna vacunas alergia alergico embarazo embarazada ansiedad
    depresion orina vomito vomitos nauseas diarrea mareo mareos cansancio presion azucar diabetes
"""
HEALTH_WORDS_ES = frozenset(stem_es(w) for w in _HEALTH_TEXT_ES.split())
# A short follow-up that leans on the question before it: it starts as an ellipsis ("what about kids?",
# "¿y para niños?") or points back with a pronoun ("is there a vaccine for it?"). "This" and "that" are left
# out (usually determiners: "what is this rash"), and so are openings a new question shares ("is there").
FOLLOW_UP = re.compile(
    r"^\W*(?:what about|how about|and|also|what if|same for|y|y si|y para|tambien|que tal)\b"
    r"|\b(?:it|its|they|them|eso|esto|ello)\b",
    re.IGNORECASE,
)
FOLLOW_UP_WORDS = 8
# A question about a child: the children's version of a topic comes first ("my son has a fever").
ABOUT_A_CHILD = re.compile(
    r"\b(?:my|our|mi|mis|nuestro|nuestra) (?:\d+[ -](?:year|yr|month|week|ano|mes)\w*[ -]old )?"
    r"(?:son|daughter|baby|babies|toddler|kid|kids|child|children|newborn|infant|boy|girl|little one|"
    r"hijo|hija|hijos|bebe|bebes|nino|nina|ninos|nene|nena|chamaco|chamaca)\b|\b(?:children|kids|toddlers|"
    r"babies|ninos|bebes)\b",
    re.IGNORECASE,
)
# A best hit that neither names its topic nor matches at least this share of the question is weak: the
# offline answer says so ("The closest topic I have is...").
WEAK_COVERAGE = 0.5
# Below this share, a best topic needs health in the question's other words (else another meaning).
OTHER_MEANING_COVERAGE = 0.3


def words_text(text: str) -> str:
    """The question's words, lowercased and without accents, joined by spaces."""
    return " ".join(words(text))


def is_follow_up(text: str) -> bool:
    return len(words(text)) <= FOLLOW_UP_WORDS and bool(FOLLOW_UP.search(text))


_PERSONAL_TEXT_ES = """
    yo me mi mis tengo tiene tienen estoy siento duele nos nuestro nuestra hijo hija hijos bebe nino nina
    esposo esposa mama papa abuelo abuela hermano hermana novio novia amigo amiga
"""
PERSONAL_ES = frozenset(_PERSONAL_TEXT_ES.split())
# Endings of medical terms: "sarcoidosis", "fibromyalgia", "hidradenitis".
MEDICAL_ENDING = re.compile(r"(?:itis|osis|emia|aemia|algia|oma|omas|pathy|iasis|ectomy|plasty|plegia|trophy)$")
# A longer word that neither the library nor English knows is most likely a medical term ("sarcoidosis").
UNKNOWN_WORD_LENGTH = 6
# From this length a word the library and English both lack counts as a name the library does not cover (the
# English word list holds words from this length only).
UNKNOWN_NAME_LENGTH = ENGLISH_MIN_LENGTH


@dataclass(frozen=True)
class Grounding:
    question: str
    hits: list[Hit] = field(default_factory=list)
    medical: bool = False
    small_talk: bool = False
    lang: str = "en"  # the question's language; a Spanish question is matched and answered in Spanish
    drugs: list[Drug] = field(default_factory=list)  # the medicines the question names (library/drugs.toml)

    @property
    def weak(self) -> bool:
        """The best topic is only loosely related: not named in the question, and it matches under half of it."""
        return bool(self.hits) and not self.hits[0].phrase and self.hits[0].coverage < WEAK_COVERAGE

    @property
    def sources(self) -> list[dict[str, str]]:
        """Every source of the topics used, best topic first, each once: [{title, url}]. The n-th is [n]."""
        seen: dict[str, dict[str, str]] = {}
        for drug in self.drugs:
            for source in drug.sources:
                seen.setdefault(source["url"], {"title": source["name"], "url": source["url"]})
        for hit in self.hits:
            for source in hit.topic.sources:
                seen.setdefault(source["url"], {"title": source["name"], "url": source["url"]})
        return list(seen.values())

    def source_number(self, url: str) -> int:
        return next(i for i, s in enumerate(self.sources, 1) if s["url"] == url)


def relevant(hits: list[Hit]) -> list[Hit]:
    """The hits worth answering from, not far behind the best: a topic named in the question (its title
    or an alias, whole), or a strong score earned by at least two of the question's words. One shared
    word, however rare, is not enough ("good morning" is not about morning sickness)."""
    if not hits:
        return []
    floor = hits[0].score * RELATIVE
    return [h for h in hits if h.score >= floor and (h.phrase or (h.matched >= MIN_MATCHED and h.score >= MIN_SCORE))][
        :MAX_TOPICS
    ]


def looks_medical(text: str, index: LibraryIndex) -> bool:
    """Whether a question is about health, even one the library does not cover."""
    if index.language.code == "es":
        content = [w for w in words(text) if w not in STOPWORDS_ES]
        stems = {stem_es(w) for w in content}
        return bool(stems & HEALTH_WORDS_ES) or any((s,) in index.phrases for s in stems)
    raw = words(text)
    content = [w for w in raw if w not in STOPWORDS]
    stems = {stem(w) for w in content}
    if stems & HEALTH_WORDS or any((s,) in index.phrases for s in stems):
        return True
    if stems & BODY_WORDS and PERSONAL.intersection(stem(w) for w in raw):
        return True
    for word in content:
        if MEDICAL_ENDING.search(word) and len(word) > 5:
            return True
        unknown = len(word) >= UNKNOWN_WORD_LENGTH and word.isalpha() and not index.knows(stem(word))
        if unknown and not is_english(word):
            return True
    return False


def unknown_names(text: str, index: LibraryIndex) -> list[str]:
    """The words of an English question that neither the library nor English knows and that spelling did not
    correct: most likely the name of something the library does not cover ("keratoconus", "Ehlers-Danlos",
    "achalasia"). A word with a medical ending counts even when English knows it ("sarcoidosis")."""
    if index.language.code != "en":
        return []
    corrected = index.parse(text).corrections
    found = []
    for word in words(text):
        if len(word) < UNKNOWN_NAME_LENGTH or not word.isalpha() or word in STOPWORDS or word in corrected:
            continue
        if index.knows(stem(word)) or (is_english(word) and not MEDICAL_ENDING.search(word)):
            continue
        if not MEDICAL_ENDING.search(word) and _one_edit_from_english(word):
            continue  # a misspelling ("embarassing") or a form the word list lacks ("theyre", "dribbly")
        found.append(word)
    return found


_LETTERS = "abcdefghijklmnopqrstuvwxyz"


@functools.lru_cache(maxsize=4096)
def _one_edit_from_english(word: str) -> bool:
    """Whether one letter deleted, swapped, changed or added makes an English word: the cheap edits first, and
    the first English word found ends the search (a few hundred look-ups at most; remembered per word)."""
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]

    def edits() -> Iterator[str]:
        yield from (a + b[1:] for a, b in splits if b)
        yield from (a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1)
        yield from (a + c + b[1:] for a, b in splits if b for c in _LETTERS if c != b[0])
        yield from (a + c + b for a, b in splits for c in _LETTERS)

    return any(len(edit) >= UNKNOWN_NAME_LENGTH and is_english(edit) for edit in edits())


def _health_beside(text: str, hit: Hit, index: LibraryIndex) -> bool:
    """Whether the question is about health in the words beside those that name the hit's topic."""
    named = index.topic_words(hit.topic.slug)
    stem_ = index.language.stem
    raw = words(text)
    rest = " ".join(w for w in raw if stem_(w) not in named)
    personal = PERSONAL_ES.intersection(raw) if index.language.code == "es" else PERSONAL.intersection(map(stem, raw))
    return looks_medical(rest, index) or bool(personal)


def _named_outside(text: str, hit: Hit, spans: list[tuple[int, int]], index: LibraryIndex) -> bool:
    """Whether a word of the hit's title or aliases is in the question outside the given word spans."""
    inside = {i for start, end in spans for i in range(start, end)}
    stem_, stop = index.language.stem, index.language.stopwords
    rest = {stem_(w) for i, w in enumerate(words(text)) if i not in inside and w not in stop}
    return bool(rest & index.topic_words(hit.topic.slug))


def ground(
    text: str,
    history: list[tuple[str, str]] | None = None,
    index: LibraryIndex | None = None,
    lang: str | None = None,
) -> Grounding:
    """Find the library topics for a new message, in its language (English or Spanish). A short follow-up
    that leans on the question before it ("is there a vaccine for it?") is searched together with the
    person's previous question; any other message is searched alone, and again with the previous question
    only when it finds nothing alone."""
    lang = lang or (index.language.code if index is not None else detect_language(text))
    index = index if index is not None else get_index(lang)
    if SMALL_TALK.match(text):
        return Grounding(text, small_talk=True, lang=lang)
    previous = next((content for role, content in reversed(history or []) if role == "user"), None)
    hits: list[Hit] = []
    if previous and is_follow_up(text):
        hits = relevant(index.search(f"{previous} {text}", limit=MAX_TOPICS * 2))
    if not hits:
        hits = relevant(index.search(text, limit=MAX_TOPICS * 2))
    if not hits and previous:
        hits = relevant(index.search(f"{previous} {text}", limit=MAX_TOPICS * 2))
    if hits and hits[0].coverage < OTHER_MEANING_COVERAGE and not _health_beside(text, hits[0], index):
        # "pink eye shadow tutorial", "fever lyrics", "great depression era recipes": a topic's name in a
        # question that says nothing else about health is another meaning of the words.
        hits = []
    drugs = drug_names().find(text)
    if hits and not drugs and not hits[0].phrase and unknown_names(text, index):
        # The question names something the library does not know ("can I wear contacts with keratoconus"), and
        # the best topic is not named in it: that topic answers the other words, not the question.
        hits = []
    spans = uncovered_spans(text, index) if not drugs else []
    if hits and spans:
        # The question names something the library does not cover ("tmj", "mal de chagas"): only a topic it
        # names too, outside that name, answers it ("can lupus cause raynaud's": Lupus).
        hits = [hit for hit in hits if hit.phrase and _named_outside(text, hit, spans, index)]
    if drugs:
        hits = _with_drug_topics(hits, drugs, index)
    if hits and ABOUT_A_CHILD.search(words_text(text)):
        # The children's version of the best topic ("Fever in children"), when there is one, comes first.
        young = index.topic(f"{hits[0].topic.slug}-in-children")
        if young is not None and all(hit.topic.slug != young.slug for hit in hits):
            best = hits[0]
            hits.insert(0, Hit(young, best.score, best.coverage, best.phrase, best.matched))
        hits.sort(key=lambda hit: hit.topic.category != "childrens-health")  # stable: otherwise as ranked
    hits = hits[:MAX_TOPICS]
    medical = bool(hits or drugs or spans) or looks_medical(text, index)  # a condition's name is about health
    return Grounding(text, hits=hits, medical=medical, lang=lang, drugs=drugs)


def _with_drug_topics(hits: list[Hit], drugs: list[Drug], index: LibraryIndex) -> list[Hit]:
    """Each medicine's main topic comes first (a medicine's name says more than the other words do: "how long
    does Zoloft take to work" is about depression, not exercise), then the topics the question's words found
    ("my son took Advil for his earache": ear infection), then the medicines' other topics."""
    best = hits[0].score if hits else 1.0

    def as_hits(slugs: list[str]) -> list[Hit]:
        found = [index.topic(slug) for slug in slugs]
        return [Hit(topic, best, 1.0, 1, 1) for topic in found if topic is not None]

    main = as_hits([drug.topics[0] for drug in drugs])
    others = as_hits([slug for drug in drugs for slug in drug.topics[1:]])
    ordered: dict[str, Hit] = {}
    for hit in [*main, *hits, *others]:
        ordered.setdefault(hit.topic.slug, hit)
    return list(ordered.values())  # ground() keeps the first MAX_TOPICS
