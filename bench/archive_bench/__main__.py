"""``python -m bench.archive_bench --scale S [--stages …] [--archive DIR]``.

Stages: import (a fresh database, then ``lwn_import`` with a worker), and against
the database it left: search, pages, api, load, maintenance. See docs/performance.md,
"The full archive".
"""

from __future__ import annotations

import argparse
import importlib
import signal
import sys
from pathlib import Path

from . import results
from .target import DEFAULT_REDIS, ROOT, Target

STAGES = ("import", "search", "pages", "api", "load", "maintenance")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.archive_bench", description=__doc__)
    parser.add_argument("--scale", type=float, default=0.01)
    parser.add_argument("--archive", type=Path, help="default: var/archive-<scale>")
    parser.add_argument("--stages", default=",".join(STAGES), help="comma-separated")
    parser.add_argument("--redis-url", default=DEFAULT_REDIS, help="the worker's broker")
    parser.add_argument(
        "--compare",
        type=float,
        help="the scale whose database the pages stage also measures (default 0.01 when "
        "--scale is not 0.01); 0 for none",
    )
    parser.add_argument("--seconds", type=int, default=60, help="load stage: wrk's duration")
    parser.add_argument(
        "--warmup",
        type=int,
        default=30,
        help="load stage: seconds of the same mix, unmeasured, before the measured run",
    )
    parser.add_argument(
        "--api-budget", type=float, default=60.0, help="api stage: seconds per list walked"
    )
    parser.add_argument("--repeat", type=int, default=30, help="search and pages: samples each")
    parser.add_argument(
        "--commands",
        default="reindex,relink,reparse",
        help="maintenance stage: which of reindex, relink, reparse to run (an import's one "
        "rebuild is lwn_reindex's work, so at full size reparse alone saves half an hour)",
    )
    args = parser.parse_args(argv)
    # A TERM (kill, a CI timeout) unwinds like Ctrl-C, so the worker and the import stop too.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    stages = [s.strip() for s in args.stages.split(",") if s.strip()]
    if unknown := [s for s in stages if s not in STAGES]:
        parser.error(f"unknown stage(s) {', '.join(unknown)}; choose from {', '.join(STAGES)}")
    archive = args.archive or ROOT / "var" / f"archive-{args.scale!r}"
    target = Target(scale=args.scale, archive=archive.resolve(), redis_url=args.redis_url)
    if args.compare is None:
        args.compare = 0.01 if args.scale != 0.01 else 0.0
    if stages != ["import"] and "import" not in stages and not target.exists():
        print(f"no database {target.db_name}: run the import stage first", file=sys.stderr)
        return 2

    for stage in stages:
        print(f"== {stage} (scale {target.label}) ==", file=sys.stderr, flush=True)
        module = importlib.import_module(f"bench.archive_bench.stage_{stage}")
        figures = module.run(target, args)
        merged = results.merge(target.result_path, stage, figures)
        print(results.table(merged, [stage]), flush=True)
    print(f"results: {target.result_path}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
