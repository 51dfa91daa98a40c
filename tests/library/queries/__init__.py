"""The query set: questions as people ask them, each with the topic that should answer it.

Each *.txt file here holds lines `slug | question` (# starts a comment). `out_of_scope.txt` holds questions
the library must not answer from a topic: one per line, a `decline` or `not-found` label first.
"""

from pathlib import Path

HERE = Path(__file__).resolve().parent


def load_queries() -> list[tuple[str, str]]:
    pairs = []
    for path in sorted(HERE.glob("*.txt")):
        if path.name == "out_of_scope.txt":
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            slug, sep, question = line.partition("|")
            if not sep or not question.strip():
                raise ValueError(f"{path.name}:{number}: expected `slug | question`")
            pairs.append((slug.strip(), question.strip()))
    return pairs


def out_of_scope_labelled() -> list[tuple[str, str]]:
    rows = []
    for line in (HERE / "out_of_scope.txt").read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            label, _, question = line.partition("|")
            rows.append((label.strip(), question.strip()))
    return rows


def out_of_scope() -> list[str]:
    return [question for _label, question in out_of_scope_labelled()]
