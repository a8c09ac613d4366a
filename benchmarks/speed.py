"""How fast cleaner is, against baselines measured in the same run on the same documents.

Four sections, each one table with ratios (never a pass/fail on time):

1. per core, in this process: the full cleaner (all packs, heuristics and
   language detection; then with --language en, no detection), a
   plain-Python C4 line-rule loop, and datatrove's Gopher + C4 quality
   filters (optional: needs datatrove and, for its English tokenizer,
   spacy; no model is downloaded); a datatrove row with a str.split
   tokenizer is an upper bound on datatrove's speed;
2. 1 worker vs 2 workers, end to end through ``cleaner clean`` in a
   subprocess (JSONL in and out, default options), on a corpus big enough
   that the worker pool starts; the two outputs must be byte-identical;
3. the rule matcher (LineMatcher, the en + any drop-line rules): one
   alternation per line, and the hyperscan literal prefilter over each
   page, vs the naive loop (one ``rule.matches(line)`` per rule per line,
   first match wins) on every line of the dev pages, with a check that all
   pick the same rule for every line.

The documents are the dev pages of the quality benchmark
(``text/*.txt``), repeated to ``--docs`` documents.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
DEFAULT_BENCH = REPO.parent / "shared" / "bench" / "quality-dev"
sys.path.insert(0, str(HERE))  # quality.py (its c4_keeps)
sys.path.insert(0, str(REPO))  # the working tree's package

from quality import c4_keeps  # noqa: E402

from cleaner import Cleaner  # noqa: E402
from cleaner.config import Config  # noqa: E402
from cleaner.matcher import LineMatcher  # noqa: E402
from cleaner.rulepack import Rule  # noqa: E402
from cleaner.safety import MAX_RULE_LINE_CHARS  # noqa: E402

EPILOG = """\
examples:
  python benchmarks/speed.py                     # 543 documents (the 181 dev pages x 3)
  python benchmarks/speed.py --docs 1000 --pool-docs 2000
"""


@dataclass
class Row:
    name: str
    docs: int
    seconds: float
    mb: float
    note: str = ""

    @property
    def docs_s(self) -> float:
        return self.docs / self.seconds if self.seconds else 0.0

    @property
    def mb_s(self) -> float:
        return self.mb / self.seconds if self.seconds else 0.0


def print_table(title: str, rows: Sequence[Row], base: Row, ratio_name: str, unit: str = "docs") -> None:
    """One aligned table; the last column is each row's speed over ``base``'s."""
    width = max(len(r.name) for r in rows)
    print(f"\n{title}")
    print(
        f"  {'':{width}}  {'docs' if unit == 'docs' else 'lines':>7}  {'seconds':>8}  {unit + '/s':>9}  {'MB/s':>7}  {ratio_name:>12}"
    )
    for r in rows:
        ratio = f"{r.docs_s / base.docs_s:.2f}x" if base.docs_s else "-"
        line = f"  {r.name:{width}}  {r.docs:7,}  {r.seconds:8.2f}  {r.docs_s:9,.0f}  {r.mb_s:7.2f}  {ratio:>12}"
        print(line + (f"  {r.note}" if r.note else ""))


def load_note() -> str:
    one, five, _ = os.getloadavg()
    return f"load average {one:.2f} (1 min), {five:.2f} (5 min)"


def load_pages(bench: Path) -> list[str]:
    pages = [p.read_text(encoding="utf-8") for p in sorted((bench / "text").glob("*.txt"))]
    if not pages:
        raise SystemExit(f"speed.py: error: no pages in {bench / 'text'}; give --bench")
    return pages


def corpus(pages: Sequence[str], n: int) -> list[str]:
    """The pages repeated to ``n`` documents."""
    return [pages[i % len(pages)] for i in range(n)]


def megabytes(texts: Sequence[str]) -> float:
    return sum(len(t.encode("utf-8")) for t in texts) / 1e6


def timed(name: str, fn: Callable[[str], object], docs: Sequence[str], mb: float, warmup: int = 20) -> Row:
    for text in docs[:warmup]:  # load models, compile the rules of the common languages
        fn(text)
    start = time.perf_counter()
    for text in docs:
        fn(text)
    return Row(name, len(docs), time.perf_counter() - start, mb)


# --- 1. per core -------------------------------------------------------------


def c4_loop(text: str) -> str:
    return "\n".join(line for line in text.splitlines() if c4_keeps(line))


def datatrove_filters(tokenizer: str) -> tuple[Callable[[str], object] | None, str]:
    """datatrove's Gopher quality then C4 quality filter on one document
    (as a pipeline runs them), or ``None`` and why they cannot run here.
    ``tokenizer`` is ``default`` (datatrove's English word tokenizer: spaCy's
    blank ``en`` pipeline, no model download) or ``split`` (str.split)."""
    if importlib.util.find_spec("datatrove") is None:
        return None, "datatrove is not installed (pip install datatrove)"
    from datatrove.data import Document
    from datatrove.pipeline.filters import C4QualityFilter, GopherQualityFilter

    if tokenizer == "default":
        gopher, c4 = GopherQualityFilter(), C4QualityFilter()
    else:
        split = _split_tokenizer()
        gopher = GopherQualityFilter(language=split)  # type: ignore[arg-type]
        c4 = C4QualityFilter(language=split)  # type: ignore[arg-type]
    counter = iter(range(1 << 62))

    def run(text: str) -> bool:
        doc = Document(text=text, id=str(next(counter)))
        return _passed(gopher.filter(doc)) and _passed(c4.filter(doc))

    try:  # the tokenizer loads lazily: a missing extra shows up here
        run("The council met on Monday. It voted on the budget. The mayor spoke for an hour.")
    except (ImportError, LookupError, OSError) as e:
        return None, " ".join(str(e).split())[:160]
    return run, ""


def _passed(verdict: bool | tuple[bool, str]) -> bool:
    return verdict[0] if isinstance(verdict, tuple) else verdict


def _split_tokenizer() -> object:
    """A datatrove word tokenizer without models: words by str.split,
    sentences at . ! ? followed by white space."""
    from datatrove.utils.word_tokenizers import WordTokenizer

    sentence_end = re.compile(r"(?<=[.!?])\s+")

    class SplitTokenizer(WordTokenizer):
        def word_tokenize(self, text: str) -> list[str]:
            return text.split()

        def sent_tokenize(self, text: str) -> list[str]:
            return [s for s in sentence_end.split(text) if s.strip()]

        def span_tokenize(self, text: str) -> list[tuple[int, int]]:
            spans, start = [], 0
            for m in sentence_end.finditer(text):
                spans.append((start, m.start()))
                start = m.end()
            if start < len(text):
                spans.append((start, len(text)))
            return spans

    return SplitTokenizer("en")


def per_core(docs: Sequence[str]) -> None:
    mb = megabytes(docs)
    auto = Cleaner(Config())
    english = Cleaner(Config(language="en"))
    full = timed("cleaner (all packs, heuristics, language detection)", auto.clean, docs, mb)
    rows = [full, timed("cleaner --language en (no detection)", english.clean, docs, mb)]
    rows.append(timed("plain-Python C4 line rules (quality.c4_keeps)", c4_loop, docs, mb))
    notes = []
    datatrove_rows = []
    for tokenizer, name in (
        ("default", "datatrove Gopher + C4 quality filters"),
        ("split", "datatrove Gopher + C4, str.split tokenizer"),
    ):
        fn, why = datatrove_filters(tokenizer)
        if fn is None:
            notes.append(f"  skipped {name}: {why}")
            continue
        datatrove_rows.append(timed(name, fn, docs, mb, warmup=5))
    rows += datatrove_rows
    print_table(f"1. per core, one process, {len(docs):,} documents ({mb:.1f} MB)", rows, full, "vs cleaner")
    for note in notes:
        print(note)
    for r in datatrove_rows:
        if r.name.endswith("str.split tokenizer"):
            print(f"  cleaner / {r.name}: {full.docs_s / r.docs_s:.2f}x")
            print("    (no real word or sentence tokenizer: an upper bound on datatrove's speed)")
        else:
            print(f"  cleaner / {r.name}: {full.docs_s / r.docs_s:.2f}x (target >= 10x)")


# --- 2. workers --------------------------------------------------------------


def _write_jsonl(path: Path, docs: Sequence[str]) -> None:
    with path.open("w", encoding="utf-8") as fh:
        for i, text in enumerate(docs):
            fh.write(json.dumps({"id": f"d{i}", "text": text}) + "\n")


def _clean_run(src: Path, out: Path, n: int) -> tuple[float, str]:
    """Seconds for ``cleaner clean SRC -o OUT --workers N``, and the error
    (last lines of stderr) if it failed."""
    cmd = [sys.executable, "-m", "cleaner", "clean", str(src), "-o", str(out), "--workers", str(n), "--no-progress"]
    env = {**os.environ, "PYTHONPATH": str(REPO)}  # the working tree's package
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=src.parent, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    seconds = time.perf_counter() - start
    if proc.returncode != 0:
        return seconds, f"exit {proc.returncode}: " + " | ".join(proc.stderr.strip().splitlines()[-3:])
    return seconds, ""


def workers(docs: Sequence[str], tmp: Path) -> None:
    src = tmp / "pool.jsonl"
    _write_jsonl(src, docs)
    _write_jsonl(tmp / "one.jsonl", docs[:1])
    startup, error = _clean_run(tmp / "one.jsonl", tmp / "one-out.jsonl", 1)
    if error:
        print(f"\n2. workers: `cleaner clean` on 1 document failed ({error})")
        return
    mb = megabytes(docs)
    rows: list[Row] = []
    outputs: list[bytes] = []
    for n in (1, 2):
        out = tmp / f"out-{n}.jsonl"
        seconds, error = _clean_run(src, out, n)
        if error:
            print(f"\n2. workers: `cleaner clean --workers {n}` failed ({error})")
            return
        rows.append(Row(f"cleaner clean --workers {n}", len(docs), seconds, mb))
        outputs.append(out.read_bytes())
    title = (
        f"2. end to end through `cleaner clean` (subprocess, JSONL, dedup on), {len(docs):,} documents ({mb:.1f} MB)"
    )
    print_table(title, rows, rows[0], "vs 1 worker")
    print(f"  2 workers / 1 worker: {rows[1].docs_s / rows[0].docs_s:.2f}x (target >= 1.7x); {os.cpu_count()} cores")
    print(f"  outputs byte-identical: {'yes' if outputs[0] == outputs[1] else 'NO'}")
    print(f"  (each run includes start-up: `cleaner clean` on 1 document takes {startup:.2f} s)")


# --- 3. matcher --------------------------------------------------------------


#: Matcher rows are timed this many times each; the best run counts.
REPEATS = 3


def naive_first(rules: Sequence[Rule], line: str) -> Rule | None:
    for rule in rules:
        if rule.matches(line):
            return rule
    return None


def matcher(pages: Sequence[str]) -> None:
    rules = [r for r in Cleaner(Config(language="en")).rules_for("en") if r.action == "drop-line"]
    by_page = [[t for t in page.splitlines() if t.strip() and len(t) <= MAX_RULE_LINE_CHARS] for page in pages]
    lines = [t for page in by_page for t in page]
    mb = megabytes(lines)
    one_pass = LineMatcher(rules, prefilter=False)
    prefiltered = LineMatcher(rules)
    runs: list[tuple[str, Callable[[], list[Rule | None]]]] = [
        ("naive: rule.matches per rule per line", lambda: [naive_first(rules, line) for line in lines]),
        ("one alternation per line (pure Python)", lambda: [one_pass.first_match(line) for line in lines]),
    ]
    if prefiltered._scan is not None:
        runs.append(
            (
                "hyperscan literal prefilter, per page",
                lambda: [hit for page in by_page for hit in prefiltered.first_matches(page)],
            )
        )
    results, rows = [], []
    for name, fn in runs:
        # Each row's best of REPEATS runs (as timeit does), the same for all rows.
        seconds = []
        for _ in range(REPEATS):
            start = time.perf_counter()
            hits = fn()
            seconds.append(time.perf_counter() - start)
        rows.append(Row(name, len(lines), min(seconds), mb))
        results.append([h.id if h else None for h in hits])
    title = (
        f"3. drop-line matcher, {len(rules)} en + any rules, {len(lines):,} lines of {len(pages)} pages ({mb:.1f} MB),"
        f" best of {REPEATS} runs"
    )
    print_table(title, rows, rows[0], "vs naive", unit="lines")
    if prefiltered._scan is None:
        print("  (hyperscan is not installed: the prefilter row is missing)")
    print(f"  matcher / naive loop: {rows[-1].mb_s / rows[0].mb_s:.1f}x (target >= 10x)")
    matched = sum(r is not None for r in results[0])
    for (name, _), result in zip(runs[1:], results[1:], strict=True):
        differ = [(line, a, b) for line, a, b in zip(lines, results[0], result, strict=True) if a != b]
        print(f"  {name}: same first rule as naive on every line: {'yes' if not differ else 'NO'}")
        for line, a, b in differ[:5]:
            print(f"    naive {a}, matcher {b}: {line[:80]!r}")
    print(f"  ({matched:,} lines matched a rule)")


# --- main --------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        description=__doc__, epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--bench", type=Path, default=DEFAULT_BENCH, help="benchmark folder (default: %(default)s)")
    parser.add_argument("--docs", type=int, default=543, metavar="N", help="documents per core (default: %(default)s)")
    parser.add_argument(
        "--pool-docs",
        type=int,
        default=6000,
        metavar="N",
        help="documents for 1 vs 2 workers; the pool starts from 192 (default: %(default)s)",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.docs < 1 or args.pool_docs < 1:
        raise SystemExit("speed.py: error: --docs and --pool-docs must be at least 1")
    pages = load_pages(args.bench)
    print(f"cleaner speed: {len(pages)} dev pages from {args.bench}, Python {sys.version.split()[0]}, {load_note()}")
    per_core(corpus(pages, args.docs))
    with tempfile.TemporaryDirectory(prefix="cleaner-speed-") as d:
        workers(corpus(pages, args.pool_docs), Path(d))
    matcher(pages)
    print(f"\n{load_note()} at the end (other work on the machine skews the figures, the worker ratio most)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
