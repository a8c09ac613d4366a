"""Score text cleaners on the quality-dev benchmark (TEXT task) and gate on quality floors.

Each system is a ``str -> str`` function run over ``text/<id>.txt`` of every
page and scored against ``gold/<id>.txt`` with the metric in ``scoring.py``.
One row per system: macro sh4 P/R/F1, macro tok F1, micro sh4 F1, and
docs/s (cleaning calls only). Floors for pinned systems live in
``benchmarks/baseline.json``; see ``--help`` for the gate and its exit codes.
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import time
import urllib.parse
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import scoring  # benchmarks/ is sys.path[0] when this file runs as a script

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
DEFAULT_BENCH = REPO.parent / "shared/bench/quality-dev"
DEFAULT_BASELINE = HERE / "baseline.json"
TASKS = ("text", "html")
GATED = ("sh4_f1", "sh4_p", "sh4_r")
TOLERANCE = 0.0005
DECIMALS = 4

EXIT_REGRESSION = 1  # a floor is missed, or --update-baseline would lower one
EXIT_DATA = 3  # benchmark or baseline file missing or malformed (argparse uses 2)

Cleaner = Callable[[str], str]
SYSTEMS: dict[str, Callable[[], Cleaner]] = {}
"""Registry: system name -> factory returning the cleaning function."""
PINNED: set[str] = set()
SYSTEM_TASK: dict[str, str] = {}
"""The task each system runs: ``text`` (flattened pages) or ``html`` (raw pages)."""
"""Systems whose scores --update-baseline pins as floors."""


class Unavailable(Exception):
    """A system cannot run here, e.g. its package does not import."""


class DataError(Exception):
    """The benchmark or the baseline file is missing or malformed."""


def system(
    name: str, *, pinned: bool = False, task: str = "text"
) -> Callable[[Callable[[], Cleaner]], Callable[[], Cleaner]]:
    """Register a factory under `name` for `task`; `pinned` systems get floors in the baseline."""

    def register(factory: Callable[[], Cleaner]) -> Callable[[], Cleaner]:
        if name in SYSTEMS:
            raise ValueError(f"system {name!r} registered twice")
        SYSTEMS[name] = factory
        SYSTEM_TASK[name] = task
        if pinned:
            PINNED.add(name)
        return factory

    return register


# --- systems -----------------------------------------------------------------


@system("keep-all")
def _keep_all() -> Cleaner:
    return lambda text: text


# C4 ends lines in . ! ? or " (the curly closing quote counts too); with
# these this baseline reproduces the README's C4 row (sh4 P 0.790, R 0.889,
# F1 0.818, tok F1 0.838).
C4_TERMINAL = (".", "!", "?", '"', "\u201d")  # . ! ? " ”
C4_MIN_WORDS = 3
C4_BAD_SUBSTRINGS = (
    "javascript",
    "lorem ipsum",
    "terms of use",
    "privacy policy",
    "cookie policy",
    "uses cookies",
    "use of cookies",
    "use cookies",
)


def c4_keeps(line: str) -> bool:
    """C4's line rules: terminal punctuation, >= 3 words, no javascript/policy text.

    >>> c4_keeps("It rained all day in Paris.")
    True
    >>> c4_keeps("Read more"), c4_keeps("Yes."), c4_keeps("Enable JavaScript to see this.")
    (False, False, False)
    """
    line = line.strip()
    lowered = line.lower()
    return (
        line.endswith(C4_TERMINAL)
        and len(line.split()) >= C4_MIN_WORDS
        and not any(s in lowered for s in C4_BAD_SUBSTRINGS)
    )


@system("c4-lines")
def _c4_lines() -> Cleaner:
    # C4 (Raffel et al. 2020) also drops whole pages: those with "lorem ipsum",
    # a curly brace, fewer than 5 sentences or a listed bad word. This
    # benchmark scores every page, so only the line rules are applied here and
    # "lorem ipsum" drops the line, not the page.
    def clean(text: str) -> str:
        return "\n".join(line for line in text.splitlines() if c4_keeps(line))

    return clean


@system("cleaner", pinned=True)
def _cleaner() -> Cleaner:
    if str(REPO) not in sys.path:
        sys.path.insert(0, str(REPO))  # score the working tree's package
    try:
        from cleaner import clean_text
    except Exception as exc:  # the package may be missing or half-written
        raise Unavailable(f"cannot import cleaner.clean_text: {exc!r}") from exc
    return lambda text: clean_text(text).text


@system("cleaner-en")
def _cleaner_en() -> Cleaner:
    """The full cleaner with language detection off (every page treated as
    English): its docs/s is the cleaning throughput alone."""
    _import_cleaner()
    from cleaner import Cleaner as Engine
    from cleaner import Config

    engine = Engine(Config(language="en"))
    return lambda text: engine.clean(text).text


@system("rules-only")
def _rules_only() -> Cleaner:
    _import_cleaner()
    from cleaner import Cleaner as Engine
    from cleaner import Config

    engine = Engine(Config(heuristics=False))
    return lambda text: engine.clean(text).text


@system("detector-only")
def _detector_only() -> Cleaner:
    """The main-content detector (DET001, cleaner/detector.py) alone: no
    rule packs, no other heuristic."""
    _import_cleaner()
    from cleaner.clean import apply_heuristic
    from cleaner.heuristics import DETECTOR
    from cleaner.page import Page as Lines

    def clean(text: str) -> str:
        page = Lines.from_text(text)
        apply_heuristic(page, DETECTOR)
        return page.output()

    return clean


def _import_cleaner() -> None:
    if str(REPO) not in sys.path:
        sys.path.insert(0, str(REPO))  # score the working tree's package


@system("visible-text", task="html")
def _visible_text() -> Cleaner:
    _import_cleaner()
    from cleaner.extract import render_text

    return render_text


def _trafilatura(**settings: bool) -> Cleaner:
    try:
        import trafilatura
    except ImportError as exc:
        raise Unavailable(f"trafilatura does not import: {exc}") from exc
    return lambda html: trafilatura.extract(html, deduplicate=False, include_comments=False, **settings) or ""


@system("trafilatura", task="html")
def _trafilatura_defaults() -> Cleaner:
    return _trafilatura()


@system("trafilatura-precision", task="html")
def _trafilatura_precision() -> Cleaner:
    return _trafilatura(favor_precision=True)


@system("cleaner-html", pinned=True, task="html")
def _cleaner_html() -> Cleaner:
    _import_cleaner()
    from cleaner.clean import Cleaner as Engine
    from cleaner.extract import extract_html

    engine = Engine()
    return lambda html: engine.clean(extract_html(html).text, extracted=True).text


# --- data --------------------------------------------------------------------


@dataclass(frozen=True)
class Page:
    id: str
    url: str
    text: str
    gold: str
    html: str = ""


@dataclass
class Result:
    name: str
    outputs: dict[str, str]
    page_scores: list[dict[str, float]]
    summary: dict[str, float]
    seconds: float


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except OSError as exc:
        raise DataError(f"cannot read {path}: {exc.strerror}") from exc


def load_pages(bench: Path, with_html: bool = False) -> list[Page]:
    """The pages from `bench`, sorted by id (with their HTML if asked)."""
    manifest = bench / "manifest.jsonl"
    pages = []
    for n, line in enumerate(_read(manifest).splitlines(), 1):
        if not line.strip():
            continue
        try:
            entry = json.loads(line)
            page_id, url = entry["id"], entry.get("url", "")
        except (json.JSONDecodeError, KeyError, TypeError) as exc:
            raise DataError(f"{manifest}:{n}: bad manifest entry ({exc})") from exc
        text = _read(bench / "text" / f"{page_id}.txt")
        gold = _read(bench / "gold" / f"{page_id}.txt")
        html = ""
        if with_html:
            try:
                html = gzip.decompress((bench / "html" / f"{page_id}.html.gz").read_bytes()).decode("utf-8", "replace")
            except OSError as exc:
                raise DataError(f"cannot read the HTML of {page_id}: {exc}") from exc
        pages.append(Page(page_id, url, text, gold, html))
    if not pages:
        raise DataError(f"{manifest} lists no pages")
    return sorted(pages, key=lambda p: p.id)


def run_system(name: str, clean: Cleaner, pages: Sequence[Page]) -> Result:
    """Run `clean` on every page (timing only the calls) and score the outputs."""
    outputs: dict[str, str] = {}
    seconds = 0.0
    for page in pages:
        start = time.perf_counter()
        source = page.html if SYSTEM_TASK[name] == "html" else page.text
        try:
            outputs[page.id] = clean(source)
        except Exception:
            print(f"system {name!r} failed on page {page.id}", file=sys.stderr)
            raise
        seconds += time.perf_counter() - start
    scores = [scoring.score_page(outputs[p.id], p.gold) for p in pages]
    return Result(name, outputs, scores, scoring.aggregate(scores), seconds)


# --- report ------------------------------------------------------------------

COLUMNS = (
    ("sh4 P", "sh4_p"),
    ("sh4 R", "sh4_r"),
    ("sh4 F1", "sh4_f1"),
    ("tok F1", "tok_f1"),
    ("sh4 F1 micro", "sh4_micro_f1"),
)


def format_table(results: Sequence[Result]) -> str:
    """One aligned row per system; scores are macro unless marked micro."""
    head = ["system", *(title for title, _ in COLUMNS), "docs/s"]
    rows = [head]
    for res in results:
        rate = len(res.page_scores) / res.seconds if res.seconds > 0 else float("inf")
        cells = [f"{res.summary[key]:.{DECIMALS}f}" for _, key in COLUMNS]
        rows.append([res.name, *cells, f"{rate:,.0f}"])
    widths = [max(len(row[i]) for row in rows) for i in range(len(head))]
    lines = [
        "  ".join([row[0].ljust(widths[0])] + [c.rjust(w) for c, w in zip(row[1:], widths[1:], strict=True)])
        for row in rows
    ]
    return "\n".join(lines)


# --- site cross-validation ----------------------------------------------------

FOLDS = 5


def domain(url: str) -> str:
    """The site of a page: its URL's host without ``www.``."""
    host = urllib.parse.urlparse(url).netloc.lower()
    return host[4:] if host.startswith("www.") else host


def site_fold(url: str, k: int = FOLDS) -> int:
    """The fold of a page's site (a stable hash of the domain), so that all
    pages of one site land in the same fold."""
    return zlib.crc32(domain(url).encode("utf-8")) % k


def fold_f1(res: Result, pages: Sequence[Page]) -> list[float]:
    """Macro sh4 F1 of each site fold. The systems here are frozen (nothing
    is tuned on the held-out fold), so the spread over folds shows how much
    the score depends on which sites are in the set."""
    by_fold: dict[int, list[float]] = {k: [] for k in range(FOLDS)}
    for page, s in zip(pages, res.page_scores, strict=True):
        by_fold[site_fold(page.url)].append(s["sh4_f1"])
    return [sum(v) / len(v) if v else 0.0 for _, v in sorted(by_fold.items())]


def format_cv(results: Sequence[Result], pages: Sequence[Page]) -> str:
    sizes = [sum(1 for p in pages if site_fold(p.url) == k) for k in range(FOLDS)]
    lines = [f"site folds ({FOLDS}, by a hash of the domain; pages per fold {sizes}): sh4 F1 per fold"]
    for res in results:
        folds = fold_f1(res, pages)
        cells = " ".join(f"{f:.{DECIMALS}f}" for f in folds)
        lines.append(
            f"  {res.name}: {cells}  mean {sum(folds) / len(folds):.{DECIMALS}f}"
            f"  min {min(folds):.{DECIMALS}f}  (full dev {res.summary['sh4_f1']:.{DECIMALS}f})"
        )
    return "\n".join(lines)


# --- costly lines ------------------------------------------------------------

#: Per page, at most this many false removals and this many false keeps.
COSTLY_PER_PAGE = 8


def _line_costs(text: str, output: str, gold: str) -> list[tuple[str, int, float, str]]:
    """Each input line that cost the page: ``(kind, tokens, gold share,
    line)``, where kind is ``false-removal`` (gone, but most of its 4-word
    shingles are in the gold) or ``false-keep`` (kept, but most are not).
    A line counts as kept when the output has an identical line."""
    gold_units = set(scoring.units(gold, "sh4"))
    gold_joined = " " + " ".join(scoring.tokens(gold)) + " "
    out_lines: dict[str, int] = {}
    for line in output.splitlines():
        out_lines[line.strip()] = out_lines.get(line.strip(), 0) + 1
    rows = []
    for line in text.splitlines():
        toks = scoring.tokens(line)
        if not toks:
            continue
        if len(toks) < scoring.SHINGLE_SIZE:  # a short line: is it in the gold as it is?
            share = float(f" {' '.join(toks)} " in gold_joined)
        else:
            units = scoring.units(line, "sh4")
            share = sum(1 for u in units if u in gold_units) / len(units)
        kept = out_lines.get(line.strip(), 0) > 0
        if kept:
            out_lines[line.strip()] -= 1
        if kept and share < 0.5:
            rows.append(("false-keep", len(toks), share, line.strip()))
        elif not kept and share >= 0.5:
            rows.append(("false-removal", len(toks), share, line.strip()))
    return rows


def write_costly(folder: Path, res: Result, pages: Sequence[Page]) -> None:
    """``costly.tsv``: per page (worst F1 first), the lines that cost the
    most tokens, false removals first."""
    lines = ["id\turl\tF1\tkind\ttokens\tgold_share\tline"]
    order = sorted(zip(pages, res.page_scores, strict=True), key=lambda ps: (ps[1]["sh4_f1"], ps[0].id))
    for page, s in order:
        costs = _line_costs(page.text, res.outputs[page.id], page.gold)
        for kind in ("false-removal", "false-keep"):
            worst = sorted((c for c in costs if c[0] == kind), key=lambda c: -c[1])[:COSTLY_PER_PAGE]
            for _, n, share, text in worst:
                text = text.replace("\t", " ")[:300]
                lines.append(f"{page.id}\t{page.url}\t{s['sh4_f1']:.{DECIMALS}f}\t{kind}\t{n}\t{share:.2f}\t{text}")
    (folder / "costly.tsv").write_text("\n".join(lines) + "\n", encoding="utf-8")


def write_outputs(out: Path, res: Result, pages: Sequence[Page]) -> None:
    """Write ``out/<system>/<id>.txt`` and ``pages.tsv`` (worst sh4 F1 first)."""
    folder = out / res.name
    folder.mkdir(parents=True, exist_ok=True)
    for page in pages:
        (folder / f"{page.id}.txt").write_text(res.outputs[page.id], encoding="utf-8")
    rows = sorted(zip(pages, res.page_scores, strict=True), key=lambda ps: (ps[1]["sh4_f1"], ps[0].id))
    lines = ["id\turl\tP\tR\tF1"]
    for page, s in rows:
        figures = "\t".join(f"{s[k]:.{DECIMALS}f}" for k in ("sh4_p", "sh4_r", "sh4_f1"))
        lines.append(f"{page.id}\t{page.url}\t{figures}")
    (folder / "pages.tsv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    if SYSTEM_TASK[res.name] == "text":
        write_costly(folder, res, pages)


# --- quality floors ----------------------------------------------------------

Baseline = dict[str, dict[str, float]]


def load_baseline(path: Path) -> Baseline:
    """Floors by ``<task>/<system>``; a missing file means no floors."""
    if not path.exists():
        return {}
    try:
        data = json.loads(_read(path))
    except json.JSONDecodeError as exc:
        raise DataError(f"{path}: invalid JSON ({exc})") from exc
    if not isinstance(data, dict):
        raise DataError(f"{path}: expected an object of '<task>/<system>' entries")
    for key, floors in data.items():
        if not isinstance(floors, dict) or set(floors) - set(GATED):
            raise DataError(f"{path}: entry {key!r} must map some of {list(GATED)} to numbers")
        if not all(isinstance(v, (int, float)) for v in floors.values()):
            raise DataError(f"{path}: entry {key!r} has a non-numeric floor")
    return data


def check_floors(
    baseline: Baseline, results: dict[str, Result], selected: Sequence[str]
) -> tuple[list[str], list[str]]:
    """Compare selected systems with their floors; returns (ok lines, FAIL lines)."""
    ok, fail = [], []
    for key, floors in sorted(baseline.items()):
        task, _, name = key.partition("/")
        if name not in selected or task != SYSTEM_TASK.get(name):
            continue
        if name not in results:
            fail.append(f"FAIL {key}: system unavailable, its floors cannot be checked")
            continue
        for metric, floor in sorted(floors.items()):
            value = results[name].summary[metric]
            line = f"{key} {metric} {value:.{DECIMALS}f} (floor {floor:.{DECIMALS}f})"
            if value < floor - TOLERANCE:
                fail.append(f"FAIL {line}: below floor by {floor - value:.{DECIMALS}f}")
            else:
                ok.append(f"ok   {line}")
    return ok, fail


def updated_baseline(baseline: Baseline, results: dict[str, Result]) -> tuple[Baseline, list[str]]:
    """Baseline with current figures for pinned systems, and the floors it lowers."""
    new = {key: dict(floors) for key, floors in baseline.items()}
    lowered = []
    for name in sorted(set(results) & PINNED):
        key = f"{SYSTEM_TASK[name]}/{name}"
        entry = {m: round(results[name].summary[m], DECIMALS) for m in GATED}
        for metric, value in entry.items():
            old = baseline.get(key, {}).get(metric)
            if old is not None and value < old:
                lowered.append(f"{key} {metric} {old:.{DECIMALS}f} -> {value:.{DECIMALS}f}")
        new[key] = entry
    return new, lowered


def write_baseline(path: Path, baseline: Baseline) -> None:
    path.write_text(json.dumps(baseline, indent=2, sort_keys=True) + "\n", encoding="utf-8")


# --- command line ------------------------------------------------------------

EPILOG = """\
example:
  python benchmarks/quality.py --systems keep-all,c4-lines --out /tmp/quality
  (then read /tmp/quality/c4-lines/pages.tsv: the worst pages come first)

systems: {systems}  (pinned in the baseline: {pinned})

exit codes: 0 ok; 1 a floor missed (more than {tol} below it) or
--update-baseline would lower a floor; 2 usage error; 3 benchmark or baseline
file missing or malformed.
"""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="quality.py",
        description="Score cleaners on the quality-dev benchmark (TEXT and HTML tasks).",
        epilog=EPILOG.format(systems=", ".join(SYSTEMS), pinned=", ".join(sorted(PINNED)), tol=TOLERANCE),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    inputs = parser.add_argument_group("input")
    inputs.add_argument(
        "--bench",
        type=Path,
        default=DEFAULT_BENCH,
        metavar="DIR",
        help="benchmark folder (default: %(default)s)",
    )
    inputs.add_argument(
        "--systems",
        default=",".join(SYSTEMS),
        metavar="A,B",
        help="comma-separated systems to run, one row each (default: all)",
    )
    output = parser.add_argument_group("output")
    output.add_argument(
        "--out",
        type=Path,
        metavar="DIR",
        help="write DIR/<system>/<id>.txt, pages.tsv and (TEXT task) costly.tsv",
    )
    floors = parser.add_argument_group("quality floors")
    floors.add_argument(
        "--baseline",
        type=Path,
        default=DEFAULT_BASELINE,
        metavar="FILE",
        help="floors file (default: %(default)s)",
    )
    floors.add_argument(
        "--update-baseline",
        action="store_true",
        help="write current figures of pinned systems as floors (raising only)",
    )
    floors.add_argument(
        "--allow-regression",
        action="store_true",
        help="do not fail on missed floors; let --update-baseline lower floors",
    )
    return parser


def parse_systems(parser: argparse.ArgumentParser, spec: str) -> list[str]:
    names = [n.strip() for n in spec.split(",") if n.strip()]
    unknown = [n for n in names if n not in SYSTEMS]
    if unknown or not names:
        parser.error(f"unknown systems {unknown}; choose from {', '.join(SYSTEMS)}")
    return list(dict.fromkeys(names))


def score_all(names: Sequence[str], pages: Sequence[Page]) -> dict[str, Result]:
    results = {}
    for name in names:
        try:
            clean = SYSTEMS[name]()
        except Unavailable as exc:
            print(f"note: skipping {name}: {exc}", file=sys.stderr)
            continue
        results[name] = run_system(name, clean, pages)
    return results


def gate(
    args: argparse.Namespace,
    baseline: Baseline,
    results: dict[str, Result],
    names: Sequence[str],
) -> int:
    """Check or update the floors; returns the exit code."""
    if args.update_baseline:
        new, lowered = updated_baseline(baseline, results)
        if lowered and not args.allow_regression:
            print(
                f"quality error: --update-baseline would lower {'; '.join(lowered)};"
                " add --allow-regression to lower a floor",
                file=sys.stderr,
            )
            return EXIT_REGRESSION
        if new != baseline:
            write_baseline(args.baseline, new)
            print(f"baseline written: {args.baseline}")
        else:
            print(f"baseline unchanged: {args.baseline}")
        return 0
    ok, fail = check_floors(baseline, results, names)
    for line in ok + fail:
        print(line)
    if fail and args.allow_regression:
        print(f"{len(fail)} floor(s) missed; ignored because of --allow-regression")
    elif fail:
        return EXIT_REGRESSION
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    names = parse_systems(parser, args.systems)
    try:
        bench = args.bench.resolve()
        if args.out is not None and args.out.resolve().is_relative_to(bench):
            parser.error(f"--out {args.out} is inside the benchmark folder; pick another folder")
        baseline = load_baseline(args.baseline)
        pages = load_pages(bench, with_html=any(SYSTEM_TASK[n] == "html" for n in names))
        results = score_all(names, pages)
        for task in TASKS:
            rows = [results[n] for n in names if n in results and SYSTEM_TASK[n] == task]
            if rows:
                print(f"quality-dev {task.upper()} task: {len(pages)} pages from {bench}")
                print(format_table(rows))
                print(format_cv(rows, pages))
        if args.out is not None:
            for res in results.values():
                write_outputs(args.out, res, pages)
        return gate(args, baseline, results, names)
    except DataError as exc:
        print(f"quality error: {exc}", file=sys.stderr)
        return EXIT_DATA


if __name__ == "__main__":
    sys.exit(main())
