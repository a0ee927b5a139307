"""How much the LWN parser costs on top of building the BeautifulSoup tree.

Parses the big-page fixture repeatedly and reports pages/second for the
full extraction (``parse_page``) and for a bare ``BeautifulSoup(data,
"lxml")`` of the same bytes, plus their time ratio. The tree build dominates
any BeautifulSoup parser, so the ratio shows what the extraction adds; the
target is at most 1.5.

Usage: ``python bench/bench_parse.py [--seconds N] [--page PATH]``. Writes
``var/bench/parse.json`` as well as printing one line.
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

from articles.lwn import PARSER_VERSION, parse_page  # noqa: E402

DEFAULT_PAGE = ROOT / "tests" / "fixtures" / "lwn" / "edition-2020-06-11-bigpage.html"
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5.0, help="time per measurement")
    parser.add_argument("--page", type=Path, default=DEFAULT_PAGE, help="page to parse")
    args = parser.parse_args(argv)
    data = args.page.read_bytes()

    # Alternate the two measurements so drifting machine load hits both.
    half = max(args.seconds / 2, 0.1)
    bare_a, bare_calls_a = _rate(lambda: BeautifulSoup(data, "lxml"), half)
    full_a, full_calls_a = _rate(lambda: parse_page(data), half)
    bare_b, bare_calls_b = _rate(lambda: BeautifulSoup(data, "lxml"), half)
    full_b, full_calls_b = _rate(lambda: parse_page(data), half)
    bare, full = min(bare_a, bare_b), min(full_a, full_b)
    ratio = full / bare
    result = {
        "page": str(args.page.relative_to(ROOT) if args.page.is_relative_to(ROOT) else args.page),
        "page_bytes": len(data),
        "parser_version": PARSER_VERSION,
        "extract_pages_per_second": round(1 / full, 2),
        "bare_build_pages_per_second": round(1 / bare, 2),
        "extract_ms": round(full * 1000, 3),
        "bare_build_ms": round(bare * 1000, 3),
        "ratio": round(ratio, 3),
        "target_ratio": TARGET_RATIO,
        "calls": bare_calls_a + bare_calls_b + full_calls_a + full_calls_b,
    }
    RESULT.parent.mkdir(parents=True, exist_ok=True)
    RESULT.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    verdict = "ok" if ratio <= TARGET_RATIO else "OVER TARGET"
    print(
        f"parse {result['page']} ({len(data)} bytes): "
        f"extract {result['extract_pages_per_second']} pages/s, "
        f"bare tree {result['bare_build_pages_per_second']} pages/s, "
        f"ratio {ratio:.2f} (target <= {TARGET_RATIO}: {verdict})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
