"""The search package's shape: engines side by side, one reader of the engine setting.

What ``articles/search/__init__.py`` promises, checked on the source: the two engines
import the facade's shared modules and themselves, never each other; code outside
``articles/search/`` goes through the facade; and modules stay small.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

pytestmark = pytest.mark.backend_independent

ROOT = Path(__file__).resolve().parents[2]
SEARCH = ROOT / "articles" / "search"
ENGINES = ("whoosh", "pg")
ENGINE_PACKAGES = tuple(f"articles.search.{engine}" for engine in ENGINES)


def is_module(name: str) -> bool:
    where = ROOT.joinpath(*name.split("."))
    return where.is_dir() or where.with_suffix(".py").exists()


def imported(path: Path) -> set[str]:
    """Every module ``path`` imports (``from a import b`` is ``a.b`` when b is a module)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            submodules = (f"{node.module}.{alias.name}" for alias in node.names)
            names.update(name for name in submodules if is_module(name))
    return names


def reads_engine_setting(path: Path) -> bool:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return any(
        isinstance(node, ast.Attribute) and node.attr == "SEARCH_BACKEND" for node in ast.walk(tree)
    )


def modules(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*.py") if ".venv" not in p.parts)


@pytest.mark.parametrize("engine", ENGINES)
def test_an_engine_never_imports_the_other(engine: str) -> None:
    (other,) = set(ENGINES) - {engine}
    for path in modules(SEARCH / engine):
        crossing = {m for m in imported(path) if m.startswith(f"articles.search.{other}")}
        assert not crossing, f"{path.relative_to(ROOT)} imports {sorted(crossing)}"


def test_the_shared_modules_import_no_engine() -> None:
    # The facade's own modules pick or reach the engines; the rest is shared by both.
    shared = [p for p in SEARCH.glob("*.py") if p.stem not in ("__init__", "backend", "indexing")]
    for path in shared:
        engines = {m for m in imported(path) if m.startswith(ENGINE_PACKAGES)}
        assert not engines, f"{path.relative_to(ROOT)} imports {sorted(engines)}"


def test_nothing_outside_search_knows_which_engine_runs() -> None:
    """Only the facade reads ``settings.SEARCH_BACKEND``; others import ``articles.search``."""
    outside = [*modules(ROOT / "articles"), *modules(ROOT / "lwnkb"), *modules(ROOT / "bench")]
    for path in outside:
        if SEARCH in path.parents or "migrations" in path.parts:
            continue
        internals = {
            m for m in imported(path) if m.startswith("articles.search.") and m != "articles.search"
        }
        assert not internals, f"{path.relative_to(ROOT)} imports {sorted(internals)}"
        assert not reads_engine_setting(path), path.relative_to(ROOT)
    assert [p for p in modules(SEARCH) if reads_engine_setting(p)] == [SEARCH / "backend.py"]


def test_every_search_module_stays_under_400_lines() -> None:
    for path in modules(SEARCH):
        lines = path.read_text(encoding="utf-8").count("\n")
        assert lines < 400, f"{path.relative_to(ROOT)}: {lines} lines"
