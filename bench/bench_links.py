"""What entity extraction costs on top of one bare regular-expression scan.

Generates the benchmark corpus (``bench.corpus.generate``, 100,000 documents
by default) and, in the same process, times over every body:

- the extractor: ``articles.links.extract`` (one combined scan, validation
  against the reference lists, sentences, "introduced" detection);
- the baseline: ``findall`` of ONE compiled regular expression that finds
  identifier-shaped tokens (``CAP_*``, ``CONFIG_*``, ``name()``, dotted
  knobs, ``/proc`` paths, snake_case words, versions) without validating
  anything.

Reports texts per second for both and their time ratio. The two are timed in
alternating rounds and the best round of each is kept, so load from other
processes on a shared machine hits both alike. Writes ``var/bench/links.json``.

Usage: ``python bench/bench_links.py [--docs N] [--rounds R]``.
"""

from __future__ import annotations

import argparse
import gc
import json
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # runnable as a plain script from anywhere
    sys.path.insert(0, str(ROOT))

from articles.links import extract  # noqa: E402
from bench.corpus import generate  # noqa: E402

RESULT = ROOT / "var" / "bench" / "links.json"
# Written as carefully as the extractor's own pattern (anchored at word starts),
# so the ratio shows what validation, sentences and "introduced" detection add.
BARE = re.compile(
    r"(?<!\w)(?:CAP_\w+|CONFIG_\w+|/(?:proc|sys)/[\w./-]+|[a-z_][a-z0-9_]*\(\)"
    r"|[a-z]+(?:\.[a-z0-9_]+)+|[a-z]+_[a-z0-9_]+|[a-z]+\d\w*|\d\.\d+\b)"
)


def _bare(bodies: list[str]) -> int:
    return sum(len(BARE.findall(body)) for body in bodies)


def _extract(bodies: list[str]) -> int:
    return sum(len(extract(body)) for body in bodies)


def _timed(work: Callable[[list[str]], int], bodies: list[str]) -> tuple[float, int]:
    gc.collect()
    start = time.perf_counter()
    found = work(bodies)
    return time.perf_counter() - start, found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=100_000, help="corpus size")
    parser.add_argument("--rounds", type=int, default=2, help="timed rounds of each")
    args = parser.parse_args(argv)

    started = time.perf_counter()
    bodies = [doc.body for doc in generate(args.docs)]
    generated = time.perf_counter() - started
    extract(bodies[0])  # load the reference lists and compile the patterns
    bare_times: list[float] = []
    extract_times: list[float] = []
    bare_found = extracted = 0
    for _ in range(args.rounds):
        seconds, bare_found = _timed(_bare, bodies)
        bare_times.append(seconds)
        seconds, extracted = _timed(_extract, bodies)
        extract_times.append(seconds)
    bare, full = min(bare_times), min(extract_times)
    ratio = full / bare
    result = {
        "docs": len(bodies),
        "corpus_chars": sum(map(len, bodies)),
        "corpus_seconds": round(generated, 2),
        "extract_texts_per_second": round(len(bodies) / full),
        "bare_regex_texts_per_second": round(len(bodies) / bare),
        "extract_seconds": round(full, 3),
        "bare_regex_seconds": round(bare, 3),
        "ratio": round(ratio, 2),
        "mentions_found": extracted,
        "bare_tokens_found": bare_found,
        "rounds": args.rounds,
    }
    RESULT.parent.mkdir(parents=True, exist_ok=True)
    RESULT.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(
        f"links over {len(bodies)} texts: extract {result['extract_texts_per_second']} texts/s "
        f"({extracted} mentions), one bare regex {result['bare_regex_texts_per_second']} texts/s "
        f"({bare_found} tokens), ratio {ratio:.2f}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
