"""Where a run's files live, and what a run's report says about its rules.

A run writes ``OUT.report.json`` and ``OUT.report.html`` beside its output
(``out.jsonl`` -> ``out.report.json``; ``out/`` -> ``out.report.json``
beside the folder), or where ``--report PATH`` says.

>>> report_paths("data/out.jsonl.gz", "jsonl")
(PosixPath('data/out.report.json'), PosixPath('data/out.report.html'))
>>> report_paths("out/", "dir")
(PosixPath('out.report.json'), PosixPath('out.report.html'))
>>> report_paths("-", "jsonl", "r.json")
(PosixPath('r.json'), PosixPath('r.html'))
>>> report_paths("-", "jsonl") is None
True
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from cleaner.errors import CleanerError, InputError, UsageError
from cleaner.io.formats import STDIO, overlaps_input, split_compression
from cleaner.report_html import prefixed

REPORT_SUFFIX = ".report.json"
#: Output files a report may belong to, tried in this order beside it.
OUTPUT_SUFFIXES = (".jsonl", ".jsonl.gz", ".jsonl.zst", ".ndjson", ".parquet", "")


def html_path_for(json_path: Path) -> Path:
    """``report.json`` -> ``report.html``; any other name gets ``.html`` added."""
    return json_path.with_suffix(".html") if json_path.suffix == ".json" else Path(f"{json_path}.html")


def output_stem(output: str, kind: str) -> Path:
    """``out.jsonl.zst`` -> ``out``; a folder ``out/`` -> ``out``."""
    out = Path(output.rstrip("/") or output)
    name = split_compression(out.name)[0]
    return out.parent / (name if kind == "dir" else Path(name).stem)


def report_paths(output: str, kind: str, report: str | None = None) -> tuple[Path, Path] | None:
    """The report.json and report.html paths of a run (``None``: output
    on stdout and no ``--report``)."""
    if report:
        return Path(report), html_path_for(Path(report))
    if output == STDIO:
        return None
    stem = output_stem(output, kind)
    return Path(f"{stem}{REPORT_SUFFIX}"), Path(f"{stem}.report.html")


def check_run_files(inp: str, out: str, side: Sequence[tuple[str, Path]], overwrite: bool) -> None:
    """Refuse a run whose files would clash: ``side`` lists every other file
    it writes, as (option, path). None may be the input or sit inside an
    input folder (not even with ``overwrite``), no two may be the same file
    (the output included), and none may exist unless ``overwrite``.

    >>> check_run_files("in.jsonl", "out.jsonl", [("--rejects", Path("in.jsonl"))], True)
    Traceback (most recent call last):
    cleaner.errors.UsageError: in.jsonl: --rejects would overwrite or sit inside the input in.jsonl; choose another --rejects path
    >>> check_run_files("in.jsonl", "out.jsonl", [("--report", Path("out.jsonl"))], True)
    Traceback (most recent call last):
    cleaner.errors.UsageError: out.jsonl: -o and --report would write the same file; give them different paths
    """
    taken: dict[Path, str] = {} if out == STDIO else {Path(out).resolve(): "-o"}
    for option, path in side:
        p = path.resolve()
        if overlaps_input(p, inp):
            raise UsageError(
                f"{path}: {option} would overwrite or sit inside the input {inp}; choose another {option} path"
            )
        if p in taken:
            raise UsageError(f"{path}: {taken[p]} and {option} would write the same file; give them different paths")
        taken[p] = option
    for _, path in side:
        if path.exists() and not overwrite:
            raise UsageError(f"{path}: already exists; remove it or pass --overwrite")
    for option, path in [*([] if out == STDIO else [("-o", Path(out))]), *side]:
        check_writable(path, option)


def check_writable(path: Path, option: str) -> None:
    """Fail before the run, not after it, when ``path`` cannot be written:
    its nearest existing ancestor must be a folder we may write in (the
    missing folders below it are created when the file is written)."""
    folder = path.absolute().parent
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    if not folder.is_dir() or not os.access(folder, os.W_OK | os.X_OK):
        what = "not a folder" if not folder.is_dir() else "not writable"
        raise CleanerError(f"cannot write {path}: {folder} is {what}; choose another {option} path")


def find_report(run: str) -> Path:
    """The report.json of RUN: the file itself, a folder's ``report.json``,
    or the report beside an output path."""
    path = Path(run)
    if path.is_file() and path.suffix == ".json":
        return path
    if path.is_dir() and (path / "report.json").is_file():
        return path / "report.json"
    base, _ = split_compression(path.name)
    kind = "dir" if path.is_dir() or not Path(base).suffix else "jsonl"
    candidate = report_paths(run, kind)
    if candidate and candidate[0].is_file():
        return candidate[0]
    raise InputError(f"{run}: no report.json found (looked for {candidate[0] if candidate else run})")


def relative_to_report(target: str, report_json: Path) -> str:
    """``target`` as recorded in the report: relative to the report's folder."""
    return os.path.relpath(Path(target).resolve(), report_json.resolve().parent)


def find_output(report_json: Path, report: dict[str, Any]) -> Path | None:
    """The output a report belongs to: the path it recorded (relative to
    the report), else a file or folder beside it with the same stem."""
    recorded = report.get("run", {}).get("output")
    if recorded and recorded != STDIO:
        path = report_json.parent / recorded
        if path.exists():
            return path
    name = report_json.name
    stem = name[: -len(REPORT_SUFFIX)] if name.endswith(REPORT_SUFFIX) else Path(name).stem
    for suffix in OUTPUT_SUFFIXES:
        path = report_json.parent / f"{stem}{suffix}"
        if path.exists() and path != report_json:
            return path
    return None


def rule_stats(report: dict[str, Any], all_rules: dict[str, dict[str, str]]) -> list[dict[str, Any]]:
    """Per rule (every loaded rule and heuristic plus any the report names):
    lines, spans and words removed and documents touched in the run, most
    hits first, then the rules that never fired, by id."""
    c = report.get("counts", {})
    known = {**report.get("rules", {}), **all_rules}
    metrics = ("lines_removed", "spans_removed", "words_removed", "docs_touched")
    per = {m: prefixed(c, m) for m in metrics}
    ids = set(known).union(*per.values())
    rows = [
        {
            "id": rid,
            "category": known.get(rid, {}).get("category", "?"),
            "why": known.get(rid, {}).get("why", ""),
            **{m: per[m].get(rid, 0) for m in metrics},
        }
        for rid in ids
    ]
    return sorted(rows, key=lambda r: (-(r["lines_removed"] + r["spans_removed"]), -r["words_removed"], r["id"]))


#: Clusters listed in the report, largest first.
LARGEST_CLUSTERS = 10


def largest_clusters(clusters: list[Any], n: int = LARGEST_CLUSTERS) -> list[dict[str, Any]]:
    """The ``n`` largest near-duplicate clusters (ties: keeper input order),
    as in the cluster report: keeper and copies with their Jaccard."""
    ranked = sorted(clusters, key=lambda c: (-len(c.copies), c.keeper.index))
    return [c.to_json() for c in ranked[:n]]
