"""Command line for the views on a run: the run report files that ``cleaner
clean`` writes, ``cleaner report`` (re-render, ``--compare``), ``explain
--html``, ``rules list --stats`` and ``cleaner golden``. Argument parsing
and printing only; the work is in :mod:`cleaner.report_html`,
:mod:`cleaner.compare`, :mod:`cleaner.explain_html`, :mod:`cleaner.golden`.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from cleaner import golden
from cleaner.clean import Cleaner
from cleaner.compare import compare_runs, render_html, render_text
from cleaner.errors import CleanerError, UsageError
from cleaner.explain_html import render_explain
from cleaner.io import STDIO, atomic_file
from cleaner.report import Report
from cleaner.report_html import load_report, render_report
from cleaner.runs import find_report, html_path_for, relative_to_report, report_paths, rule_stats

REPORT_EXAMPLES = """\
examples:
  cleaner report out.jsonl                     # re-render out.report.html from out.report.json
  cleaner report run/report.json
  cleaner report --compare before.jsonl after.jsonl
  cleaner report --compare a.report.json b.report.json --html changes.html
"""
GOLDEN_EXAMPLES = """\
examples:
  cleaner golden update samples/ golden/       # pin what cleaner does to your pages
  cleaner golden check samples/ golden/        # in CI: exit 1 with a diff when output changes
  cleaner golden check pages.jsonl golden/ --rules my-pack.toml
"""

AddOptions = Callable[[argparse.ArgumentParser], None]


def add_commands(sub: Any, fmt: type[argparse.HelpFormatter], add_config: AddOptions, add_lang: AddOptions) -> None:
    """The ``report`` and ``golden`` subcommands."""
    p = sub.add_parser(
        "report",
        help="re-render a run's report.html, or compare two runs",
        description="Re-render report.html from a run's report.json (RUN: the report.json, or the output path it "
        "belongs to), or, with --compare A B, show what changed between two runs: totals, per-rule counts, and "
        "the documents whose output text changed. Changed documents need the runs' outputs: the output recorded "
        "in each report (or the .jsonl / folder with the report's name beside it) is read and matched by id.",
        epilog=REPORT_EXAMPLES,
        formatter_class=fmt,
    )
    p.add_argument("run", nargs="?", metavar="RUN", help="a report.json, or the output (out.jsonl, out/) of a run")
    p.add_argument(
        "--compare",
        nargs=2,
        metavar=("A", "B"),
        help="compare run A with run B (report.json files or outputs); e.g. --compare old.jsonl new.jsonl",
    )
    p.add_argument(
        "--html",
        metavar="PATH",
        help="where to write the page (default: RUN's report.html; with --compare, B's name + .compare.html)",
    )
    p.add_argument(
        "--limit", type=int, default=10, metavar="N", help="changed documents shown with --compare (default 10)"
    )

    p = sub.add_parser(
        "golden",
        help="pin cleaner's output on your own pages (golden files)",
        description="Golden files for your corpus: SAMPLES (a folder of .txt/.html files, or a .jsonl with id and "
        "text) -> GOLDEN_DIR/<name>.txt (cleaned text) and <name>.explain.jsonl (one line per removal). "
        "`update` writes them; `check` exits 1 with a readable diff when the output changed.",
        epilog=GOLDEN_EXAMPLES,
        formatter_class=fmt,
    )
    gsub = p.add_subparsers(dest="golden_command", metavar="ACTION", parser_class=type(p))
    for action, text in (
        ("update", "write the golden files (creates, updates, deletes unused)"),
        ("check", "compare with the golden files; exit 1 when anything differs, is missing or is unused"),
    ):
        q = gsub.add_parser(
            action, help=text, description=text[0].upper() + text[1:] + ".", epilog=GOLDEN_EXAMPLES, formatter_class=fmt
        )
        q.add_argument("samples", metavar="SAMPLES", help="a folder of .txt/.html files or a .jsonl file")
        q.add_argument("golden_dir", metavar="GOLDEN_DIR", help="the folder of golden files")
        if action == "check":
            q.add_argument(
                "--obtained",
                metavar="DIR",
                help="also write the differing files as obtained now, for a diff tool; e.g. --obtained /tmp/obtained",
            )
        add_config(q)
        add_lang(q)


# --- cleaner clean: the report files ---------------------------------------------


def clean_report_paths(args: argparse.Namespace, kind: str) -> tuple[Path, Path] | None:
    """report.json and report.html for this run (checked with the run's
    other files by :func:`cleaner.runs.check_run_files`)."""
    return report_paths(args.output, kind, args.report)


def run_info(args: argparse.Namespace, json_path: Path) -> dict[str, str]:
    """What ``cleaner report --compare`` needs to find this run's output."""

    def rel(p: str) -> str:
        return p if p == STDIO else relative_to_report(p, json_path)

    return {
        "input": rel(args.input),
        "output": rel(args.output),
        "id_field": args.id_field,
        "text_field": args.text_field,
    }


def write_run_report(report: Report, paths: tuple[Path, Path]) -> None:
    paths[0].parent.mkdir(parents=True, exist_ok=True)  # --report missing/dir/r.json, like the output
    report.write(paths[0])
    paths[1].write_text(render_report(report.to_json()), encoding="utf-8")


# --- other commands ---------------------------------------------------------------


def cmd_report(args: argparse.Namespace) -> int:
    if args.compare:
        if args.run:
            raise UsageError("give either RUN or --compare A B, not both")
        comparison = compare_runs(args.compare[0], args.compare[1], limit=args.limit)
        sys.stdout.write(render_text(comparison))
        b = comparison.b.report_path
        out = (
            Path(args.html)
            if args.html
            else b.parent / (b.name.removesuffix(".json").removesuffix(".report") + ".compare.html")
        )
        runs = (comparison.a, comparison.b)
        sources = [*args.compare, *(r.report_path for r in runs), *(r.output for r in runs)]
        write_page(out, render_html(comparison), sources)
        return 0
    if not args.run:
        raise UsageError("give RUN (a report.json or a run's output) or --compare A B")
    path = find_report(args.run)
    out = Path(args.html) if args.html else html_path_for(path)
    write_page(out, render_report(load_report(path)), [args.run, path])
    return 0


def explain_html(path: str, out: str, rows: list[dict[str, Any]], cleaner: Cleaner) -> None:
    rules = {r.id: {"why": r.why, "category": r.category} for r in cleaner.ruleset.rules}
    rules.update({h.id: {"why": h.why, "category": h.category} for h in cleaner.heuristics})
    name = "stdin" if path == STDIO else Path(path).name
    write_page(Path(out), render_explain(name, rows, rules), [path])


def write_page(out: Path, html: str, sources: Sequence[str | Path | None]) -> None:
    """Write an --html page to ``out`` (its folder created if missing),
    never over one of the ``sources`` it was made from."""
    target = out.resolve()
    for source in sources:
        if source is not None and str(source) != STDIO and Path(source).resolve() == target:
            raise UsageError(f"{out}: --html would overwrite the input {source}; choose another --html path")
    try:
        with atomic_file(out) as fh:
            fh.write(html)
    except OSError as exc:
        where = f" ({exc.filename})" if exc.filename and exc.filename != str(out) else ""
        raise CleanerError(f"cannot write {out}: {exc.strerror}{where}; check the path and permissions") from None
    print(f"cleaner: wrote {out}", file=sys.stderr)


def print_rule_stats(report_arg: str, all_rules: dict[str, dict[str, str]]) -> None:
    path = find_report(report_arg)
    rows = rule_stats(load_report(path), all_rules)
    fired = [r for r in rows if r["lines_removed"] or r["spans_removed"]]
    never = [r for r in rows if not (r["lines_removed"] or r["spans_removed"])]
    w = sys.stdout.write
    w(f"{'rule':<10} {'category':<11} {'lines':>6} {'spans':>6} {'words':>7} {'docs':>6}  why\n")
    for r in fired:
        w(
            f"{r['id']:<10} {r['category']:<11} {r['lines_removed']:>6,} {r['spans_removed']:>6,} "
            f"{r['words_removed']:>7,} {r['docs_touched']:>6,}  {_cut(r['why'], 60)}\n"
        )
    w(f"\nnever fired in {path} ({len(never)} of {len(rows)}):\n")
    for i in range(0, len(never), 8):
        w("  " + " ".join(f"{r['id']:<9}" for r in never[i : i + 8]).rstrip() + "\n")


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 3].rstrip() + "..."


def cmd_golden(args: argparse.Namespace, cleaner: Cleaner) -> int:
    samples_path, gdir = Path(args.samples), Path(args.golden_dir)
    if not samples_path.exists():
        raise UsageError(f"{samples_path}: no such file or folder")
    golden.check_folders(samples_path, gdir)
    samples = golden.load_samples(samples_path)

    def render(sample: golden.Sample) -> dict[str, str]:
        text, extracted = sample.text, False
        if sample.html:
            from cleaner.extract import extract_html

            text, extracted = extract_html(sample.text).text, True
        return golden.render_result(sample.name, cleaner.clean(text, extracted=extracted))

    if args.golden_command == "update":
        c = golden.update(samples, gdir, render)
        print(
            f"golden: {len(samples)} samples -> {gdir}: {c['created']} created, {c['updated']} updated, "
            f"{c['deleted']} deleted, {c['unchanged']} unchanged"
        )
        return 0
    if not gdir.is_dir():
        raise UsageError(f"{gdir}: no golden folder; create it with `cleaner golden update {args.samples} {gdir}`")
    obtained = Path(args.obtained) if args.obtained else None
    problems = golden.check(samples, gdir, render, obtained)
    if not problems:
        print(f"golden: {len(samples)} samples match {gdir}")
        return 0
    fix = f"run `cleaner golden update {args.samples} {args.golden_dir}` and review the change"
    sys.stdout.write(golden.render_problems(problems, gdir, fix))
    return 1
