"""The held-out query set (queries.txt): written without seeing the search code, the synonyms or the other
query sets, measured once blind (docs/library.md gives that first figure), then used."""

from pathlib import Path

HERE = Path(__file__).resolve().parent


def load() -> list[tuple[str, str, str]]:
    """(label, lang, question): label is a topic slug, `not-found` or `decline`."""
    rows = []
    for line in (HERE / "queries.txt").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            label, lang, question = (part.strip() for part in line.split("|", 2))
            rows.append((label, lang, question))
    return rows
