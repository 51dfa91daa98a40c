"""The pages' translations: each locale/<lang>/LC_MESSAGES/django.po compiled into the django.mo Django reads.

polib does the compiling, in pure Python (no GNU gettext needed to run MedBotX). `make` runs this before
serving or testing (`python -m medbotx.translations`); a deployment runs `manage.py compile_translations`;
`manage.py check` warns when a catalogue is not compiled or older than its .po (the pages would then show
English where a translation exists).
"""

import sys
from pathlib import Path

LOCALE = Path(__file__).resolve().parent.parent / "locale"


def catalogues(locale: Path = LOCALE) -> list[Path]:
    return sorted(locale.glob("*/LC_MESSAGES/django.po"))


def stale(locale: Path = LOCALE) -> list[Path]:
    """The .po files whose .mo is missing or older."""
    found = []
    for po in catalogues(locale):
        mo = po.with_suffix(".mo")
        if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
            found.append(po)
    return found


def compile_all(locale: Path = LOCALE) -> list[Path]:
    """Compile every stale catalogue; the .mo files written."""
    import polib

    written = []
    for po in stale(locale):
        mo = po.with_suffix(".mo")
        polib.pofile(str(po)).save_as_mofile(str(mo))
        written.append(mo)
    return written


if __name__ == "__main__":
    for mo in compile_all():
        print(f"compiled {mo.relative_to(LOCALE.parent)}")
    sys.exit(0)
