"""The held-out query sets (queries.txt, then queries-2.txt, written on 2026-12-03): each written without seeing
the search code, the synonyms or the other query sets, measured once blind (docs/library.md gives those first
figures), then used."""

from pathlib import Path

HERE = Path(__file__).resolve().parent


SETS = ("queries.txt", "queries-2.txt")


def load(name: str = "queries.txt") -> list[tuple[str, str, str]]:
    """(label, lang, question): label is a topic slug, `not-found` or `decline`."""
    rows = []
    for line in (HERE / name).read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            label, lang, question = (part.strip() for part in line.split("|", 2))
            rows.append((label, lang, question))
    return rows
