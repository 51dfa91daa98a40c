"""Topic files: one TOML file per topic under assistant/library/topics/, read and checked here.

A topic file is meant to be read and reviewed in a pull request. `python -m assistant.library.files`
checks every file (or the ones named) and prints each problem with its file; it exits 1 if any.
"""

import datetime as dt
import hashlib
import re
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

TOPICS_DIR = Path(__file__).resolve().parent / "topics"

CATEGORIES = {
    "cardiovascular": "Heart and circulation",
    "respiratory": "Lungs and breathing",
    "metabolic": "Metabolism and hormones",
    "infections": "Infections",
    "digestive": "Digestion",
    "skin": "Skin",
    "musculoskeletal": "Bones, joints and muscles",
    "neurological": "Brain and nerves",
    "kidney-urinary": "Kidneys and urinary tract",
    "eye-ear": "Eyes and ears",
    "symptoms": "Symptoms",
    "mental-health": "Mental health",
    "womens-health": "Women's health",
    "mens-health": "Men's health",
    "pregnancy": "Pregnancy",
    "childrens-health": "Children's health",
    "medicines": "Medicines",
    "vaccines": "Vaccines",
    "prevention": "Prevention and healthy living",
    "allergies": "Allergies and immune system",
    "cancer": "Cancer",
    "blood": "Blood",
    "first-aid": "Injuries and first aid",
}
KINDS = ("condition", "symptom", "medicine", "vaccine", "prevention")
SECTIONS = {
    "what_it_is": "What it is",
    "symptoms": "Symptoms",
    "causes": "Causes",
    "what_helps": "What helps",
    "prevention": "Prevention",
}
# Every section is required for conditions and symptoms; the others need at least these.
REQUIRED_SECTIONS = {
    "condition": tuple(SECTIONS),
    "symptom": tuple(SECTIONS),
    "medicine": ("what_it_is", "what_helps"),
    "vaccine": ("what_it_is", "what_helps"),
    "prevention": ("what_it_is", "what_helps"),
}
ALLOWED_HOSTS = {
    "medlineplus.gov": "MedlinePlus",
    "www.nhs.uk": "NHS",
    "nhs.uk": "NHS",
    "beta.nhs.uk": "NHS",  # the NHS website's earlier address, still how some stored medicine pages read
    "www.cdc.gov": "CDC",
    "cdc.gov": "CDC",
    "www.who.int": "WHO",
    "who.int": "WHO",
}
KEYS = {"title", "category", "kind", "aliases", "summary", "reviewed", "urgent", "sources", "es", *SECTIONS}
# The Spanish part of a topic ([es] table): what a Spanish question is matched on and answered with offline.
ES_KEYS = {"title", "aliases", "summary", "urgent"}
SOURCE_LANGS = ("en", "es")  # a source's `lang`: "es" for a page in Spanish (MedlinePlus en español)
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# A dose for a person: a number next to a unit of medicine. The library never gives one.
DOSE = re.compile(
    r"\b\d+(?:[.,]\d+)?\s*(?:mg|mcg|µg|g|ml|mL|milligrams?|micrograms?|grams?|millilit(?:er|re)s?|"
    r"tablets?|pills?|capsules?|puffs?|units?|IU|drops?)\b",
    re.IGNORECASE,
)
LIMITS = {"title": 80, "summary": 500, "section": 1200, "alias": 60}


@dataclass(frozen=True)
class TopicData:
    slug: str
    title: str
    category: str
    kind: str
    aliases: tuple[str, ...]
    summary: str
    sections: dict[str, str]
    urgent: str
    sources: tuple[dict[str, str], ...]
    reviewed: dt.date
    digest: str
    es: dict[str, object] | None = None  # title, aliases, summary, urgent in Spanish


class TopicFileError(ValueError):
    def __init__(self, path: Path, problems: list[str]) -> None:
        super().__init__(f"{path.name}: " + "; ".join(problems))
        self.path = path
        self.problems = problems


def _text(data: dict, key: str, problems: list[str], limit: int) -> str:
    value = data.get(key)
    if not isinstance(value, str) or not value.strip():
        problems.append(f"{key}: required text")
        return ""
    # Lines are wrapped in the file for review; paragraphs (blank-line separated) are kept.
    value = "\n\n".join(" ".join(p.split()) for p in re.split(r"\n\s*\n", value) if p.strip())
    if len(value) > limit:
        problems.append(f"{key}: {len(value)} characters, at most {limit}")
    return value


def check_source(
    source: object, problems: list[str], index: int, hosts: dict[str, str] = ALLOWED_HOSTS
) -> dict[str, str] | None:
    where = f"sources[{index}]"
    if not isinstance(source, dict) or set(source) - {"name", "url", "lang"}:
        problems.append(f"{where}: needs `name` and `url` (and optionally `lang`)")
        return None
    name, url, lang = source.get("name"), source.get("url"), source.get("lang", "en")
    if lang not in SOURCE_LANGS:
        problems.append(f"{where}.lang: one of {', '.join(SOURCE_LANGS)}")
    if not isinstance(name, str) or not name.strip():
        problems.append(f"{where}.name: required text")
    if not isinstance(url, str):
        problems.append(f"{where}.url: required text")
        return None
    parts = urlsplit(url)
    if parts.scheme != "https" or not parts.netloc or " " in url or parts.username or parts.port:
        problems.append(f"{where}.url: not a well-formed https address: {url!r}")
    elif parts.hostname not in hosts:
        names = list(dict.fromkeys(hosts.values()))
        problems.append(f"{where}.url: {parts.hostname} is not {', '.join(names[:-1])} or {names[-1]}")
    found = {"name": (name or "").strip(), "url": url}
    if lang != "en":
        found["lang"] = str(lang)
    return found


def check_spanish(data: object, problems: list[str]) -> dict[str, object] | None:
    """The [es] table: a Spanish title, aliases, summary and "when to get urgent help"."""
    if data is None:
        return None
    if not isinstance(data, dict):
        problems.append("es: a table with title, aliases, summary and urgent")
        return None
    unknown = sorted(set(data) - ES_KEYS)
    if unknown:
        problems.append(f"es: unknown keys: {', '.join(unknown)}")
    inner: list[str] = []
    title = _text(data, "title", inner, LIMITS["title"])
    summary = _text(data, "summary", inner, LIMITS["summary"])
    urgent = _text(data, "urgent", inner, LIMITS["section"])
    aliases = data.get("aliases")
    if not isinstance(aliases, list) or not aliases or not all(isinstance(a, str) and a.strip() for a in aliases):
        inner.append("aliases: a list of at least one word or phrase")
        aliases = []
    aliases = [" ".join(a.split()) for a in aliases]
    if len({a.lower() for a in aliases}) != len(aliases):
        inner.append("aliases: listed twice")
    inner += [
        f"aliases: {a[:20]!r}… longer than {LIMITS['alias']} characters" for a in aliases if len(a) > LIMITS["alias"]
    ]
    for key, text in (("summary", summary), ("urgent", urgent)):
        match = DOSE.search(text)
        if match:
            inner.append(f"{key}: looks like a dose ({match.group(0)!r}); the library gives none")
    problems.extend(f"es.{p}" for p in inner)
    return {"title": title, "aliases": tuple(aliases), "summary": summary, "urgent": urgent}


def parse(path: Path) -> TopicData:
    """Read and check one topic file; raise TopicFileError listing every problem."""

    raw = path.read_bytes()
    problems: list[str] = []
    slug = path.stem
    if not SLUG.match(slug):
        problems.append("file name must be a slug: lowercase words joined by hyphens")
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise TopicFileError(path, [f"not valid TOML: {exc}"]) from None
    unknown = sorted(set(data) - KEYS)
    if unknown:
        problems.append(f"unknown keys: {', '.join(unknown)}")

    title = _text(data, "title", problems, LIMITS["title"])
    summary = _text(data, "summary", problems, LIMITS["summary"])
    urgent = _text(data, "urgent", problems, LIMITS["section"])
    category = str(data.get("category"))
    if category not in CATEGORIES:
        problems.append(f"category: one of {', '.join(CATEGORIES)}")
    kind = str(data.get("kind"))
    if kind not in KINDS:
        problems.append(f"kind: one of {', '.join(KINDS)}")

    sections: dict[str, str] = {}
    for key in SECTIONS:
        if key in data:
            sections[key] = _text(data, key, problems, LIMITS["section"])
    for key in REQUIRED_SECTIONS.get(kind, ()):
        if key not in data:
            problems.append(f"{key}: required for a {kind}")

    aliases = data.get("aliases", [])
    if not isinstance(aliases, list) or not aliases or not all(isinstance(a, str) and a.strip() for a in aliases):
        problems.append("aliases: a list of at least one word or phrase")
        aliases = []
    aliases = [" ".join(a.split()) for a in aliases]
    for alias in aliases:
        if len(alias) > LIMITS["alias"]:
            problems.append(f"aliases: {alias[:20]!r}… longer than {LIMITS['alias']} characters")
    if len({a.lower() for a in aliases}) != len(aliases):
        problems.append("aliases: listed twice")

    reviewed = data.get("reviewed")
    if not isinstance(reviewed, dt.date) or isinstance(reviewed, dt.datetime):
        problems.append("reviewed: a date like 2026-11-25 (no quotes)")
        reviewed = dt.date.min
    elif reviewed > dt.date.today():
        problems.append("reviewed: in the future")

    sources = data.get("sources")
    checked: list[dict[str, str]] = []
    if not isinstance(sources, list) or not sources:
        problems.append("sources: at least one [[sources]] entry")
    else:
        for index, source in enumerate(sources):
            item = check_source(source, problems, index)
            if item:
                checked.append(item)
        urls = [s["url"] for s in checked]
        if len(set(urls)) != len(urls):
            problems.append("sources: the same address twice")

    for key, text in [("summary", summary), ("urgent", urgent), *sections.items()]:
        match = DOSE.search(text)
        if match:
            problems.append(f"{key}: looks like a dose ({match.group(0)!r}); the library gives none")

    es = check_spanish(data.get("es"), problems)

    if problems:
        raise TopicFileError(path, problems)
    return TopicData(
        slug=slug,
        title=title,
        category=category,
        kind=kind,
        aliases=tuple(aliases),
        summary=summary,
        sections=sections,
        urgent=urgent,
        sources=tuple(checked),
        reviewed=reviewed,
        digest=hashlib.sha256(raw).hexdigest(),
        es=es,
    )


def topic_paths(directory: Path = TOPICS_DIR) -> list[Path]:
    return sorted(directory.glob("*.toml"))


def read_all(directory: Path = TOPICS_DIR) -> list[TopicData]:
    """Every topic in the directory; raise TopicFileError for the first bad file, naming all its problems."""
    topics = [parse(path) for path in topic_paths(directory)]
    titles: dict[str, str] = {}
    for topic in topics:
        key = topic.title.lower()
        if key in titles:
            raise TopicFileError(TOPICS_DIR / f"{topic.slug}.toml", [f"title also used by {titles[key]}"])
        titles[key] = topic.slug
    return topics


def main(argv: list[str]) -> int:
    paths = [Path(p) for p in argv] or topic_paths()
    bad = 0
    for path in paths:
        try:
            parse(path)
        except TopicFileError as exc:
            bad += 1
            for problem in exc.problems:
                print(f"{path}: {problem}")
    print(f"{len(paths) - bad} of {len(paths)} topic files valid")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
