"""Medicines by name: `drugs.toml`, a curated table of generic and brand names (the common US and UK ones the
checked pages show), each pointing to the library's topics for what it is used for, with its own sources.

A question that names a medicine ("how long does Zoloft take to work", "can I take Gaviscon when pregnant")
reaches the medicine's topics even when its other words point elsewhere, and the answer says what the
medicine is and where its dose comes from (the label, the leaflet, a pharmacist): never a dose.
`python -m assistant.library.drugs` checks the file and prints each problem; it exits 1 if any.
"""

import sys
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit

from .files import ALLOWED_HOSTS, DOSE, TOPICS_DIR, check_source
from .search import EVERYDAY_COUNT, english_count, words

DRUGS_FILE = Path(__file__).resolve().parent / "drugs.toml"
KEYS = {"generic", "brands", "topics", "about", "about_es", "es_names", "sources"}
MAX_NAME_WORDS = 4
# A medicine's sources may also be its US label as the FDA publishes it (openFDA's drug label records): the
# authority on which brand names a medicine is sold under in the US and what it is approved for.
DRUG_HOSTS = {**ALLOWED_HOSTS, "api.fda.gov": "the FDA"}


@dataclass(frozen=True)
class Drug:
    generic: str
    brands: tuple[str, ...]
    topics: tuple[str, ...]  # slugs, the most relevant first
    about: str
    about_es: str
    es_names: tuple[str, ...]
    sources: tuple[dict[str, str], ...]

    @property
    def names(self) -> tuple[str, ...]:
        return (self.generic, *self.brands, *self.es_names)

    def label(self, lang: str = "en") -> str:
        """ "Sertraline (Zoloft, Lustral)", or in Spanish its Spanish name first."""
        name = self.es_names[0] if lang == "es" and self.es_names else self.generic
        name = name[:1].upper() + name[1:]
        return f"{name} ({', '.join(self.brands)})" if self.brands else name


class DrugFileError(ValueError):
    pass


def _strings(value: object) -> tuple[str, ...] | None:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        return None
    return tuple(v.strip() for v in value)


def check(entry: object, index: int, topic_slugs: set[str]) -> tuple[Drug | None, list[str]]:
    """One [[drug]] entry read and checked: the drug, or the problems found."""
    problems: list[str] = []
    if not isinstance(entry, dict):
        return None, [f"drug[{index}]: a table"]
    where = f"drug[{index}] ({entry.get('generic', '?')})"
    unknown = sorted(set(entry) - KEYS)
    if unknown:
        problems.append(f"{where}: unknown keys: {', '.join(unknown)}")
    generic = entry.get("generic")
    if not isinstance(generic, str) or not generic.strip() or generic != generic.lower():
        problems.append(f"{where}.generic: required, lowercase")
    brands, es_names = _strings(entry.get("brands", [])), _strings(entry.get("es_names", []))
    topics = _strings(entry.get("topics"))
    if brands is None or es_names is None:
        problems.append(f"{where}: brands and es_names are lists of names")
    if not topics:
        problems.append(f"{where}.topics: at least one topic")
    else:
        problems.extend(f"{where}.topics: no topic {slug!r}" for slug in topics if slug not in topic_slugs)
    about, about_es = entry.get("about"), entry.get("about_es")
    for key, text in (("about", about), ("about_es", about_es)):
        if not isinstance(text, str) or not text.strip():
            problems.append(f"{where}.{key}: required text")
        elif DOSE.search(text):
            problems.append(f"{where}.{key}: no doses ({DOSE.search(text).group(0)!r})")  # type: ignore[union-attr]
    sources = entry.get("sources")
    found: list[dict[str, str]] = []
    if not isinstance(sources, list) or not sources:
        problems.append(f"{where}.sources: at least one checked source")
    else:
        for n, source in enumerate(sources):
            inner: list[str] = []
            checked = check_source(source, inner, n, DRUG_HOSTS)
            problems.extend(f"{where}: {p}" for p in inner)
            if checked:
                found.append(checked)
    if problems:
        return None, problems
    drug = Drug(
        generic=str(generic),
        brands=brands or (),
        topics=topics or (),
        about=" ".join(str(about).split()),
        about_es=" ".join(str(about_es).split()),
        es_names=es_names or (),
        # The pages written for people first; the FDA's label records (JSON) after them.
        sources=tuple(sorted(found, key=lambda source: urlsplit(source["url"]).hostname not in ALLOWED_HOSTS)),
    )
    return drug, []


def read(path: Path = DRUGS_FILE, topic_slugs: Iterable[str] | None = None) -> list[Drug]:
    """Every entry, checked against the topic files (or the slugs given); DrugFileError names every problem."""
    slugs = set(topic_slugs) if topic_slugs is not None else {p.stem for p in TOPICS_DIR.glob("*.toml")}
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise DrugFileError(f"{path.name}: {exc}") from None
    drugs, problems = [], []
    for index, entry in enumerate(data.get("drug", [])):
        drug, found = check(entry, index, slugs)
        problems.extend(found)
        if drug is not None:
            drugs.append(drug)
    names: dict[tuple[str, ...], str] = {}
    for drug in drugs:
        for name in drug.names:
            key = tuple(words(name))
            if key in names and names[key] != drug.generic:
                problems.append(f"{drug.generic}: the name {name!r} is also {names[key]!r}'s")
            names[key] = drug.generic
    if problems:
        raise DrugFileError(f"{path.name}: " + "; ".join(problems))
    return drugs


class DrugNames:
    """Finds the medicines a question names, by any of their names, as whole words (any case, accents or
    not). A one-word name that is an everyday English word ("Rid") is not looked for."""

    def __init__(self, drugs: Iterable[Drug]) -> None:
        self.by_name: dict[tuple[str, ...], Drug] = {}
        for drug in drugs:
            for name in drug.names:
                key = tuple(words(name))
                if not key or len(key) > MAX_NAME_WORDS:
                    continue
                if len(key) == 1 and english_count(key[0]) >= EVERYDAY_COUNT:
                    continue
                self.by_name[key] = drug

    def find(self, text: str) -> list["Drug"]:
        found: dict[str, Drug] = {}
        said = words(text)
        for size in range(MAX_NAME_WORDS, 0, -1):
            for start in range(len(said) - size + 1):
                drug = self.by_name.get(tuple(said[start : start + size]))
                if drug is not None:
                    found.setdefault(drug.generic, drug)
        return list(found.values())


@cache
def names() -> DrugNames:
    return DrugNames(read())


def main(argv: list[str]) -> int:
    try:
        drugs = read(Path(argv[0]) if argv else DRUGS_FILE)
    except DrugFileError as exc:
        for problem in str(exc).split("; "):
            print(problem)
        return 1
    print(f"{len(drugs)} medicines, {sum(len(d.names) for d in drugs)} names, all valid")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
