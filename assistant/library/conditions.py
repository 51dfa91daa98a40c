"""Names of conditions the library does not cover, to tell a question about one from a question the library
can answer.

`conditions.txt` lists names of conditions, tests, procedures and treatments in English and Spanish (one thing
per line, with its other names). For a library index, a thing is **covered** when one of its names is, or
contains, a topic's title or alias ("tension headache" contains "headache"; "culebrilla" is part of Shingles'
Spanish title). Of the other things, a name is **uncovered** when it has a word the library never uses in
any topic's text ("myasthenia", "chagas", "tmj"): a name made of the library's own words ("boca seca", "dry
mouth") says too little to set a topic aside. A question that names an uncovered thing ("myasthenia gravis
droopy eyelids", "¿qué es el mal de chagas?") is answered from a topic only when the question names that
topic too, outside the uncovered name: a topic found by the other words answers them, not the question
(grounding.ground).

    spans = uncovered_spans("is tmj jaw pain serious", index)   # [(1, 2)]: word 1, "tmj"
"""

import unicodedata
import weakref
from functools import cache
from pathlib import Path

from .search import MAX_PHRASE, LibraryIndex, words

CONDITIONS_FILE = Path(__file__).resolve().parent / "conditions.txt"
MIN_LETTERS = 3  # the unknown letters of a name: fewer are an abbreviation too easily another word ("ms", "pe")


@cache
def names(lang: str) -> tuple[tuple[str, ...], ...]:
    """Each thing of one language, as its names (lowercase)."""
    out = []
    for raw in CONDITIONS_FILE.read_text(encoding="utf-8").splitlines():
        if not raw.strip() or raw.startswith("#"):
            continue
        fields = [f.strip() for f in raw.split("|")]
        if fields[0] == lang:
            out.append(tuple(f for f in fields[1:] if f))
    return tuple(out)


def _contains_covered(key: tuple[str, ...], index: LibraryIndex) -> bool:
    return any(
        key[start : start + size] in index.phrases
        for size in range(1, len(key) + 1)
        for start in range(len(key) - size + 1)
    )


def _plain(word: str) -> str:
    """A word as names are matched: lowercase, no accents, no plural -s ("Tomografías" and "tomografia")."""
    bare = "".join(c for c in unicodedata.normalize("NFD", word.lower()) if not unicodedata.combining(c))
    return bare[:-1] if len(bare) > 3 and bare.endswith("s") else bare


_UNCOVERED: "weakref.WeakKeyDictionary[LibraryIndex, frozenset[tuple[str, ...]]]" = weakref.WeakKeyDictionary()


def uncovered(index: LibraryIndex) -> frozenset[tuple[str, ...]]:
    """The names of the things the index does not cover, as words (_plain); found once per index (an index
    rebuilt after a library change gets its own, and the old one's go with it)."""
    known = _UNCOVERED.get(index)
    if known is None:
        stem_, stop = index.language.stem, index.language.stopwords
        found: set[tuple[str, ...]] = set()
        for thing in names(index.language.code):
            named = [words(name) for name in thing]
            keys = [tuple(map(stem_, ws)) for ws in named]
            if any(_contains_covered(k, index) for k in keys if k and len(k) <= MAX_PHRASE):
                continue
            for ws, key in zip(named, keys, strict=True):
                unknown = [w for w, s in zip(ws, key, strict=True) if w not in stop and not index.knows(s)]
                if 0 < len(ws) <= MAX_PHRASE and sum(map(len, unknown)) >= MIN_LETTERS:
                    found.add(tuple(map(_plain, ws)))
        known = _UNCOVERED[index] = frozenset(found)
    return known


def uncovered_spans(text: str, index: LibraryIndex) -> list[tuple[int, int]]:
    """Where the question names an uncovered thing: (first word, end) positions in words(text), longest first
    and not overlapping. Words are matched as written, but for case, accents and a plural -s (a stemmer
    would read "tacos" as the scan "TAC"; the file lists common misspellings), not spelling-corrected:
    correction leans towards the library's own words, so it would turn an uncovered name into a covered one."""
    table = uncovered(index)
    if not table:
        return []
    seq = [_plain(w) for w in words(text)]
    taken: set[int] = set()
    spans = []
    for size in range(min(MAX_PHRASE, len(seq)), 0, -1):
        for start in range(len(seq) - size + 1):
            if tuple(seq[start : start + size]) in table and not taken.intersection(range(start, start + size)):
                spans.append((start, start + size))
                taken.update(range(start, start + size))
    return spans
