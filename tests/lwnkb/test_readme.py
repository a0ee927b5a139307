"""The README documents every setting and every command (its tables are the reference)."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_it_documents_every_setting_read_from_the_environment() -> None:
    settings = (ROOT / "lwnkb" / "settings.py").read_text(encoding="utf-8")
    names = set(re.findall(r'env_[a-z]+\(\s*"([A-Z0-9_]+)"', settings))

    assert len(names) > 30  # the pattern still finds them
    assert sorted(n for n in names if f"`LWNKB_{n}`" not in README) == []


def test_it_documents_every_management_command() -> None:
    commands = sorted(p.stem for p in (ROOT / "articles/management/commands").glob("lwn_*.py"))

    assert "lwn_import" in commands
    assert [c for c in commands if f"`manage.py {c}" not in README] == []
