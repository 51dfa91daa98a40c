"""Is a message about health? The messages that teach and measure the answer (`scope/*.txt`).

The library's word search cannot tell "how to improve my swimming stroke" or "pink eye shadow tutorial" from a
health question: the words are a topic's. The safety triage already embeds every message it does not escalate
(assistant/safety/classifier.py), so a small head over that same embedding says how likely the message is about
health, at the cost of one dot product. `make train-safety` fits it (assistant/safety/train.py) from the files
here and from the safety corpus's everyday messages; the triage answers a first message the head finds not about
health as out of scope (nothing is looked up; offline, it is declined politely). docs/library.md gives the
figures.

Format: like the safety corpus, messages in families, a header then one message per line:

    @ en-sc-cooking-01 | other
    how long do i rest a steak after grilling

The label is `health` or `other`. Families are dealt train, train, train, dev, test by a hash of their id within
(language, label), so no phrasing is in two splits; the test split is never used for training or the threshold.
"""

from dataclasses import dataclass
from pathlib import Path

SCOPE_DIR = Path(__file__).resolve().parent / "scope"
LABELS = ("health", "other")


class ScopeFileError(ValueError):
    pass


@dataclass(frozen=True)
class Row:
    family: str
    lang: str
    label: str
    message: str
    split: str = "train"

    @property
    def health(self) -> bool:
        return self.label == "health"


def read_file(path: Path) -> list[Row]:
    from assistant.safety.corpus import family_lines

    rows: list[Row] = []
    header: tuple[str, str] | None = None
    for where, parts, line in family_lines(path):
        if parts is not None:
            if len(parts) != 2 or parts[1] not in LABELS or parts[0][:3] not in ("en-", "es-"):
                raise ScopeFileError(f"{where}: a header is '@ <en-|es-family id> | health|other'")
            header = (parts[0], parts[1])
            continue
        if header is None:
            raise ScopeFileError(f"{where}: a message before any family header")
        rows.append(Row(header[0], header[0][:2], header[1], line))
    return rows


def load(directory: Path = SCOPE_DIR) -> list[Row]:
    """Every message, with its split."""
    from assistant.safety.corpus import split_of

    rows = [row for path in sorted(directory.glob("*.txt")) for row in read_file(path)]
    labels: dict[str, str] = {}
    groups: dict[tuple[str, str], list[str]] = {}
    for row in rows:
        if labels.setdefault(row.family, row.label) != row.label:
            raise ScopeFileError(f"family {row.family} is used twice")
        groups.setdefault((row.lang, row.label), []).append(row.family)
    splits = split_of(groups)
    return [Row(r.family, r.lang, r.label, r.message, splits[r.family]) for r in rows]
