"""Dependencies point one way: assistant → conversations → accounts, and the shared infrastructure in medbotx/
imports no app, except the wiring (urls.py, api.py, asgi.py), which imports them all."""

import ast
from pathlib import Path

import pytest

from tests.live import ROOT

# What each package may import of the project's own packages.
ALLOWED = {
    "accounts": {"accounts", "medbotx"},
    "conversations": {"conversations", "accounts", "medbotx"},
    "assistant": {"assistant", "conversations", "accounts", "medbotx"},
    "medbotx": {"medbotx"},
}
WIRING = {"medbotx/urls.py", "medbotx/api.py", "medbotx/asgi.py"}


def imports_of(path: Path) -> set[str]:
    """The top-level project packages a module imports, anywhere in it (function-local imports included)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module.split(".")[0])
    return found & set(ALLOWED)


@pytest.mark.parametrize("package", sorted(ALLOWED))
def test_each_package_imports_only_the_layers_below_it(package):
    wrong = {}
    for path in sorted((ROOT / package).rglob("*.py")):
        relative = path.relative_to(ROOT).as_posix()
        if "/migrations/" in relative or relative in WIRING:
            continue
        beyond = imports_of(path) - ALLOWED[package]
        if beyond:
            wrong[relative] = sorted(beyond)
    assert wrong == {}


def test_a_replys_status_and_lease_change_only_in_conversations_replies():
    """One owner of reply state: every UPDATE that sets a message's status or lease is in replies.py (a new
    reply is created pending by actions.start_turn, which takes its lease from there)."""
    writers = set()
    for package in ALLOWED:
        for path in sorted((ROOT / package).rglob("*.py")):
            relative = path.relative_to(ROOT).as_posix()
            if "/migrations/" in relative:
                continue
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if (
                    isinstance(node, ast.Call)
                    and isinstance(node.func, ast.Attribute | ast.Name)
                    and getattr(node.func, "attr", getattr(node.func, "id", "")) in {"update", "update_message"}
                    and {k.arg for k in node.keywords} & {"status", "lease_until"}
                ):
                    writers.add(relative)
    assert writers == {"conversations/replies.py"}
