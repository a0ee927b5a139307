"""``python -m bench.archive --out DIR [--scale S] [--seed N]``: write a generated
LWN archive (see docs/performance.md, "The generated archive")."""

from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

from .generate import DEFAULT_SEED, generate


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.archive", description=__doc__)
    parser.add_argument("--out", type=Path, required=True, help="folder to write (created)")
    parser.add_argument("--scale", type=float, default=1.0, help="1.0 = the full 29 years")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    args = parser.parse_args(argv)
    if not 0 < args.scale <= 1:
        parser.error("--scale must be in (0, 1]")
    started = time.monotonic()
    manifest = generate(args.out, scale=args.scale, seed=args.seed, progress=sys.stderr)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"{manifest['pages']} pages, {manifest['comments']} comments, "
        f"{int(manifest['bytes']) / 1e6:.0f} MB in {time.monotonic() - started:.1f} s, "  # type: ignore[call-overload]
        f"peak RSS {peak_mb:.0f} MB -> {args.out}",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
