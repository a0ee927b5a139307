"""The era corpus: fixture pages beside ``.expected.json`` files, and the matcher.

Every page ``tests/fixtures/lwn/<stem>.html`` (or ``.html.gz``) has an expectation
``<stem>.expected.json``: a JSON object checked against the page's ``lwn_parse`` JSON
(``to_json_dict(parse_page(...))``). The rules, also told in the fixtures' README:

- keys starting with ``_`` are directives, only at the top: ``_url`` (passed to
  ``parse_page`` as ``url=``) and ``_refused`` (the page must raise ``LWNParseError``
  whose message contains that text; no other keys then);
- every other key names a key of the actual JSON and is checked; unnamed keys are not;
- a dict is matched key by key, recursively; a list must have the actual list's length
  and is matched element by element; anything else must be equal (``true`` is not ``1``);
- ``"<key>~": "text"`` (or a list of texts): the actual string contains each text;
- ``"<key>#": N``: the actual list has N elements.

``expectation_errors`` returns every mismatch as ``path: what``, with the path inside the
JSON spelt ``comments[12].parent_id``, so a failing page names each wrong field at once.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from articles.lwn import LWNParseError, parse_page, to_json_dict

FIXTURES_DIR = Path(__file__).resolve().parents[1] / "fixtures" / "lwn"
EXPECTED_SUFFIX = ".expected.json"
PAGE_SUFFIXES = (".html.gz", ".html")
DIRECTIVES = frozenset({"_url", "_refused"})
_SHOWN = 120  # characters of an actual string quoted in a failure message


@dataclass(frozen=True)
class CorpusPage:
    """One fixture page and where its expectation lives (which may not exist)."""

    stem: str
    path: Path

    @property
    def expected_path(self) -> Path:
        return self.path.parent / f"{self.stem}{EXPECTED_SUFFIX}"

    def read_bytes(self) -> bytes:
        raw = self.path.read_bytes()
        return gzip.decompress(raw) if self.path.name.endswith(".gz") else raw


def page_stem(path: Path) -> str | None:
    """The stem of a fixture page (``x`` for ``x.html`` and ``x.html.gz``), else None."""
    for suffix in PAGE_SUFFIXES:
        if path.name.endswith(suffix):
            return path.name.removesuffix(suffix)
    return None


def corpus_pages(folder: Path = FIXTURES_DIR) -> list[CorpusPage]:
    """Every fixture page in *folder*, by stem."""
    pages = [
        CorpusPage(stem, path)
        for path in folder.iterdir()
        if (stem := page_stem(path)) is not None and path.is_file()
    ]
    return sorted(pages, key=lambda page: page.stem)


def orphan_expectations(folder: Path = FIXTURES_DIR) -> list[Path]:
    """Expectation files in *folder* with no page of the same stem."""
    stems = {page.stem for page in corpus_pages(folder)}
    return sorted(
        path
        for path in folder.glob(f"*{EXPECTED_SUFFIX}")
        if path.name.removesuffix(EXPECTED_SUFFIX) not in stems
    )


def load_expectation(path: Path) -> dict[str, Any]:
    data = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise ValueError(f"{path.name}: an expectation is a JSON object, not {type(data).__name__}")
    return data


def page_errors(expectation: Mapping[str, Any], data: bytes) -> list[str]:
    """Parse *data* as the expectation's directives say; every way it falls short."""
    unknown = sorted(key for key in expectation if key.startswith("_") and key not in DIRECTIVES)
    if unknown:
        known = ", ".join(sorted(DIRECTIVES))
        return [f"{key}: unknown directive (known: {known})" for key in unknown]
    url = expectation.get("_url")
    if url is not None and not isinstance(url, str):
        return [f"_url: expected a string, got {url!r}"]
    refused = expectation.get("_refused")
    if refused is not None:
        return _refusal_errors(expectation, data, url, refused)
    try:
        page = parse_page(data, url=url)
    except LWNParseError as exc:
        return [f"page: refused with LWNParseError({str(exc)!r}), expected a parsed page"]
    actual = json.loads(json.dumps(to_json_dict(page)))
    checked = {key: value for key, value in expectation.items() if not key.startswith("_")}
    return expectation_errors(checked, actual)


def _refusal_errors(
    expectation: Mapping[str, Any], data: bytes, url: str | None, refused: object
) -> list[str]:
    if not isinstance(refused, str) or not refused:
        return [f"_refused: expected a non-empty string, got {refused!r}"]
    others = sorted(key for key in expectation if key not in DIRECTIVES)
    if others:
        return [f"_refused: a refused page has no other keys, got {', '.join(others)}"]
    try:
        parse_page(data, url=url)
    except LWNParseError as exc:
        if refused in str(exc):
            return []
        return [f"_refused: expected a message containing {refused!r}, got {str(exc)!r}"]
    return [f"_refused: expected LWNParseError containing {refused!r}, but the page parsed"]


def expectation_errors(expected: Any, actual: Any, path: str = "") -> list[str]:
    """Every mismatch between *expected* (expectation rules) and *actual* (plain JSON)."""
    if isinstance(expected, Mapping):
        return _dict_errors(expected, actual, path)
    if isinstance(expected, list):
        return _list_errors(expected, actual, path)
    if _same_scalar(expected, actual):
        return []
    return [f"{_where(path)}: expected {expected!r}, got {_short(actual)}"]


def _dict_errors(expected: Mapping[str, Any], actual: Any, path: str) -> list[str]:
    if not isinstance(actual, Mapping):
        return [f"{_where(path)}: expected an object, got {_short(actual)}"]
    errors: list[str] = []
    for key, value in expected.items():
        if key.startswith("_"):
            errors.append(f"{_join(path, key)}: directives belong at the top of an expectation")
        elif key.endswith("~"):
            errors.extend(_contains_errors(value, actual, path, key.removesuffix("~")))
        elif key.endswith("#"):
            errors.extend(_length_errors(value, actual, path, key.removesuffix("#")))
        elif key not in actual:
            errors.append(f"{_join(path, key)}: no such key (has {', '.join(sorted(actual))})")
        else:
            errors.extend(expectation_errors(value, actual[key], _join(path, key)))
    return errors


def _list_errors(expected: list[Any], actual: Any, path: str) -> list[str]:
    if not isinstance(actual, list):
        return [f"{_where(path)}: expected a list, got {_short(actual)}"]
    if len(expected) != len(actual):
        return [f"{_where(path)}: expected {len(expected)} elements, got {len(actual)}"]
    errors: list[str] = []
    for index, (want, got) in enumerate(zip(expected, actual, strict=True)):
        errors.extend(expectation_errors(want, got, f"{path}[{index}]"))
    return errors


def _contains_errors(needles: Any, actual: Mapping[str, Any], path: str, key: str) -> list[str]:
    where = _join(path, key)
    texts = [needles] if isinstance(needles, str) else needles
    if not isinstance(texts, list) or not all(isinstance(text, str) for text in texts):
        return [f"{where}~: expected a text or a list of texts, got {needles!r}"]
    if key not in actual:
        return [f"{where}: no such key"]
    value = actual[key]
    if not isinstance(value, str):
        return [f"{where}: expected a string to search, got {_short(value)}"]
    return [
        f"{where}: expected to contain {text!r}, got {_short(value)}"
        for text in texts
        if text not in value
    ]


def _length_errors(count: Any, actual: Mapping[str, Any], path: str, key: str) -> list[str]:
    where = _join(path, key)
    if not isinstance(count, int) or isinstance(count, bool) or count < 0:
        return [f"{where}#: expected a length (a whole number), got {count!r}"]
    if key not in actual:
        return [f"{where}: no such key"]
    value = actual[key]
    if not isinstance(value, list):
        return [f"{where}: expected a list, got {_short(value)}"]
    if len(value) != count:
        return [f"{where}: expected {count} elements, got {len(value)}"]
    return []


def _same_scalar(expected: Any, actual: Any) -> bool:
    # JSON's true is not 1, though Python's True == 1.
    if isinstance(expected, bool) or isinstance(actual, bool):
        return type(expected) is type(actual) and expected == actual
    if isinstance(expected, Mapping | list) or isinstance(actual, Mapping | list):
        return False
    return bool(expected == actual)


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _where(path: str) -> str:
    return path or "(page)"


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= _SHOWN else text[:_SHOWN] + "…"
