"""How much the LWN parser costs on top of building the BeautifulSoup tree.

Parses the big-page fixture repeatedly and reports pages/second for the
full extraction (``parse_page``) and for a bare ``BeautifulSoup(data,
"lxml")`` of the same bytes, plus their time ratio. The tree build dominates
any BeautifulSoup parser, so the ratio shows what the extraction adds; the
target is at most 1.5. Then the same, briefly, for every page of the era
corpus (``tests/fixtures/lwn``: each layout, page kind and comment markup),
so no era's path drifts past the target unnoticed.

Usage: ``python bench/bench_parse.py [--seconds N] [--page PATH]
[--corpus-seconds N]``. Writes ``var/bench/parse.json`` as well as printing.
"""

from __future__ import annotations

import argparse
import gc
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # runnable as a plain script from anywhere
    sys.path.insert(0, str(ROOT))

from bs4 import BeautifulSoup  # noqa: E402

from articles.lwn import PARSER_VERSION, LWNParseError, parse_page  # noqa: E402

CORPUS = ROOT / "tests" / "fixtures" / "lwn"
DEFAULT_PAGE = CORPUS / "edition-2020-06-11-bigpage.html"
RESULT = ROOT / "var" / "bench" / "parse.json"
TARGET_RATIO = 1.5


def _rate(work: Callable[[], object], seconds: float) -> tuple[float, int]:
    """Best per-call time over repeated batches within *seconds*, and calls made.

    The minimum of several batches is the least noisy estimate on a shared
    machine (other processes only ever make a batch slower).
    """
    work()  # warm caches and imports
    best = float("inf")
    calls = 0
    deadline = time.perf_counter() + seconds
    while True:
        gc.collect()
        start = time.perf_counter()
        for _ in range(3):
            work()
        elapsed = (time.perf_counter() - start) / 3
        calls += 3
        best = min(best, elapsed)
        if time.perf_counter() >= deadline:
            return best, calls


def measure(page: Path, seconds: float) -> dict[str, object]:
    """Extraction against the bare tree build of *page*, alternated over *seconds*."""
    data = page.read_bytes()
    # Alternate the two measurements so drifting machine load hits both.
    half = max(seconds / 2, 0.1)
    bare_a, bare_calls_a = _rate(lambda: BeautifulSoup(data, "lxml"), half)
    full_a, full_calls_a = _rate(lambda: parse_page(data), half)
    bare_b, bare_calls_b = _rate(lambda: BeautifulSoup(data, "lxml"), half)
    full_b, full_calls_b = _rate(lambda: parse_page(data), half)
    bare, full = min(bare_a, bare_b), min(full_a, full_b)
    return {
        "page": str(page.relative_to(ROOT) if page.is_relative_to(ROOT) else page),
        "page_bytes": len(data),
        "parser_version": PARSER_VERSION,
        "extract_pages_per_second": round(1 / full, 2),
        "bare_build_pages_per_second": round(1 / bare, 2),
        "extract_ms": round(full * 1000, 3),
        "bare_build_ms": round(bare * 1000, 3),
        "ratio": round(full / bare, 3),
        "target_ratio": TARGET_RATIO,
        "calls": bare_calls_a + bare_calls_b + full_calls_a + full_calls_b,
    }


def corpus_pages() -> list[Path]:
    """Every page of the era corpus the parser accepts (one per era and page kind)."""
    pages = []
    for page in sorted(CORPUS.glob("*.html")):
        try:
            parse_page(page.read_bytes())
        except LWNParseError:
            continue  # refused on purpose (a search page…): nothing to extract
        pages.append(page)
    return pages


def _line(result: dict[str, object]) -> str:
    ratio = float(str(result["ratio"]))
    verdict = "ok" if ratio <= TARGET_RATIO else "OVER TARGET"
    return (
        f"parse {result['page']} ({result['page_bytes']} bytes): "
        f"extract {result['extract_pages_per_second']} pages/s, "
        f"bare tree {result['bare_build_pages_per_second']} pages/s, "
        f"ratio {ratio:.2f} (target <= {TARGET_RATIO}: {verdict})"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5.0, help="time per measurement")
    parser.add_argument("--page", type=Path, default=DEFAULT_PAGE, help="page to parse")
    parser.add_argument(
        "--corpus-seconds",
        type=float,
        default=1.0,
        help="time for each page of the era corpus (0 skips it)",
    )
    args = parser.parse_args(argv)

    result = measure(args.page, args.seconds)
    print(_line(result), flush=True)
    corpus = []
    if args.corpus_seconds > 0:
        for page in corpus_pages():
            corpus.append(measure(page, args.corpus_seconds))
            print("  " + _line(corpus[-1]), flush=True)
        worst = max(corpus, key=lambda r: float(str(r["ratio"])))
        print(f"era corpus: {len(corpus)} pages, worst ratio {worst['ratio']} ({worst['page']})")
    result["corpus"] = corpus
    RESULT.parent.mkdir(parents=True, exist_ok=True)
    RESULT.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
