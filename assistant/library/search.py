"""Ranked retrieval over the health library: BM25F with title and alias boosts, phrases, synonyms and
spelling correction.

Each topic has four fields, weighted: title, aliases, summary, body (the sections and the urgent help).
Words are lowercased, stripped of accents and apostrophes, and stemmed (Snowball English, via PyStemmer),
so plurals and endings match. A synonym map turns lay language into the library's words ("the runs" →
diarrhea) and adds them to the query. A word the library does not know is corrected to the nearest one it
does (an edit or two, same first letter; rapidfuzz), so "diabetis" finds diabetes. A query that contains a
topic's whole title or alias as a phrase ("heart attack", "pink eye") earns that topic a bonus, so the
specific topic beats ones that only share a word.

Scores are precomputed per term at build time (a posting list of (topic, contribution)), so a query costs
one dictionary walk per query word: fast at 100 topics, and still fast at 10,000.
"""

import gzip
import io
import math
import re
import tomllib
import unicodedata
from array import array
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

import Stemmer
from rapidfuzz import process
from rapidfuzz.distance import OSA

from .files import TopicData

SYNONYMS_FILE = Path(__file__).resolve().parent / "synonyms.toml"

FIELD_WEIGHTS = {"title": 6.0, "aliases": 4.0, "summary": 2.0, "body": 1.0}
K1 = 1.2
B = 0.75
PHRASE_BONUS = 4.0  # per word of a title or alias found whole in the question
EXPANSION_WEIGHT = 0.8  # words added by a synonym count a little less than the person's own
CORRECTION_WEIGHT = 0.8  # and so do words we corrected
SILENT_STARTS = ("pn", "ps", "kn", "gn", "wr", "rh")  # first letters often not written: "nemonia", "soriasis"
MAX_PHRASE = 6  # words in a title or alias matched whole (small words included)
# A one-word alias this frequent in English (pyspellchecker's counts: "energy", "pressure", "cold") is an
# everyday word: alone it does not name a topic.
EVERYDAY_COUNT = 20_000

# Words that carry no topic: function words and the phrasing of questions.
_STOPWORD_TEXT = """
    a about above after again against all also am an and any are aren arent as at be because been before being
    below between both but by can cannot cant could couldn couldnt did didn didnt do does doesn doesnt doing
    don dont down during each either else ever every few for from further get gets getting got had hadn has
    hasn hasnt have haven havent having he her here hers herself him himself his how however i id if im in into
    is isn isnt it its itself ive just know let lets like ll may me might mine more most much must my myself
    need needs no nor not now of off on once one only or other our ours ourselves out over own please re really
    same shall she should shouldn shouldnt since so some still such than thank thanks that thats the their
    theirs them themselves then there these they thing things this those though through to too under until up
    upon us very was wasn wasnt way we well were weren what whats when where whether which while who whom whose
    why will with won wont would wouldn wouldnt yes yet you your youre yours yourself ve s t d m o y hi hello
    hey ok okay anyone someone something anything tell tells told want wanted wants think thought wondering
    wonder question questions ask asking help
"""
STOPWORDS = frozenset(_STOPWORD_TEXT.split())
# Spanish, written without accents (words() drops them): function words and the phrasing of questions.
_STOPWORD_TEXT_ES = """
    a al algo alguien algun alguna alguno algunos ante antes aqui asi aun bien cada como con contra cual cuales
    cuando cuanto de del desde donde dos el ella ellas ellos en entre era eres es esa ese eso esta estas este
    esto estos estoy estan esta fue ha hace hacer hay he hola la las le les lo los mas me mi mis mucho muy
    nada ni no nos nosotros o otra otro para pero poco por porque puede puedo pues que quien se sea ser si
    sin sobre soy su sus tambien tan tanto te tengo tiene tienen ti tu tus un una uno unos usted ustedes va
    vez y ya yo gracias favor saber quiero quisiera pregunta preguntar dime decir ayuda ayudame oye
"""
STOPWORDS_ES = frozenset(_STOPWORD_TEXT_ES.split())

_stemmer = Stemmer.Stemmer("english")
_stemmer_es = Stemmer.Stemmer("spanish")


class WordSet:
    """A large set of words in little memory: sorted, in one string, found by binary search (a few
    microseconds), where a set of strings, or a spelling library's own dictionary, holds tens of megabytes in every
    server process (docs/benchmarks.md)."""

    def __init__(self, words: Iterable[str]) -> None:
        """From words in strictly increasing order (ValueError otherwise), one at a time: the words are
        never all held as separate strings."""
        text = io.StringIO()
        self._starts = array("I", [0])
        previous = None
        for word in words:
            if previous is not None and word <= previous:
                raise ValueError(f"words must be sorted and unique: {word!r} after {previous!r}")
            text.write(word)
            text.write("\n")
            self._starts.append(self._starts[-1] + len(word) + 1)
            previous = word
        self._text = text.getvalue()

    def __len__(self) -> int:
        return len(self._starts) - 1

    def _word(self, i: int) -> str:
        return self._text[self._starts[i] : self._starts[i + 1] - 1]

    def __contains__(self, word: str) -> bool:
        lo, hi = 0, len(self)
        while lo < hi:
            mid = (lo + hi) // 2
            if self._word(mid) < word:
                lo = mid + 1
            else:
                hi = mid
        return lo < len(self) and self._word(lo) == word


ENGLISH_MIN_LENGTH = 5  # only words this long are ever looked up (a shorter one is not corrected)
_ENTRY = re.compile(r'\s*"([^"\\]+)"\s*:')


def _english_entries() -> Iterable[str]:
    path = resources.files("spellchecker") / "resources" / "en.json.gz"
    with path.open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as lines:
        for line in lines:
            entry = _ENTRY.match(line)
            if entry is not None and len(entry[1]) >= ENGLISH_MIN_LENGTH:
                yield entry[1]


@lru_cache(maxsize=1)
def _everyday_words() -> frozenset[str]:
    """The English words counted at least EVERYDAY_COUNT times in pyspellchecker's list (a few thousand)."""
    path = resources.files("spellchecker") / "resources" / "en.json.gz"
    entry = re.compile(r'\s*"([^"\\]+)"\s*:\s*(\d+)')
    found = set()
    with path.open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as lines:
        for line in lines:
            match = entry.match(line)
            if match is not None and int(match[2]) >= EVERYDAY_COUNT:
                found.add(match[1])
    return frozenset(found)


def load_word_lists() -> None:
    """Read the English word list and the everyday-word counts now (server start), not in the first search."""
    english_words()
    _everyday_words()


def english_count(word: str) -> int:
    """EVERYDAY_COUNT for an everyday English word, 0 otherwise."""
    return EVERYDAY_COUNT if word in _everyday_words() else 0


@lru_cache(maxsize=1)
def english_words() -> WordSet:
    """The English words of pyspellchecker's word list, read once per process. Its data file is sorted by
    word, so they are taken one at a time; should a version not be, they are sorted first (more memory)."""
    try:
        return WordSet(_english_entries())
    except ValueError:
        return WordSet(sorted(set(_english_entries())))


def is_english(word: str) -> bool:
    """An English word (not a misspelling, nor a technical term the word list lacks)."""
    if len(word) < ENGLISH_MIN_LENGTH:
        raise ValueError(f"only words of {ENGLISH_MIN_LENGTH} letters or more are kept: {word!r}")
    return word in english_words()


_WORD = re.compile(r"[a-z0-9]+")


def words(text: str) -> list[str]:
    """Lowercase words without accents or apostrophes ("Crohn\u2019s" → "crohns")."""
    text = unicodedata.normalize("NFKD", text.lower())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.replace("'", "").replace("\u2019", "")
    return _WORD.findall(text)


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    return _stemmer.stemWord(word)


def terms(text: str) -> list[str]:
    """The stems of the words that carry meaning."""
    return [stem(w) for w in words(text) if w not in STOPWORDS]


@lru_cache(maxsize=65536)
def stem_es(word: str) -> str:
    return _stemmer_es.stemWord(word)


@dataclass(frozen=True)
class Language:
    """What an index needs of a language: its stemmer, its function words, and whether the English lay
    synonyms and the English word list (for spelling correction) apply."""

    code: str
    stem: Callable[[str], str]
    stopwords: frozenset[str]

    def terms(self, text: str) -> list[str]:
        return [self.stem(w) for w in words(text) if w not in self.stopwords]

    def synonyms(self) -> dict[tuple[str, ...], tuple[str, ...]]:
        return synonym_table() if self.code == "en" else {}

    def everyday(self, word: str) -> bool:
        """An everyday word of the language (only English has the counts to tell)."""
        return self.code == "en" and english_count(word) >= EVERYDAY_COUNT

    def is_word(self, word: str) -> bool:
        """A word of the language: never "corrected" towards a topic word. Only English has a word list."""
        return is_english(word) if self.code == "en" else False


ENGLISH = Language("en", stem, STOPWORDS)
SPANISH = Language("es", stem_es, STOPWORDS_ES)
LANGUAGES = {"en": ENGLISH, "es": SPANISH}


@lru_cache(maxsize=1)
def synonym_table() -> dict[tuple[str, ...], tuple[str, ...]]:
    """(stemmed phrase) → (stemmed words to add), from synonyms.toml."""
    data = tomllib.loads(SYNONYMS_FILE.read_text(encoding="utf-8"))["synonyms"]
    table = {}
    for phrase, extra in data.items():
        key = tuple(stem(w) for w in words(phrase))
        if key:
            table[key] = tuple(terms(extra))
    return table


@dataclass(frozen=True)
class Hit:
    topic: TopicData
    score: float
    coverage: float = 1.0  # the share of the question's information (by idf) this topic matches
    phrase: int = 0  # the words of the longest title or alias found whole in the question
    matched: int = 0  # how many of the question's own words the topic matches (directly or by synonym)


@dataclass(frozen=True)
class Query:
    """A question as the index saw it: its words (with weights), and what was corrected or added."""

    terms: dict[str, float]
    corrections: dict[str, str]
    expansions: tuple[str, ...]
    own: tuple[str, ...] = ()  # the person's own words (stemmed, corrected), without the synonyms' additions
    spans: tuple[tuple[frozenset[str], frozenset[str]], ...] = ()  # (words of a lay phrase, what it added)


def spanish_view(topic: TopicData) -> TopicData | None:
    """The topic as the Spanish index reads it: its Spanish title, aliases (and the English title and aliases,
    names Spanish speakers use too: "COVID-19", "Ozempic"), summary and urgent help. None without one."""
    es = topic.es
    if not es:
        return None
    aliases = tuple(dict.fromkeys([*es["aliases"], topic.title, *topic.aliases]))  # type: ignore[misc]
    return TopicData(
        slug=topic.slug,
        title=str(es["title"]),
        category=topic.category,
        kind=topic.kind,
        aliases=aliases,
        summary=str(es["summary"]),
        sections={},
        urgent=str(es["urgent"]),
        sources=topic.sources,
        reviewed=topic.reviewed,
        digest=topic.digest,
        es=es,
    )


class LibraryIndex:
    """The index over the topics in one language. In Spanish (`lang="es"`) it reads each topic's Spanish
    part (spanish_view) and keeps the topics that have one; a hit's topic is then the Spanish view, whose
    `slug` and `sources` are the topic's."""

    def __init__(self, topics: Iterable[TopicData], lang: str = "en") -> None:
        self.language = LANGUAGES[lang]
        if lang == "es":
            topics = [view for view in (spanish_view(t) for t in topics) if view is not None]
        self.topics: list[TopicData] = list(topics)
        fields = [self._fields(t) for t in self.topics]
        n = len(self.topics)
        avg = {name: (sum(len(f[name]) for f in fields) / n if n else 1.0) or 1.0 for name in FIELD_WEIGHTS}
        weighted: list[dict[str, float]] = []
        df: dict[str, int] = defaultdict(int)
        for doc in fields:
            wtf: dict[str, float] = defaultdict(float)
            for name, tokens in doc.items():
                if not tokens:
                    continue
                norm = FIELD_WEIGHTS[name] / (1 - B + B * len(tokens) / avg[name])
                for token in tokens:
                    wtf[token] += norm
            weighted.append(wtf)
            for token in wtf:
                df[token] += 1
        self.doc_terms: list[frozenset[str]] = [frozenset(wtf) for wtf in weighted]
        self._n = n
        self._df = dict(df)
        self.postings: dict[str, list[tuple[int, float]]] = defaultdict(list)
        for i, wtf in enumerate(weighted):
            for token, value in wtf.items():
                idf = math.log(1 + (n - df[token] + 0.5) / (df[token] + 0.5))
                self.postings[token].append((i, idf * value * (K1 + 1) / (K1 + value)))
        self.postings = dict(self.postings)

        # Whole titles and aliases, as stemmed word sequences with every word kept ("working out" is not
        # "work", "the pill" is not "pill"), for the phrase bonus. A one-word alias that is an everyday word
        # ("energy", "pressure") does not name its topic alone: it needs the usual second piece of evidence.
        self.phrases: dict[tuple[str, ...], set[int]] = defaultdict(set)
        for i, topic in enumerate(self.topics):
            for name in (topic.title, *title_parts(topic.title), *topic.aliases):
                key = tuple(self.language.stem(w) for w in words(name))
                content = [w for w in words(name) if w not in self.language.stopwords]
                if not content or len(key) > MAX_PHRASE:
                    continue
                if len(key) == 1 and name != topic.title and self.language.everyday(content[0]):
                    continue  # a title still names its topic ("Stress", "Sleep")
                self.phrases[key].add(i)
        self.phrases = dict(self.phrases)

        # The words people misspell are the names of things: spelling is corrected only towards the words
        # of titles and aliases (not the prose, where "write" would become "white").
        surface: dict[str, set[str]] = defaultdict(set)
        for topic in self.topics:
            for word in words(" ".join([topic.title, *topic.aliases])):
                if len(word) >= 4 and not word.isdigit() and word not in self.language.stopwords:
                    surface[word[0]].add(word)
                    if word[:2] in SILENT_STARTS:  # "pneumonia" is also looked for as "nemonia"
                        surface[word[1]].add(word)
        # The stems of each topic's title and aliases: a hit must match one of them to count as relevant.
        self.key_terms: list[frozenset[str]] = [
            frozenset(self.language.terms(" ".join([t.title, *t.aliases]))) for t in self.topics
        ]
        self._surface = {letter: sorted(ws) for letter, ws in surface.items()}
        self._corrections: dict[str, str | None] = {}

    def _fields(self, topic: TopicData) -> dict[str, list[str]]:
        terms_ = self.language.terms
        return {
            "title": terms_(topic.title),
            "aliases": terms_(" ".join(topic.aliases)),
            "summary": terms_(topic.summary),
            "body": terms_(" ".join([*topic.sections.values(), topic.urgent])),
        }

    def __len__(self) -> int:
        return len(self.topics)

    def topic(self, slug: str) -> TopicData | None:
        if not hasattr(self, "_by_slug"):
            self._by_slug = {topic.slug: i for i, topic in enumerate(self.topics)}
        i = self._by_slug.get(slug)
        return self.topics[i] if i is not None else None

    def topic_words(self, slug: str) -> frozenset[str]:
        """The stems of a topic's title and aliases."""
        if not hasattr(self, "_by_slug"):
            self._by_slug = {topic.slug: i for i, topic in enumerate(self.topics)}
        i = self._by_slug.get(slug)
        return self.key_terms[i] if i is not None else frozenset()

    def knows(self, stemmed: str) -> bool:
        return stemmed in self.postings

    def correct(self, word: str) -> str | None:
        """The title or alias word nearest to an unknown one that is not an English word either (so
        "forever" is never read as "fever"): same first letter, one edit for words of five letters, two
        for longer ones (a swap of two letters counts as one edit)."""
        if word in self._corrections:
            return self._corrections[word]
        best = None
        if len(word) >= 5 and not word.isdigit() and not self.language.is_word(word):
            limit = 1 if len(word) == 5 else 2
            # A word missing a silent first letter ("nemonia") is one edit further from the right one.
            found = process.extractOne(word, self._surface.get(word[0], ()), scorer=OSA.distance, score_cutoff=limit)
            if found is not None:
                best = found[0]
        if len(self._corrections) < 100_000:
            self._corrections[word] = best
        return best

    def parse(self, text: str) -> Query:
        raw = words(text)
        stem_, stop = self.language.stem, self.language.stopwords
        stems = [stem_(w) for w in raw]
        weights: dict[str, float] = {}
        corrections: dict[str, str] = {}
        fixed = list(stems)
        for i, word in enumerate(raw):
            if word in stop:
                continue
            if self.knows(stems[i]) or (stems[i],) in self.language.synonyms():
                weights[stems[i]] = 1.0
                continue
            better = self.correct(word)
            if better is not None:
                corrections[word] = better
                fixed[i] = stem_(better)
                weights.setdefault(fixed[i], CORRECTION_WEIGHT)
            else:
                weights[stems[i]] = 1.0
        expansions: list[str] = []
        spans = []
        table = self.language.synonyms()
        for size in range(min(MAX_PHRASE, len(fixed)), 0, -1):
            for start in range(len(fixed) - size + 1):
                phrase = tuple(fixed[start : start + size])
                extra = table.get(phrase)
                if extra:
                    expansions.extend(extra)
                    spans.append((frozenset(phrase), frozenset(extra)))
        own = tuple(dict.fromkeys(fixed[i] for i, w in enumerate(raw) if w not in stop))
        for token in expansions:
            weights.setdefault(token, EXPANSION_WEIGHT)
        return Query(
            terms=weights,
            corrections=corrections,
            expansions=tuple(dict.fromkeys(expansions)),
            own=own,
            spans=tuple(spans),
        )

    def idf(self, token: str) -> float:
        df = self._df.get(token, 0)
        return math.log(1 + (self._n - df + 0.5) / (df + 0.5))

    def coverage(self, query: Query, doc: int) -> tuple[float, int]:
        """The share of the question's own words (weighted by how rare they are) that the topic matches,
        directly or through a lay phrase whose synonyms it matches, and how many words that is. Unknown
        words weigh the most."""
        terms_ = self.doc_terms[doc]
        total = covered = 0.0
        count = 0
        for token in query.own:
            weight = self.idf(token)
            total += weight
            if token in terms_ or any(token in words_ and extra & terms_ for words_, extra in query.spans):
                covered += weight
                count += 1
        return (covered / total if total else 0.0), count

    def search(self, text: str, limit: int = 3) -> list[Hit]:
        query = self.parse(text)
        scores: dict[int, float] = defaultdict(float)
        for token, weight in query.terms.items():
            for doc, contribution in self.postings.get(token, ()):
                scores[doc] += weight * contribution
        phrases = self._phrase_matches(text, query)
        for doc, size in phrases.items():
            scores[doc] += PHRASE_BONUS * size
        ranked = sorted(scores.items(), key=lambda item: (-item[1], self.topics[item[0]].title))
        hits = []
        for doc, score in ranked[:limit]:
            if score > 0:
                share, count = self.coverage(query, doc)
                hits.append(Hit(self.topics[doc], score, share, phrases.get(doc, 0), count))
        return hits

    def _phrase_matches(self, text: str, query: Query) -> dict[int, int]:
        """Topics whose title or an alias appears whole in the question (or in what its synonyms added):
        each topic with the number of the question's meaningful words in the longest one found (a match on
        small words alone, "a", counts for nothing)."""
        stem_, stop = self.language.stem, self.language.stopwords
        raw = words(text)
        own = [(query.corrections.get(w) and stem_(query.corrections[w])) or stem_(w) for w in raw]
        meaningful = [w not in stop for w in raw]
        sequences = [(own, meaningful), (list(query.expansions), [True] * len(query.expansions))]
        best: dict[int, int] = {}
        for seq, counts in sequences:
            for size in range(min(MAX_PHRASE, len(seq)), 0, -1):
                for start in range(len(seq) - size + 1):
                    docs = self.phrases.get(tuple(seq[start : start + size]))
                    weight = sum(counts[start : start + size])
                    if not docs or not weight:
                        continue
                    for doc in docs:
                        if best.get(doc, 0) < weight:
                            best[doc] = weight
        return best


def title_parts(title: str) -> list[str]:
    """The name a title "X (Y)" gives before its gloss: "Culebrilla (herpes zóster)" is named by "culebrilla"
    alone (as an alias is: a single everyday word does not name it alone). The gloss is not a name of its own:
    "Vacuna contra el herpes zóster (culebrilla)" is not named by "culebrilla"."""
    if "(" not in title:
        return []
    main = title.split("(", 1)[0].strip()
    return [main] if main else []


def build(topics: Sequence[TopicData], lang: str = "en") -> LibraryIndex:
    return LibraryIndex(topics, lang)
