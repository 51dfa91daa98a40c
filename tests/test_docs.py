"""The README's configuration table lists every environment variable the settings read."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_every_environment_variable_is_documented_in_the_readme():
    settings_source = (ROOT / "medbotx" / "settings.py").read_text()
    names = set(re.findall(r'env_(?:str|bool|int|float|list)\(\s*"([A-Z0-9_]+)"', settings_source))
    assert len(names) > 10
    readme = (ROOT / "README.md").read_text()
    missing = sorted(name for name in names if f"`{name}`" not in readme)
    assert missing == []


def test_readme_keeps_the_two_command_quick_start():
    readme = (ROOT / "README.md").read_text()
    assert "make run" in readme and "make test" in readme
