"""How cleaner's time and memory grow with the corpus: one `cleaner clean` run per size.

For each size in ``--sizes`` this builds a JSONL corpus on disk (streamed,
never held in memory) by repeating the dev pages of the quality benchmark
with a unique id per document and small mutations, so that copies are near
duplicates, not exact ones:

- the junk edges (the lines before the first and after the last line of
  the page's gold article text) are shuffled;
- the digits are remapped (a random permutation of 0-9 per document);
- an id line is appended.

It then runs ``cleaner clean CORPUS -o OUT.jsonl`` in a subprocess (JSONL in,
JSONL out, dedup on in flag mode, default workers: all cores) and prints
per size: wall time, docs/s, MB/s, the peak RSS of the largest single
process of the run (from wait4, as /usr/bin/time -v reports it), the peak
total RSS of the run's process tree (sampled every second with psutil, when
installed), and the cost per document relative to the first size (1.00
means linear growth).

The corpus of a size takes about (average page size x size) on disk, and the
output about as much again; both are deleted after the run unless --keep.

At the current speed (about 330 documents/s end to end on 2 cores),
1,000,000 documents take about an hour, plus about 10 minutes to build the
corpus, and about 20 GB of disk for the corpus and the output.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
DEFAULT_BENCH = REPO.parent / "shared" / "bench" / "quality-dev"
DIGITS = "0123456789"

EPILOG = """\
examples:
  python benchmarks/scale.py                              # 10,000 documents
  python benchmarks/scale.py --sizes 2000,10000 --workers 2
  python benchmarks/scale.py --sizes 10000,100000,1000000 --tmp /big/disk   # hours on 2 cores
"""


@dataclass(frozen=True)
class Template:
    """One dev page split into its junk head, article body and junk tail."""

    head: tuple[str, ...]
    body: str
    tail: tuple[str, ...]


def load_templates(bench: Path) -> list[Template]:
    """The dev pages, each split at its first and last gold line (a page
    without gold keeps a tenth of its lines at each edge as junk)."""
    templates = []
    for path in sorted((bench / "text").glob("*.txt")):
        lines = path.read_text(encoding="utf-8").split("\n")
        gold_path = bench / "gold" / path.name
        gold = {t.strip() for t in gold_path.read_text(encoding="utf-8").split("\n")} if gold_path.exists() else set()
        gold.discard("")
        inside = [i for i, t in enumerate(lines) if t.strip() in gold]
        if inside:
            first, last = inside[0], inside[-1] + 1
        else:
            first, last = len(lines) // 10, len(lines) - len(lines) // 10
        templates.append(Template(tuple(lines[:first]), "\n".join(lines[first:last]), tuple(lines[last:])))
    if not templates:
        raise SystemExit(f"scale.py: error: no pages in {bench / 'text'}; give --bench")
    return templates


def mutated(templates: Sequence[Template], i: int) -> str:
    """Document ``i``: page ``i mod pages``, edges shuffled, digits remapped,
    an id line appended (deterministic in ``i``)."""
    t = templates[i % len(templates)]
    rng = random.Random(i)
    head, tail = list(t.head), list(t.tail)
    rng.shuffle(head)
    rng.shuffle(tail)
    digits = list(DIGITS)
    rng.shuffle(digits)
    text = "\n".join([*head, t.body, *tail]).translate(str.maketrans(DIGITS, "".join(digits)))
    return f"{text}\nDocument reference s{i:07d}."


def documents(templates: Sequence[Template], n: int) -> Iterator[str]:
    for i in range(n):
        yield json.dumps({"id": f"s{i:07d}", "text": mutated(templates, i)}, ensure_ascii=False) + "\n"


def write_corpus(path: Path, templates: Sequence[Template], n: int) -> int:
    """Stream ``n`` documents to ``path``; returns the bytes written."""
    size = 0
    with path.open("w", encoding="utf-8") as fh:
        for line in documents(templates, n):
            fh.write(line)
            size += len(line.encode("utf-8"))
    return size


@dataclass
class Run:
    docs: int
    mb: float
    build_s: float
    seconds: float
    max_proc_mb: float
    tree_mb: float | None
    error: str = ""
    stages: dict[str, float] = field(default_factory=dict)
    near_dups: int = 0


class TreeSampler(threading.Thread):
    """Peak total RSS of a process and all its descendants, sampled."""

    def __init__(self, pid: int, every: float = 1.0) -> None:
        super().__init__(daemon=True)
        self.pid, self.every = pid, every
        self.peak = 0
        self.done = threading.Event()

    def run(self) -> None:
        import psutil

        try:
            root = psutil.Process(self.pid)
        except psutil.NoSuchProcess:
            return
        while not self.done.is_set():
            total = 0
            try:
                for proc in [root, *root.children(recursive=True)]:
                    try:
                        total += proc.memory_info().rss
                    except psutil.NoSuchProcess:
                        pass
            except psutil.NoSuchProcess:
                return
            self.peak = max(self.peak, total)
            self.done.wait(self.every)


def have_psutil() -> bool:
    try:
        import psutil  # noqa: F401
    except ImportError:
        return False
    return True


def run_clean(src: Path, out: Path, workers: int | None, log: Path) -> tuple[float, float, float | None, str]:
    """Run ``cleaner clean``; returns seconds, peak RSS of its largest
    process (MB), peak RSS of its process tree (MB, or None) and an error."""
    cmd = [sys.executable, "-m", "cleaner", "clean", str(src), "-o", str(out), "--dedup", "flag", "--no-progress"]
    if workers is not None:
        cmd += ["--workers", str(workers)]
    env = {**os.environ, "PYTHONPATH": str(REPO)}  # the working tree's package
    start = time.perf_counter()
    with log.open("w") as err:
        proc = subprocess.Popen(cmd, cwd=src.parent, env=env, stdout=subprocess.DEVNULL, stderr=err)
        sampler = TreeSampler(proc.pid) if have_psutil() else None
        if sampler is not None:
            sampler.start()
        # wait4 gives this run's own rusage (RUSAGE_CHILDREN would keep the
        # largest of all runs so far); ru_maxrss is in KB on Linux.
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.perf_counter() - start
    tree = None
    if sampler is not None:
        sampler.done.set()
        sampler.join()
        tree = sampler.peak / 1e6
    error = ""
    if proc.returncode != 0:
        lines = log.read_text(encoding="utf-8", errors="replace").strip().splitlines()
        error = f"exit {proc.returncode}: " + " | ".join(lines[-3:])
    return seconds, usage.ru_maxrss / 1e3, tree, error


def run_size(n: int, templates: Sequence[Template], folder: Path, workers: int | None, keep: bool) -> Run:
    src, out = folder / f"corpus-{n}.jsonl", folder / f"out-{n}.jsonl"
    start = time.perf_counter()
    size = write_corpus(src, templates, n)
    build = time.perf_counter() - start
    seconds, max_proc, tree, error = run_clean(src, out, workers, folder / f"stderr-{n}.txt")
    stages, near_dups = read_report(folder / f"out-{n}.report.json")
    if not keep:
        for path in folder.glob(f"*-{n}.*"):
            if path.is_file():
                path.unlink()
            else:
                shutil.rmtree(path, ignore_errors=True)
    return Run(n, size / 1e6, build, seconds, max_proc, tree, error, stages, near_dups)


def read_report(path: Path) -> tuple[dict[str, float], int]:
    """Stage seconds and near-duplicates flagged, from the run's report."""
    try:
        report = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}, 0
    stages = {k: float(v) for k, v in report.get("timings", {}).items() if k != "total"}
    return stages, int(report.get("counts", {}).get("docs_flagged.near_dup", 0))


def print_table(runs: Sequence[Run]) -> None:
    print(
        f"{'docs':>10}  {'input MB':>9}  {'build s':>8}  {'clean s':>9}  {'docs/s':>7}  {'MB/s':>6}  "
        f"{'max proc RSS MB':>15}  {'tree RSS MB':>11}  {'cost/doc vs first':>17}"
    )
    first = next((r for r in runs if not r.error), None)
    for r in runs:
        if r.error:
            print(f"{r.docs:10,}  {r.mb:9,.1f}  {r.build_s:8.1f}  failed ({r.error})")
            continue
        assert first is not None
        tree = f"{r.tree_mb:11,.0f}" if r.tree_mb is not None else f"{'-':>11}"
        cost = (r.seconds / r.docs) / (first.seconds / first.docs)
        print(
            f"{r.docs:10,}  {r.mb:9,.1f}  {r.build_s:8.1f}  {r.seconds:9.1f}  {r.docs / r.seconds:7,.0f}  "
            f"{r.mb / r.seconds:6.2f}  {r.max_proc_mb:15,.0f}  {tree}  {cost:16.2f}x"
        )


def parse_sizes(text: str) -> list[int]:
    try:
        sizes = [int(s.replace("_", "")) for s in text.split(",") if s.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"--sizes must be comma-separated integers, got {text!r}") from None
    if not sizes or min(sizes) < 1:
        raise argparse.ArgumentTypeError(f"--sizes must be positive integers, got {text!r}")
    return sizes


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        description=__doc__, epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=parse_sizes, default=[10000], help="corpus sizes, e.g. 10000,100000,1000000")
    parser.add_argument("--bench", type=Path, default=DEFAULT_BENCH, help="benchmark folder (default: %(default)s)")
    parser.add_argument("--workers", type=int, default=None, metavar="N", help="--workers for cleaner (default: all)")
    parser.add_argument("--tmp", type=Path, default=None, help="folder for the corpus and output (default: a temp dir)")
    parser.add_argument("--keep", action="store_true", help="keep each corpus, output and report (in --tmp)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    templates = load_templates(args.bench)
    avg = sum(len("\n".join([*t.head, t.body, *t.tail]).encode()) for t in templates) / len(templates)
    need = max(args.sizes) * avg * 2.2  # corpus + output, bytes
    base = args.tmp or Path(tempfile.gettempdir())
    base.mkdir(parents=True, exist_ok=True)
    free = shutil.disk_usage(base).free
    if need > free:
        raise SystemExit(
            f"scale.py: error: {max(args.sizes):,} documents need about {need / 1e9:.0f} GB in {base}, "
            f"{free / 1e9:.0f} GB free; give --tmp on a bigger disk"
        )
    workers = args.workers or (len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count())
    print(
        f"cleaner scale: dev pages x N, mutated, ~{avg / 1e3:.1f} KB per document; `cleaner clean` JSONL -> JSONL, "
        f"dedup flag, {workers} workers; load average {os.getloadavg()[0]:.2f} before"
    )
    if not have_psutil():
        print("(psutil is not installed: no process-tree RSS column)")
    runs = []
    folder = Path(tempfile.mkdtemp(prefix="cleaner-scale-", dir=base))
    try:
        for n in args.sizes:
            runs.append(run_size(n, templates, folder, args.workers, args.keep))
            r = runs[-1]  # a line per size as it ends: the largest takes hours
            state = (
                f"failed ({r.error})" if r.error else f"{r.seconds:,.1f} s, peak process RSS {r.max_proc_mb:,.0f} MB"
            )
            print(f"  done: {n:,} documents, {state}", flush=True)
    finally:
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)
    print_table(runs)
    print("max proc RSS: the largest single process (wait4); tree RSS: all processes of the run together (sampled)")
    print("stage seconds from the run report (per-document stages summed over workers):")
    for r in runs:
        if r.stages:
            stages = ", ".join(f"{k} {v:,.1f}" for k, v in sorted(r.stages.items()))
            print(f"{r.docs:10,}  {stages}; {r.near_dups:,} near-duplicates flagged")
    if args.keep:
        print(f"kept in {folder}")
    print(f"load average {os.getloadavg()[0]:.2f} (1 min) at the end (other work on the machine skews the figures)")
    return 1 if any(r.error for r in runs) else 0


if __name__ == "__main__":
    sys.exit(main())
