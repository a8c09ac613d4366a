"""Peak memory of dedup's clustering step at corpus scale, against the old
way in the same run.

The 1,000,000-document run of ``scale.py`` peaks while near-duplicates are
clustered. This script measures that step alone, on synthetic signatures
(no text: building them takes seconds, not an hour): ``--docs`` documents
from 181 base signatures, a third exact copies of their base and the rest
near copies (10 of 128 values changed), as ``scale.py``'s corpus repeats
and mutates the 181 dev pages. Each row runs in its own process and prints
the process's peak RSS before and after clustering:

- ``compacted``: the product (the distinct signatures moved to the top of
  the array in place, :func:`cleaner.dedup._compact_rows`);
- ``copied``: the same code with the distinct signatures copied out
  (``sigs[reps]``), as before the change.

Both must find the same clusters; the script says whether they do.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent

EPILOG = """\
example:
  python benchmarks/dedup_memory.py --docs 1000000
"""


def measure(docs: int, copied: bool) -> dict[str, Any]:
    """Cluster ``docs`` synthetic documents in this process; peak RSS in MB."""
    sys.path.insert(0, str(REPO))
    import numpy as np

    import cleaner.dedup
    from cleaner.dedup import DedupConfig, Deduper
    from cleaner.shingle import Sketch

    if copied:
        cleaner.dedup._compact_rows = lambda rows, keep, chunk=0: rows if len(keep) == len(rows) else rows[keep]
    rng = np.random.default_rng(1)
    bases = rng.integers(0, 2**32, size=(181, 128), dtype=np.uint32)
    no_shingles = np.zeros(0, dtype=np.uint64)
    d = Deduper(DedupConfig())
    for i in range(docs):
        base = i % 181
        sig = bases[base].copy()
        exact = (i // 181) % 3 == 0
        if not exact:
            sig[rng.integers(0, 128, size=10)] = rng.integers(0, 2**32, size=10, dtype=np.uint32)
        d.add_sketch(i, f"d{i}", Sketch(sig, (base, 0) if exact else (1000 + base, i), 1000, no_shingles))
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    start = time.perf_counter()
    clusters = d.clusters()
    return {
        "before_mb": round(before),
        "peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "seconds": round(time.perf_counter() - start, 1),
        "clusters": [(c.keeper.id, len(c.copies)) for c in clusters],
    }


def run_row(docs: int, copied: bool) -> dict[str, Any]:
    cmd = [sys.executable, str(Path(__file__).resolve()), "--child", "--docs", str(docs)]
    if copied:
        cmd.append("--copied")
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise SystemExit(
            f"dedup_memory.py: error: the {'copied' if copied else 'compacted'} row failed:\n{proc.stderr}"
        )
    result: dict[str, Any] = json.loads(proc.stdout)
    return result


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--docs", type=int, default=1_000_000, metavar="N", help="documents (default: %(default)s)")
    parser.add_argument("--copied", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.docs < 1:
        raise SystemExit("dedup_memory.py: error: --docs must be at least 1")
    if args.child:
        print(json.dumps(measure(args.docs, args.copied)))
        return 0
    rows = {"compacted": run_row(args.docs, False), "copied (before)": run_row(args.docs, True)}
    print(f"dedup clustering, {args.docs:,} synthetic documents (a third exact copies), one process per row")
    print(f"  {'':16} {'RSS before':>11} {'peak RSS':>9} {'added':>7} {'seconds':>8}")
    for name, r in rows.items():
        before, peak = int(r["before_mb"]), int(r["peak_mb"])
        print(f"  {name:16} {before:8,} MB {peak:6,} MB {peak - before:4,} MB {r['seconds']:>8}")
    new, old = rows["compacted"], rows["copied (before)"]
    added_new = int(new["peak_mb"]) - int(new["before_mb"])
    added_old = int(old["peak_mb"]) - int(old["before_mb"])
    print(f"  clustering adds {added_new:,} MB against {added_old:,} MB ({added_new / max(added_old, 1):.2f}x)")
    print(f"  same clusters: {'yes' if new['clusters'] == old['clusters'] else 'NO'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
