"""The safety corpus (`corpus/*.txt`, format in `corpus/README.md`): labelled messages in families, and their
split into train, dev and test by family, so that no phrasing is in two splits.

    examples = load()                       # every message, with its family, split and labels
    [e for e in examples if e.split == TEST]

The split is a pure function of the family ids: within each (language, class, category) group, families are
ordered by a hash of their id and dealt out train, train, train, dev, test, train, ... , so every group with
five or more families has one in dev and one in test. Adding a family to a group can move the families
dealt after it to another split: after adding families, the old test figures are not comparable with the
new ones (docs/safety.md).

Files named `train-only-*.txt` are training material only: their families always go to train and are left out
of the deal, so adding them moves no other family and leaves dev and test exactly as they were.
"""

import hashlib
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

CORPUS_DIR = Path(__file__).resolve().parent / "corpus"
TRAIN, DEV, TEST = "train", "dev", "test"
DEAL = (TRAIN, TRAIN, TRAIN, DEV, TEST)
TRAIN_ONLY = "train-only-"  # a file name's prefix: its families are trained on, never measured
STYLES = ("plain", "slang", "third_person", "multi_turn")
CLASSES = ("emergency", "crisis", "ok")


@dataclass(frozen=True)
class Example:
    family: str
    lang: str
    cls: str
    category: str
    style: str
    message: str
    history: tuple[tuple[str, str], ...] = field(default=())  # earlier turns: (role, text), oldest first
    split: str = TRAIN
    source: str = ""  # file:line

    @property
    def escalates(self) -> bool:
        return self.cls != "ok"


class CorpusError(ValueError):
    pass


def parse_turns(line: str) -> tuple[tuple[tuple[str, str], ...], str]:
    """`earlier >> A: question >> last` -> (((user, earlier), (assistant, question)), last)."""
    turns = [t.strip() for t in line.split(" >> ")]
    history = tuple(("assistant", t[2:].strip()) if t.startswith("A:") else ("user", t) for t in turns[:-1])
    return history, turns[-1]


def family_lines(path: Path) -> Iterator[tuple[str, list[str] | None, str]]:
    """A file of families, line by line: (where, the header's fields, "") for a header line `@ a | b | ...`,
    (where, None, the line) for a message; comments and blank lines skipped. assistant/library/scope.py reads
    its files with this too."""
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        where = f"{path.name}:{number}"
        if line.startswith("@"):
            yield where, [p.strip() for p in line[1:].split("|")], ""
        else:
            yield where, None, line


def read_file(path: Path) -> list[dict]:
    rows, header = [], None
    for where, parts, line in family_lines(path):
        if parts is not None:
            if len(parts) != 4:
                raise CorpusError(f"{where}: a header is '@ family | class | category | style'")
            family, cls, category, style = parts
            if cls not in CLASSES or style not in STYLES or family[:3] not in ("en-", "es-"):
                raise CorpusError(f"{where}: bad header {'@ ' + ' | '.join(parts)!r}")
            header = {"family": family, "lang": family[:2], "cls": cls, "category": category, "style": style}
            continue
        if header is None:
            raise CorpusError(f"{where}: a message before any family header")
        history, message = parse_turns(line)
        if not message:
            raise CorpusError(f"{where}: an empty message")
        rows.append({**header, "message": message, "history": history, "source": where})
    return rows


def split_of(families: dict[tuple, list[str]]) -> dict[str, str]:
    out = {}
    for names in families.values():
        ordered = sorted(set(names), key=lambda n: hashlib.sha256(n.encode()).hexdigest())
        for i, name in enumerate(ordered):
            out[name] = DEAL[i % len(DEAL)]
    return out


def load(directory: Path = CORPUS_DIR) -> list[Example]:
    rows = [row for path in sorted(directory.glob("*.txt")) for row in read_file(path)]
    groups: dict[tuple, list[str]] = defaultdict(list)
    seen: dict[str, tuple] = {}
    train_only: set[str] = set()
    for row in rows:
        key = (row["lang"], row["cls"], row["category"])
        if seen.setdefault(row["family"], key) != key:
            raise CorpusError(f"{row['source']}: family {row['family']} is used twice")
        if row["source"].startswith(TRAIN_ONLY):
            train_only.add(row["family"])
        else:
            groups[key].append(row["family"])
    if clash := train_only & {name for names in groups.values() for name in names}:
        raise CorpusError(f"families both in a train-only file and in a measured one: {sorted(clash)[:5]}")
    splits = split_of(groups) | dict.fromkeys(train_only, TRAIN)
    return [Example(**row, split=splits[row["family"]]) for row in rows]
