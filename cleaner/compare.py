"""What changed between two runs: totals and per-rule counts from their
report.json files, and the documents whose output text changed (from the
two outputs found beside the reports, ids matched). This is how a rule
change is judged on one's own corpus.

Outputs are compared without holding both corpora in memory: run A's texts
are hashed by id, run B is streamed against them, and only the first
``limit`` changed documents are read again for their diff.

>>> a = {"counts": {"lines_removed": 3, "lines_removed.SHARE001": 3, "words_removed.SHARE001": 9}}
>>> b = {"counts": {"lines_removed": 1, "lines_removed.SHARE001": 1, "words_removed.SHARE001": 3}}
>>> [(d.key, d.a, d.b) for d in total_deltas(a, b)]
[('lines_removed', 3, 1)]
>>> [(r.id, r.a["lines_removed"], r.b["lines_removed"]) for r in rule_deltas(a, b)]
[('SHARE001', 3, 1)]
"""

from __future__ import annotations

import difflib
import gzip
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import xxhash

from cleaner.errors import InputError
from cleaner.report_html import RULE_METRICS, load_report, prefixed
from cleaner.runs import find_output, find_report

#: Totals shown in a comparison, when either run has them.
TOTAL_KEYS = (
    "docs_in",
    "docs_written",
    "docs_empty",
    "lines_in",
    "lines_out",
    "lines_removed",
    "words_in",
    "words_out",
    "words_removed",
    "bytes_out",
    "dup_clusters",
)
#: Changed documents shown with their diff.
EXAMPLE_DOCS = 10
#: Diff lines shown per changed document.
DIFF_LINES = 40


@dataclass
class Run:
    name: str
    report_path: Path
    report: dict[str, Any]
    output: Path | None


@dataclass(frozen=True)
class Delta:
    key: str
    a: int
    b: int


@dataclass(frozen=True)
class RuleDelta:
    id: str
    a: dict[str, int]
    b: dict[str, int]


@dataclass
class DocChanges:
    compared: int = 0
    changed: int = 0
    only_a: list[str] = field(default_factory=list)
    only_b: list[str] = field(default_factory=list)
    examples: list[tuple[str, list[str]]] = field(default_factory=list)


@dataclass
class Comparison:
    a: Run
    b: Run
    totals: list[Delta]
    rules: list[RuleDelta]
    docs: DocChanges | None
    why_no_docs: str = ""


def load_run(run: str, name: str) -> Run:
    path = find_report(run)
    report = load_report(path)
    return Run(name, path, report, find_output(path, report))


def total_deltas(a: dict[str, Any], b: dict[str, Any]) -> list[Delta]:
    ca, cb = a.get("counts", {}), b.get("counts", {})
    extra = sorted(k for k in {*ca, *cb} if k.startswith(("docs_dropped.", "docs_flagged.")))
    keys = [k for k in (*TOTAL_KEYS, *extra) if k in ca or k in cb]
    return [Delta(k, ca.get(k, 0), cb.get(k, 0)) for k in keys if ca.get(k, 0) != cb.get(k, 0)]


def rule_deltas(a: dict[str, Any], b: dict[str, Any]) -> list[RuleDelta]:
    """Rules whose lines, words or documents touched differ, largest word change first."""
    ca, cb = a.get("counts", {}), b.get("counts", {})
    per_a = {m: prefixed(ca, m) for m in RULE_METRICS}
    per_b = {m: prefixed(cb, m) for m in RULE_METRICS}
    ids = set().union(*per_a.values(), *per_b.values())
    rows = [
        RuleDelta(rid, {m: per_a[m].get(rid, 0) for m in RULE_METRICS}, {m: per_b[m].get(rid, 0) for m in RULE_METRICS})
        for rid in ids
    ]
    rows = [r for r in rows if r.a != r.b]
    return sorted(rows, key=lambda r: (-abs(r.b["words_removed"] - r.a["words_removed"]), r.id))


def compare_runs(run_a: str, run_b: str, limit: int = EXAMPLE_DOCS) -> Comparison:
    a, b = load_run(run_a, "A"), load_run(run_b, "B")
    docs, why = None, ""
    if a.output is None or b.output is None:
        missing = [r for r in (a, b) if r.output is None]
        why = ", ".join(f"no output found beside {r.report_path}" for r in missing)
    else:
        docs = compare_outputs(a, b, limit)
    return Comparison(a, b, total_deltas(a.report, b.report), rule_deltas(a.report, b.report), docs, why)


def compare_outputs(a: Run, b: Run, limit: int = EXAMPLE_DOCS) -> DocChanges:
    assert a.output is not None and b.output is not None
    hashes = {doc_id: _hash(text) for doc_id, text in read_output(a.output, a.report)}
    out = DocChanges()
    changed: list[str] = []
    texts_b: dict[str, str] = {}
    seen: set[str] = set()
    for doc_id, text in read_output(b.output, b.report):
        seen.add(doc_id)
        if doc_id not in hashes:
            out.only_b.append(doc_id)
            continue
        out.compared += 1
        if hashes[doc_id] != _hash(text):
            out.changed += 1
            if len(changed) < limit:
                changed.append(doc_id)
                texts_b[doc_id] = text
    out.only_a = [d for d in hashes if d not in seen]
    wanted = set(changed)
    texts_a = {d: t for d, t in read_output(a.output, a.report) if d in wanted}
    out.examples = [(d, text_diff(texts_a[d], texts_b[d])) for d in changed]
    return out


def text_diff(a: str, b: str, cap: int = DIFF_LINES) -> list[str]:
    """Unified diff lines (without the file header), capped."""
    lines = list(difflib.unified_diff(a.splitlines(), b.splitlines(), lineterm="", n=1))[2:]
    return lines[:cap] + ([f"... {len(lines) - cap} more diff lines"] if len(lines) > cap else [])


def _hash(text: str) -> int:
    return int(xxhash.xxh3_64_intdigest(text.encode("utf-8")))


def read_output(path: Path, report: dict[str, Any]) -> Iterator[tuple[str, str]]:
    """(id, text) of every document in a run's output: a folder of .txt
    files (id = relative path), JSONL (plain, .gz, .zst) or Parquet."""
    run = report.get("run", {})
    id_field, text_field = run.get("id_field", "id"), run.get("text_field", "text")
    if path.is_dir():
        for p in sorted(path.rglob("*.txt")):
            yield p.relative_to(path).as_posix(), p.read_text(encoding="utf-8")
        return
    if path.name.endswith(".parquet"):
        import pyarrow.parquet as pq

        for batch in pq.ParquetFile(path).iter_batches(columns=[id_field, text_field]):
            for row in batch.to_pylist():
                yield str(row[id_field]), row[text_field] or ""
        return
    with _open_text(path) as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
                yield str(record[id_field]), record.get(text_field) or ""
            except (json.JSONDecodeError, KeyError, TypeError) as exc:
                raise InputError(f"{path}:{n}: not an output record with {id_field!r} ({exc})") from None


def _open_text(path: Path) -> IO[str]:
    if path.name.endswith(".gz"):
        return io.TextIOWrapper(gzip.open(path, "rb"), encoding="utf-8")
    if path.name.endswith(".zst"):
        import zstandard

        raw = zstandard.ZstdDecompressor().stream_reader(path.open("rb"))
        return io.TextIOWrapper(raw, encoding="utf-8")
    return path.open(encoding="utf-8")


# --- rendering -------------------------------------------------------------------


def _signed(n: int) -> str:
    return f"{n:+,}" if n else "0"


def render_text(c: Comparison) -> str:
    out = [f"cleaner: comparing A {c.a.report_path} with B {c.b.report_path}"]
    if c.totals:
        out.append("totals (A -> B):")
        out += [f"  {d.key:<32} {d.a:>10,} -> {d.b:>10,}  ({_signed(d.b - d.a)})" for d in c.totals]
    else:
        out.append("totals: no change")
    if c.rules:
        out.append("rules whose counts changed (A -> B):")
        for r in c.rules:
            parts = [f"{m.split('_')[0]} {r.a[m]:,} -> {r.b[m]:,} ({_signed(r.b[m] - r.a[m])})" for m in RULE_METRICS]
            out.append(f"  {r.id:<10} " + ", ".join(parts))
    else:
        out.append("rules: no count changed")
    out += _render_docs_text(c)
    return "\n".join(out) + "\n"


def _render_docs_text(c: Comparison) -> list[str]:
    d = c.docs
    if d is None:
        return [f"documents: not compared ({c.why_no_docs})"]
    out = [
        f"documents: {d.compared:,} in both, {d.changed:,} changed, {len(d.only_a):,} only in A, "
        f"{len(d.only_b):,} only in B (outputs {c.a.output} and {c.b.output})"
    ]
    for doc_id, diff in d.examples:
        out.append(f"changed: {doc_id}")
        out += [f"  {line}" for line in diff]
    if d.changed > len(d.examples):
        out.append(f"... and {d.changed - len(d.examples):,} more changed documents")
    return out


def render_html(c: Comparison) -> str:
    from cleaner.htmlkit import card, esc, page, section, table

    def signed_cell(a: int, b: int) -> str:
        cls = "pos" if b > a else "neg" if b < a else "muted"
        return f'<span class="{cls}">{_signed(b - a)}</span>'

    totals = table(
        ["count", "A", "B", "change"],
        [[f"<code>{esc(d.key)}</code>", f"{d.a:,}", f"{d.b:,}", signed_cell(d.a, d.b)] for d in c.totals],
        num_cols=(1, 2, 3),
    )
    rule_rows = [
        [f'<code id="cmp-{esc(r.id)}" data-rule="{esc(r.id)}">{esc(r.id)}</code>']
        + [f"{r.a[m]:,} → {r.b[m]:,} {signed_cell(r.a[m], r.b[m])}" for m in RULE_METRICS]
        for r in c.rules
    ]
    rules = table(["rule", "lines removed", "words removed", "docs touched"], rule_rows, num_cols=(1, 2, 3))
    d = c.docs
    if d is None:
        docs = f'<p class="empty">Not compared: {esc(c.why_no_docs)}.</p>'
        cards = ""
    else:
        cards = "".join(
            card(k, f'<span class="n" id="cmp-{k.replace(" ", "-")}" data-value="{v}">{v:,}</span>')
            for k, v in (
                ("in both", d.compared),
                ("changed", d.changed),
                ("only in A", len(d.only_a)),
                ("only in B", len(d.only_b)),
            )
        )
        docs = (
            "".join(
                f"<h3><code>{esc(doc_id)}</code></h3><div class=diff>"
                + "".join(f'<div class="{_diff_class(line)}">{esc(line) or " "}</div>' for line in diff)
                + "</div>"
                for doc_id, diff in d.examples
            )
            or '<p class="empty">No document changed.</p>'
        )
        cards = f'<div class="cards">{cards}</div>'
    body = (
        section(
            "totals",
            "Totals",
            "Counts that differ between the runs.",
            totals if c.totals else '<p class="empty">No change.</p>',
        )
        + section(
            "rules",
            "Rules",
            "Rules whose counts changed, largest change in words first.",
            rules if c.rules else '<p class="empty">No change.</p>',
        )
        + section(
            "docs",
            "Documents whose output changed",
            f"Outputs: {esc(c.a.output)} (A) and {esc(c.b.output)} (B), ids matched.",
            cards + docs,
        )
    )
    return page("cleaner run comparison", f"A: {c.a.report_path}  →  B: {c.b.report_path}", body)


def _diff_class(line: str) -> str:
    if line.startswith("@@"):
        return "hunk"
    return {"+": "add", "-": "del"}.get(line[:1], "")
