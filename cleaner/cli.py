"""Command line: argument parsing and error reporting only. The work is done
by the library (``cleaner.pipeline``, ``cleaner.io``, ``cleaner.explain``)."""

from __future__ import annotations

import argparse
import functools
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from cleaner import __version__, cli_views
from cleaner.backends import BACKENDS, DASK_LOCAL_WORKERS, require_dask
from cleaner.clean import TEMPLATE_ID, TEMPLATE_WHY, Cleaner, example_failures
from cleaner.config import Config
from cleaner.corpus import DEDUP_MODES
from cleaner.dedup import DedupConfig
from cleaner.doc import Doc
from cleaner.errors import EXIT_INTERRUPTED, EXIT_USAGE, CleanerError, InputError, Interrupted, UsageError
from cleaner.execute import Job
from cleaner.execute import run as run_job
from cleaner.explain import explain, render_row
from cleaner.extract import extract_html
from cleaner.heuristics import REGISTRY, Heuristic
from cleaner.io import STDIO, Fields, check_output, dump_json_line, input_format, output_kind, read_docs
from cleaner.io.formats import INPUT_FORMATS
from cleaner.io.readers import input_size
from cleaner.langid import SEED as LANG_SEED
from cleaner.langid import keep_languages
from cleaner.rulepack import Rule, default_rules_dir, load_rules
from cleaner.runner import default_workers
from cleaner.runs import check_run_files, output_stem
from cleaner.shards import MANIFEST, SHARD_DOCS
from cleaner.template import MIN_DOCS, MIN_SHARE

PROG = "cleaner"

CLEAN_EXAMPLES = """\
examples:
  cleaner clean seeds/ -o out/                 # folder of .txt -> folder of cleaned .txt
  cleaner clean in.jsonl -o out.jsonl          # JSONL records with id and text
  cat in.jsonl | cleaner clean - -o - > out.jsonl
  cleaner clean in.jsonl -o out.jsonl --rules my-pack.toml --disable EDGE001
  cleaner clean in.jsonl -o out.jsonl --text-field body --id-field url --report report.json
  (every run writes OUT.report.json and OUT.report.html beside the output; see `cleaner report --help`)
"""
EXPLAIN_EXAMPLES = """\
examples:
  cleaner explain seeds/003_d1e9f2ba145d541d.txt
  cleaner explain page.txt --json | jq 'select(.status == "removed")'
  cleaner explain page.txt --html page.html     # removed lines struck through, with rule and why
"""
RULES_EXAMPLES = """\
examples:
  cleaner rules list
  cleaner rules list my-pack.toml --no-default-rules
  cleaner rules list --stats out.report.json    # hits per rule in a run, and rules that never fired
  cleaner rules check my-pack.toml
"""


class _Parser(argparse.ArgumentParser):
    """argparse, but usage errors are one line in the house format."""

    def error(self, message: str) -> Any:
        raise UsageError(f"{message} (see `{self.prog} --help`)")


def _add_config_options(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("rules and heuristics")
    g.add_argument(
        "--rules",
        action="append",
        default=[],
        metavar="PATH",
        help="extra rule pack file or folder (repeatable); e.g. --rules my-pack.toml",
    )
    g.add_argument("--no-default-rules", action="store_true", help="do not load the rule packs shipped with cleaner")
    g.add_argument(
        "--disable",
        action="append",
        default=[],
        metavar="ID",
        help="switch off a rule id, heuristic id or category (repeatable, or comma-separated); e.g. --disable EDGE001,share",
    )
    g.add_argument(
        "--no-templates",
        action="store_true",
        help="skip the first pass that learns each source's template lines (menus, footers shared by its pages)",
    )
    g.add_argument(
        "--template-min-docs",
        type=int,
        default=MIN_DOCS,
        metavar="N",
        help=f"a line is template when at least N documents of its source have it (default {MIN_DOCS}); e.g. --template-min-docs 10",
    )
    g.add_argument(
        "--template-min-share",
        type=float,
        default=MIN_SHARE,
        metavar="X",
        help=f"... and at least this share of the source's documents (default {MIN_SHARE}); e.g. --template-min-share 0.5",
    )
    g.add_argument("--no-heuristics", action="store_true", help="run the rule packs only; e.g. --no-heuristics")
    g.add_argument(
        "--max-removal-share",
        type=float,
        default=Config.max_removal_share,
        metavar="X",
        help=f"removal budget: above this share of removed words, prose taken by heuristics is put back and the document flagged (default {Config.max_removal_share}); e.g. --max-removal-share 0.8",
    )


def _add_language_options(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("languages")
    g.add_argument(
        "--language",
        default="auto",
        metavar="LANG",
        help="auto (default: detect each document's language and apply its packs), a code such as en "
        "(treat every document as that language), or all (apply every pack, no detection)",
    )
    g.add_argument(
        "--lang-backend",
        choices=["langdetect", "fasttext"],
        default="langdetect",
        help="language detector for --language auto (fasttext needs the fasttext extra)",
    )


def _add_dedup_options(p: argparse.ArgumentParser) -> None:
    d = DedupConfig()
    g = p.add_argument_group("near-duplicates (MinHash on the cleaned text)")
    g.add_argument(
        "--dedup",
        choices=DEDUP_MODES,
        default="flag",
        help="flag copies (default: duplicate_of, dup_cluster, dup_jaccard; keepers get dup_cluster, dup_count), "
        "drop them to a side file, or skip dedup; e.g. --dedup drop",
    )
    g.add_argument(
        "--dedup-threshold",
        type=float,
        default=d.threshold,
        metavar="J",
        help=f"Jaccard threshold (default {d.threshold}); e.g. --dedup-threshold 0.5",
    )
    g.add_argument("--dedup-ngram", type=int, default=d.n, metavar="N", help=f"words per shingle (default {d.n})")
    g.add_argument(
        "--dedup-perm", type=int, default=d.num_perm, metavar="K", help=f"MinHash permutations (default {d.num_perm})"
    )
    g.add_argument(
        "--dedup-seed",
        type=int,
        default=d.seed,
        metavar="S",
        help=f"MinHash seed (default {d.seed}, recorded in the report)",
    )
    g.add_argument(
        "--dedup-keep",
        default=d.keep,
        metavar="POLICY",
        help="which copy is kept: first (default), longest, date:FIELD (earliest), prefer:dom1,dom2; e.g. --dedup-keep date:published",
    )
    g.add_argument(
        "--dedup-verify",
        choices=["estimate", "exact"],
        default=d.verify,
        help="confirm candidates by estimated (default) or exact Jaccard",
    )
    g.add_argument(
        "--clusters",
        metavar="PATH",
        help="cluster report path (.json, plus .csv beside it; default: next to the output)",
    )
    g.add_argument(
        "--duplicates", metavar="PATH", help="side file for copies in --dedup drop (default: OUT.duplicates.jsonl)"
    )


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog=PROG, description="Clean scraped web text into a corpus, explaining every removal.")
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    fmt = argparse.RawDescriptionHelpFormatter
    p = sub.add_parser(
        "clean",
        help="clean documents",
        description="Clean documents: a .txt file, a folder of .txt files, a .jsonl file, or - (stdin: JSONL, or one text or HTML page).",
        epilog=CLEAN_EXAMPLES,
        formatter_class=fmt,
    )
    p.add_argument("input", metavar="IN", help="a .txt file, a folder of .txt files, a .jsonl file, or - for stdin")
    p.add_argument(
        "-o",
        "--output",
        required=True,
        metavar="OUT",
        help="a folder (one cleaned .txt per input), a .jsonl file, or - for stdout (JSONL)",
    )
    g = p.add_argument_group("input and output")
    g.add_argument(
        "--input-format",
        choices=list(INPUT_FORMATS),
        help="read IN (or stdin) as this format instead of guessing from its name and first bytes; e.g. --input-format text",
    )
    g.add_argument(
        "--text-field",
        default="text",
        metavar="NAME",
        help="JSONL field holding the text (default: text); e.g. --text-field body",
    )
    g.add_argument(
        "--html-field",
        default="html",
        metavar="NAME",
        help="JSONL/Parquet field holding raw HTML, used when a record has no text field (default: html)",
    )
    g.add_argument(
        "--id-field",
        default="id",
        metavar="NAME",
        help="JSONL field holding the document id (default: id); e.g. --id-field url",
    )
    g.add_argument(
        "--drop-empty",
        action="store_true",
        help="leave documents that end up empty out of the output (they are counted in the report)",
    )
    g.add_argument(
        "--overwrite", action="store_true", help="write over an existing output file or into a non-empty output folder"
    )
    g.add_argument(
        "--report",
        metavar="PATH",
        help="write the run report as JSON to PATH, and report.html beside it (default: OUT.report.json and OUT.report.html beside the output; none for stdout output); e.g. --report report.json",
    )
    g.add_argument(
        "--workers",
        type=int,
        metavar="N",
        help="processes to clean with (default: all cores); the output is the same for any N; e.g. --workers 2",
    )
    g.add_argument(
        "--backend",
        choices=list(BACKENDS),
        default="local",
        help="where documents are cleaned: local (this machine, --workers processes) or dask "
        "(a dask.distributed cluster; needs pip install 'cleaner[dask]'); the output is the same; "
        "e.g. --backend dask --scheduler tcp://10.0.0.5:8786",
    )
    g.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="the Dask scheduler to run on with --backend dask (default: start a local cluster of "
        f"--workers processes, {DASK_LOCAL_WORKERS} if not given); e.g. --scheduler tcp://10.0.0.5:8786",
    )
    g.add_argument(
        "--resume",
        action="store_true",
        help="finish a run that was interrupted (its shards are in OUT.work/); same input and options needed",
    )
    g.add_argument(
        "--shard-docs",
        type=int,
        default=SHARD_DOCS,
        metavar="N",
        help=f"input documents per shard of a resumable run (default {SHARD_DOCS}); e.g. --shard-docs 500",
    )
    g.add_argument(
        "--rejects",
        metavar="PATH",
        help="where records that cannot be read go, with their raw bytes and the reason "
        "(default: OUT.rejects.jsonl, created only when needed); e.g. --rejects bad.jsonl",
    )
    g.add_argument(
        "--lang",
        metavar="CODES",
        help="keep only documents detected as these languages (comma-separated; und = undetermined); e.g. --lang en,de",
    )
    g.add_argument(
        "--progress",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="show a progress bar on stderr (default: only on a terminal)",
    )
    _add_config_options(p)
    _add_language_options(p)
    _add_dedup_options(p)

    p = sub.add_parser(
        "explain",
        help="show every line of a document, kept or removed, with the rule",
        description="Show every line of a text file (or stdin) with the rule that removed it.",
        epilog=EXPLAIN_EXAMPLES,
        formatter_class=fmt,
    )
    p.add_argument("input", metavar="FILE", help="a text file, or - for stdin")
    p.add_argument("--json", action="store_true", help="one JSON object per line instead of coloured text")
    p.add_argument(
        "--html",
        metavar="OUT",
        help="also write a self-contained page: removed lines struck through and labelled with rule id and why; e.g. --html page.html",
    )
    p.add_argument(
        "--input-format",
        choices=["text", "html"],
        help="read FILE as plain text or as HTML (default: from the name, .html/.htm is HTML)",
    )
    p.add_argument(
        "--color",
        choices=["auto", "always", "never"],
        default="auto",
        help="colour the output (default: auto, on a terminal)",
    )
    _add_config_options(p)
    _add_language_options(p)

    p = sub.add_parser(
        "rules",
        help="list or check rule packs",
        description="List or check rule packs and heuristics.",
        epilog=RULES_EXAMPLES,
        formatter_class=fmt,
    )
    rsub = p.add_subparsers(dest="rules_command", metavar="ACTION", parser_class=_Parser)
    q = rsub.add_parser(
        "list",
        help="print every rule: id, category, action, why",
        description="Print every rule and heuristic: id, category, action, why.",
        epilog=RULES_EXAMPLES,
        formatter_class=fmt,
    )
    q.add_argument("paths", nargs="*", metavar="PATH", help="extra pack files or folders to list with the shipped ones")
    q.add_argument("--no-default-rules", action="store_true", help="list only the given packs")
    q.add_argument(
        "--stats",
        metavar="REPORT",
        help="hit counts per rule from a run (its report.json or output), then the rules that never fired; e.g. --stats out.report.json",
    )
    q = rsub.add_parser(
        "check",
        help="validate rule packs and their examples",
        description="Validate rule packs: keys, ids, regexes and that every example holds. Exit 0 when valid.",
        epilog=RULES_EXAMPLES,
        formatter_class=fmt,
    )
    q.add_argument(
        "paths",
        nargs="*",
        metavar="PATH",
        help="pack files or folders to check, together with the shipped packs (so id clashes show)",
    )
    cli_views.add_commands(sub, fmt, _add_config_options, _add_language_options)
    return parser


def config_from_args(args: argparse.Namespace) -> Config:
    disable = frozenset(x.strip() for item in args.disable for x in item.split(",") if x.strip())
    if not 0.0 < args.max_removal_share <= 1.0:
        raise UsageError(f"--max-removal-share must be above 0 and at most 1, got {args.max_removal_share}")
    return Config(
        rules=tuple(args.rules),
        default_rules=not args.no_default_rules,
        disable=disable,
        heuristics=not args.no_heuristics,
        max_removal_share=args.max_removal_share,
        language=args.language,
        lang_backend=args.lang_backend,
    )


# --- commands -----------------------------------------------------------------


def cmd_clean(args: argparse.Namespace) -> int:
    try:
        return _clean(args)
    except KeyboardInterrupt:
        work = _pending_work(args.output)
        if work is not None:
            raise Interrupted(
                f"interrupted; the processed shards are kept in {work} (run the same command again with --resume)"
            ) from None
        raise
    except OSError as exc:
        if exc.errno is None or (isinstance(exc, BrokenPipeError) and args.output == STDIO):
            raise  # a reader that stopped early ('| head'): main ends quietly
        target = exc.filename or args.output
        kind = output_kind(args.output) if args.output != STDIO else "jsonl"
        left = "the files written so far are incomplete" if kind == "dir" else "the output was not written"
        work = _pending_work(args.output)
        if work is not None:
            left += f"; the processed shards are kept in {work}"
            again = "run the same command again with --resume"
        else:
            again = "run again"
        hint = f"free some space and {again}" if exc.errno == 28 else f"check the path and permissions, then {again}"
        raise CleanerError(f"cannot write {target}: {exc.strerror}; {left} ({hint})") from None


def _work_dir(output: str) -> Path | None:
    """Where a run writing ``output`` keeps its shards (``OUT.work``); none
    for a run to stdout, which cannot be resumed."""
    return None if output == STDIO else Path(f"{output.rstrip('/')}.work")


def _pending_work(output: str) -> Path | None:
    """The work folder of an interrupted run to ``output`` (one with a
    manifest), if there is one."""
    work = _work_dir(output)
    return work if work is not None and (work / MANIFEST).is_file() else None


def _clean(args: argparse.Namespace) -> int:
    config = config_from_args(args)
    fields = Fields(id=args.id_field, text=args.text_field, html=args.html_field)
    fmt = input_format(args.input, args.input_format)
    kind = output_kind(args.output)
    work_dir = _work_dir(args.output)
    # A resumed run may write over its own incomplete output, but only when
    # there is an interrupted run to resume (WorkDir.start then checks that
    # it is this one); otherwise --resume starts afresh, as careful as ever.
    replace = args.overwrite or (args.resume and _pending_work(args.output) is not None)
    check_output(args.output, args.input, kind, replace)
    keep_langs = keep_languages(args.lang, config.lang_backend) if args.lang is not None else None
    if keep_langs and config.language != "auto":
        raise UsageError("--lang filters on detected languages; it needs --language auto")
    _check_ranges(args)
    _check_backend(args)
    if args.resume and args.output == STDIO:
        raise UsageError("--resume needs an output file or folder (a run to stdout cannot be resumed)")
    cleaner = Cleaner(config)  # loads and validates every pack before any document is read
    report_files = cli_views.clean_report_paths(args, kind)
    side = _side_paths(args, kind)
    check_run_files(args.input, args.output, _written_files(side, report_files), replace)
    job = Job(
        input=args.input,
        input_format=fmt,
        output=args.output,
        output_kind=kind,
        fields=fields,
        config=config,
        keep_langs=keep_langs,
        drop_empty=args.drop_empty,
        dedup=dedup_config_from_args(args),
        dedup_mode=args.dedup,
        workers=args.workers or (DASK_LOCAL_WORKERS if args.backend == "dask" else default_workers()),
        resume=args.resume,
        overwrite=args.overwrite,
        work_dir=work_dir,
        rejects=side.get("rejects"),
        duplicates=side.get("duplicates"),
        clusters=side.get("clusters"),
        shard_docs=args.shard_docs,
        backend=args.backend,
        scheduler=args.scheduler,
        templates=not args.no_templates,
        template_min_docs=args.template_min_docs,
        template_min_share=args.template_min_share,
    )
    # The input's size, measured once (a folder's walk is not cheap) and only if a bar is shown.
    size = functools.cache(lambda: input_size(job.input, job.input_format))
    report = run_job(job, cleaner, progress=lambda docs, what: _progress(docs, args.progress, what, size))
    report.info["seconds"] = round(report.timings["total"], 3)
    report.info["workers"] = job.workers
    report.info["config"] = _config_json(config, cleaner)
    items: list[Rule | Heuristic] = [*cleaner.rules, *cleaner.heuristics]
    report.info["rules"] = {
        item.id: {"category": item.category, "why": item.why, "action": item.action, "source": _rel_source(item.source)}
        for item in items
    }
    report.info["rules"][TEMPLATE_ID] = {
        "category": "template",
        "why": TEMPLATE_WHY,
        "action": "template pass",
        "source": "cleaner/template.py",
    }
    if report_files:
        report.info["run"] = cli_views.run_info(args, report_files[0])
        cli_views.write_run_report(report, report_files)
    print(report.summary(), file=sys.stderr)
    rejected = sum(v for k, v in report.counts.items() if k.startswith("docs_rejected."))
    if rejected and job.rejects is None:  # output to stdout and no --rejects: nowhere to put them
        print(
            f"cleaner: warning: {rejected} rejected record(s) were counted but not saved;"
            " add --rejects PATH to keep them with their reasons",
            file=sys.stderr,
        )
    if report.counts["docs_flagged.duplicate_id"]:
        n = report.counts["docs_flagged.duplicate_id"]
        print(
            f"cleaner: warning: {n} document(s) reuse an earlier id; all are kept and flagged duplicate_id",
            file=sys.stderr,
        )
    if "dedup" in report.info:
        print(_dedup_summary(report.info["dedup"]), file=sys.stderr)
    if report_files:
        print(f"cleaner: report: {report_files[0]}, {report_files[1]}", file=sys.stderr)
    return 0


def _check_ranges(args: argparse.Namespace) -> None:
    """Counts that must be positive and shares that must lie in [0, 1]."""
    for option, value in (
        ("--workers", args.workers),
        ("--shard-docs", args.shard_docs),
        ("--template-min-docs", args.template_min_docs),
    ):
        if value is not None and value < 1:
            raise UsageError(f"{option} must be at least 1, got {value}")
    if not 0.0 <= args.template_min_share <= 1.0:
        raise UsageError(f"--template-min-share must be between 0 and 1, got {args.template_min_share}")


def _check_backend(args: argparse.Namespace) -> None:
    if args.backend != "dask":
        if args.scheduler is not None:
            raise UsageError("--scheduler needs --backend dask")
        return
    if args.scheduler is not None and args.workers is not None:
        raise UsageError("--workers does not apply to --scheduler (the cluster's workers do the work); drop one")
    require_dask()


def dedup_config_from_args(args: argparse.Namespace) -> DedupConfig | None:
    if args.dedup == "off":
        return None
    return DedupConfig(
        n=args.dedup_ngram,
        num_perm=args.dedup_perm,
        threshold=args.dedup_threshold,
        seed=args.dedup_seed,
        keep=args.dedup_keep,
        verify=args.dedup_verify,
    )


def _side_paths(args: argparse.Namespace, kind: str) -> dict[str, Path]:
    """Where the rejects file, the cluster report (``.json``, plus ``.csv``
    beside it) and, in drop mode, the side file of copies go: next to the
    output (``out.jsonl.gz`` -> ``out.rejects.jsonl``, ``out/`` ->
    ``out.rejects.jsonl``) unless given."""
    stem = None if args.output == STDIO else output_stem(args.output, kind)
    paths: dict[str, Path] = {}
    if args.rejects or stem:
        paths["rejects"] = Path(args.rejects) if args.rejects else Path(f"{stem}.rejects.jsonl")
    if args.dedup != "off" and (args.clusters or stem):
        # The report is written as .json and .csv whatever suffix was given.
        paths["clusters"] = Path(args.clusters).with_suffix(".json") if args.clusters else Path(f"{stem}.clusters.json")
    if args.dedup == "drop":
        if not (args.duplicates or stem):
            raise UsageError("--dedup drop with output to stdout needs --duplicates PATH for the copies")
        paths["duplicates"] = Path(args.duplicates) if args.duplicates else Path(f"{stem}.duplicates.jsonl")
    return paths


def _written_files(side: dict[str, Path], report_files: tuple[Path, Path] | None) -> list[tuple[str, Path]]:
    """Every file a run writes besides its output, with the option that names it."""
    files = [(f"--{name}", path) for name, path in side.items()]
    if "clusters" in side:
        files.append(("--clusters", side["clusters"].with_suffix(".csv")))
    files.extend(("--report", path) for path in report_files or ())
    return files


def _dedup_summary(info: dict[str, Any]) -> str:
    p = info["params"]
    curve = ", ".join(f"J={j:.1f}: {prob:.2f}" for j, prob in info["s_curve"])
    return (
        f"cleaner: dedup ({info['mode']}): {info['copies']} near-duplicates in {info['clusters']} clusters; "
        f"threshold {p['threshold']}, {p['bands']} bands x {p['rows']} rows, P(candidate) {curve}"
    )


def _progress(stream: Iterator[Doc], wanted: bool | None, what: str, size: Callable[[], int | None]) -> Iterator[Doc]:
    """``stream`` with a tqdm bar on stderr: bytes of input read (MB/s, and
    the time left when the input's ``size()`` is known) and documents."""
    if wanted is False or (wanted is None and not sys.stderr.isatty()):
        return stream
    return _bar(stream, what, size())


def _bar(stream: Iterator[Doc], what: str, total: int | None) -> Iterator[Doc]:
    from tqdm import tqdm

    docs = 0
    with tqdm(total=total, desc=what, unit="B", unit_scale=True, file=sys.stderr, disable=False) as bar:
        for doc in stream:
            docs += 1
            bar.set_postfix_str(f"{docs:,} doc{'' if docs == 1 else 's'}", refresh=False)
            bar.update(doc.size)
            yield doc
        if total is not None and bar.n < total:  # what no document holds: blank lines, unreadable files
            bar.update(total - bar.n)


def _rel_source(source: str) -> str:
    """A pack path relative to the rules folder when it is a shipped pack."""
    try:
        return Path(source).resolve().relative_to(default_rules_dir().resolve().parent).as_posix()
    except ValueError:
        return source


def _config_json(config: Config, cleaner: Cleaner) -> dict[str, Any]:
    return {
        "rules": list(config.rules),
        "default_rules": config.default_rules,
        "disable": sorted(config.disable),
        "heuristics": config.heuristics,
        "max_removal_share": config.max_removal_share,
        "language": config.language,
        "lang_backend": config.lang_backend,
        "langdetect_seed": LANG_SEED,
        "packs": {p.path: p.sha256 for p in cleaner.ruleset.packs},
        "version": __version__,
    }


def cmd_explain(args: argparse.Namespace) -> int:
    cleaner = Cleaner(config_from_args(args))
    fmt = input_format(args.input, args.input_format)
    if fmt not in ("text", "html"):
        raise UsageError(f"{args.input}: explain takes one text or HTML document (got {fmt}); use --input-format text")
    doc = next(iter(read_docs(args.input, fmt, Fields())))
    if doc.status == "rejected":
        raise InputError(f"{args.input}: {doc.reason}")
    if doc.html is not None:
        doc.text, doc.extracted_by = extract_html(doc.html).text, "trafilatura"
    result = cleaner.clean(doc.text, extracted=doc.extracted_by is not None)
    rows = explain(doc.text, result)
    if args.html:
        cli_views.explain_html(args.input, args.html, rows, cleaner)
        return 0
    color = args.color == "always" or (args.color == "auto" and sys.stdout.isatty())
    for row in rows:
        if args.json:
            sys.stdout.write(dump_json_line(row))
        else:
            sys.stdout.write(render_row(row, color) + "\n")
    if not args.json:
        removed = sum(1 for r in rows if r["status"] == "removed")
        print(f"{removed} of {sum(1 for r in rows if r['status'] != 'blank')} lines removed", file=sys.stderr)
    return 0


def cmd_rules_list(args: argparse.Namespace) -> int:
    ruleset = load_rules(args.paths, include_default=not args.no_default_rules)
    rows = [(r.id, r.category, r.action, r.why) for r in ruleset.rules]
    if not args.no_default_rules:
        rows += [(h.id, h.category, "heuristic", h.why) for h in REGISTRY.values()]
        rows.append((TEMPLATE_ID, "template", "template", TEMPLATE_WHY))
    if args.stats:
        cli_views.print_rule_stats(args.stats, {rid: {"category": cat, "why": why} for rid, cat, _, why in rows})
        return 0
    for rid, cat, action, why in rows:
        sys.stdout.write(f"{rid:<10} {cat:<11} {action:<11} {why}\n")
    return 0


def cmd_rules_check(args: argparse.Namespace) -> int:
    ruleset = load_rules(args.paths)
    problems = [f"{r.source}: rule {r.id!r}: {p}" for r in ruleset.rules for p in example_failures(r)]
    if problems:
        raise CleanerError(problems[0] + (f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""))
    Cleaner(Config(), ruleset)  # id clashes with the heuristics
    print(f"ok: {len(ruleset.rules)} rules in {len(ruleset.packs)} packs")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
        if args.command is None:
            parser.print_help(sys.stderr)
            return EXIT_USAGE
        if args.command == "clean":
            return cmd_clean(args)
        if args.command == "explain":
            return cmd_explain(args)
        if args.command == "report":
            return cli_views.cmd_report(args)
        if args.command == "golden":
            if args.golden_command is None:
                parser.parse_args(["golden", "--help"])
            return cli_views.cmd_golden(args, Cleaner(config_from_args(args)))
        if args.rules_command == "list":
            return cmd_rules_list(args)
        if args.rules_command == "check":
            return cmd_rules_check(args)
        parser.parse_args(["rules", "--help"])
        return EXIT_USAGE
    except CleanerError as exc:
        print(f"{PROG}: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except BrokenPipeError:
        # The reader of stdout stopped early ('| head'), as a filter allows.
        # Point stdout at /dev/null, so the interpreter's final flush does not fail too.
        try:
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        except (OSError, ValueError):
            pass
        return 0
    except KeyboardInterrupt:
        print(f"{PROG}: error: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED


def entry() -> None:  # pragma: no cover - console script
    sys.exit(main())


if __name__ == "__main__":  # pragma: no cover
    entry()
