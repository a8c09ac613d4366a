"""Golden files for any corpus: each sample is pinned as ``<name>.txt`` (the
cleaned text) and ``<name>.explain.jsonl`` (one line per removal, with the
rule id). ``update`` is the only writer; ``check`` compares and says which
rule changed what, which files are missing and which are unused.

The project's own seeds use this module (``tests/golden_files.py``), and so
does ``cleaner golden update|check SAMPLES GOLDEN_DIR`` for users' pages.

>>> from cleaner.doc import CleanResult, Removal
>>> files = render_result("page", CleanResult("Kept.", [Removal(1, "ADS001", "ADVERTISEMENT")]))
>>> sorted(files)
['page.explain.jsonl', 'page.txt']
>>> rule_changes(files["page.explain.jsonl"], "")
['line 1: ADS001 no longer removes "ADVERTISEMENT"']
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from cleaner.doc import CleanResult
from cleaner.errors import InputError, UsageError
from cleaner.io.records import dump_json_line

MAX_DIFF_LINES = 100
SAMPLE_SUFFIXES = (".txt", ".html", ".htm")
GOLDEN_SUFFIXES = (".explain.jsonl", ".txt")


@dataclass(frozen=True)
class Sample:
    name: str
    text: str
    html: bool = False


@dataclass(frozen=True)
class Problem:
    """One way the golden folder disagrees with the current output."""

    kind: str  # missing | unused | differs
    name: str  # the sample (or, for unused files, the file)
    file: str
    detail: list[str]


def load_samples(path: Path) -> list[Sample]:
    """A folder of .txt/.html files (name = relative path without suffix)
    or a .jsonl file (name = the record's ``id``, made file-safe)."""
    if path.is_dir():
        files = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SAMPLE_SUFFIXES)
        return [
            Sample(
                p.relative_to(path).with_suffix("").as_posix(),
                p.read_text(encoding="utf-8", errors="replace"),
                p.suffix.lower() != ".txt",
            )
            for p in files
        ]
    if path.name.endswith(".jsonl"):
        return _jsonl_samples(path)
    if path.is_file() and path.suffix.lower() in SAMPLE_SUFFIXES:
        return [Sample(path.stem, path.read_text(encoding="utf-8", errors="replace"), path.suffix.lower() != ".txt")]
    raise UsageError(f"{path}: samples must be a folder of .txt/.html files or a .jsonl file")


def _jsonl_samples(path: Path) -> list[Sample]:
    samples: dict[str, Sample] = {}
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            rec = json.loads(line)
            doc_id, text, is_html = str(rec["id"]), rec.get("text"), "text" not in rec
            text = rec["html"] if is_html else text
        except (json.JSONDecodeError, KeyError, TypeError) as exc:
            raise InputError(f"{path}:{n}: a sample needs 'id' and 'text' (or 'html') ({exc})") from None
        name = re.sub(r"[^A-Za-z0-9._-]+", "_", doc_id).strip("._") or f"line{n}"
        if name in samples:
            raise InputError(f"{path}:{n}: id {doc_id!r} gives the same golden file name as another sample ({name})")
        samples[name] = Sample(name, str(text), is_html)
    return list(samples.values())


def render_result(name: str, result: CleanResult) -> dict[str, str]:
    """The golden files of one sample: file name -> content."""
    explain = "".join(dump_json_line(r.to_json()) for r in result.removals)
    return {f"{name}.txt": result.text + "\n", f"{name}.explain.jsonl": explain}


Render = Callable[[Sample], dict[str, str]]


def golden_files(golden: Path) -> set[str]:
    """The golden files in ``golden``: the pairs ``name.txt`` +
    ``name.explain.jsonl`` the tool writes. A ``.txt`` file without its
    explain file is someone else's and is never reported or deleted."""
    found = {
        p.relative_to(golden).as_posix() for p in golden.rglob("*") if p.is_file() and p.name.endswith(GOLDEN_SUFFIXES)
    }
    explains = {f.removesuffix(".explain.jsonl") for f in found if f.endswith(".explain.jsonl")}
    texts = {f.removesuffix(".txt") for f in found if f.endswith(".txt") and not f.endswith(".explain.jsonl")}
    return {f for name in explains & texts for f in (f"{name}.txt", f"{name}.explain.jsonl")}


def check_folders(samples_path: Path, golden: Path) -> None:
    s, g = samples_path.resolve(), golden.resolve()
    if s == g or (s.is_dir() and (g.is_relative_to(s) or s.is_relative_to(g))):
        raise UsageError(f"{golden}: the golden folder must not be or contain the samples folder {samples_path}")


def update(samples: list[Sample], golden: Path, render: Render) -> dict[str, int]:
    """Write every golden file, delete unused ones (only ``.txt`` and
    ``.explain.jsonl`` files). Returns counts by outcome."""
    golden.mkdir(parents=True, exist_ok=True)
    counts = {"created": 0, "updated": 0, "unchanged": 0, "deleted": 0}
    expected: set[str] = set()
    for sample in samples:
        for fname, content in render(sample).items():
            expected.add(fname)
            path = golden / fname
            if not path.exists():
                counts["created"] += 1
            elif path.read_text(encoding="utf-8") != content:
                counts["updated"] += 1
            else:
                counts["unchanged"] += 1
                continue
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(content, encoding="utf-8")
    for fname in sorted(golden_files(golden) - expected):
        (golden / fname).unlink()
        counts["deleted"] += 1
    return counts


def check(samples: list[Sample], golden: Path, render: Render, obtained: Path | None = None) -> list[Problem]:
    """Compare without writing (except obtained copies of differing files
    when ``obtained`` is given)."""
    problems: list[Problem] = []
    expected: set[str] = set()
    for sample in samples:
        files = render(sample)
        expected.update(files)
        for fname, content in sorted(files.items(), key=lambda kv: not kv[0].endswith(".explain.jsonl")):
            path = golden / fname
            if not path.exists():
                problems.append(Problem("missing", sample.name, fname, []))
                continue
            want = path.read_text(encoding="utf-8")
            if want == content:
                continue
            if obtained is not None:
                (obtained / fname).parent.mkdir(parents=True, exist_ok=True)
                (obtained / fname).write_text(content, encoding="utf-8")
            if fname.endswith(".explain.jsonl"):
                detail = rule_changes(want, content)
            else:
                detail = diff(want, content, fname).splitlines()
            problems.append(Problem("differs", sample.name, fname, detail))
    for fname in sorted(golden_files(golden) - expected):
        problems.append(Problem("unused", fname, fname, []))
    return problems


def rule_changes(expected: str, obtained: str) -> list[str]:
    """What each rule does differently, line by line, from two explain files."""

    def removals(text: str) -> dict[tuple[int, str, int], str]:
        out = {}
        for raw in text.splitlines():
            if raw.strip():
                r = json.loads(raw)
                out[(int(r["line"]), str(r["rule"]), int(r.get("start", -1)))] = str(r["text"])
        return out

    old, new = removals(expected), removals(obtained)
    lines = []
    for n in sorted({k[0] for k in old.keys() | new.keys()}):
        gone = {k: v for k, v in old.items() if k[0] == n and new.get(k) != v}
        came = {k: v for k, v in new.items() if k[0] == n and old.get(k) != v}
        if len(gone) == len(came) == 1 and list(gone.values()) == list(came.values()):
            (_, was, _), (_, now, _) = next(iter(gone)), next(iter(came))
            lines.append(f'line {n}: now removed by {now} instead of {was}: "{_short(next(iter(came.values())))}"')
            continue
        for (_, rule, start), text in gone.items():
            lines.append(f'line {n}: {rule} no longer removes {"span " if start >= 0 else ""}"{_short(text)}"')
        for (_, rule, start), text in came.items():
            lines.append(f'line {n}: {rule} now removes {"span " if start >= 0 else ""}"{_short(text)}"')
    return lines


def _short(text: str, width: int = 80) -> str:
    return text if len(text) <= width else text[: width - 3] + "..."


def visible(line: str) -> str:
    """White space made visible: tab →, no-break space ⍽, space ·, end ⏎."""
    return line.replace("\t", "→").replace("\u00a0", "⍽").replace(" \n", "·\n").rstrip("\n").replace(" ", "·") + "⏎"


def diff(expected: str, obtained: str, name: str, golden_label: str = "golden") -> str:
    """A unified diff with white space made visible, capped at ``MAX_DIFF_LINES``."""
    lines = list(
        difflib.unified_diff(
            [visible(x) + "\n" for x in expected.splitlines(keepends=True)],
            [visible(x) + "\n" for x in obtained.splitlines(keepends=True)],
            f"{golden_label}/{name}",
            f"obtained/{name}",
            n=1,
        )
    )
    cut = len(lines) - MAX_DIFF_LINES
    return "".join(lines[:MAX_DIFF_LINES]) + (f"... {cut} more diff lines\n" if cut > 0 else "")


def render_problems(problems: list[Problem], golden: Path, fix: str) -> str:
    """The readable report ``cleaner golden check`` prints."""
    out = []
    for p in problems:
        if p.kind == "missing":
            out.append(f"missing: {golden / p.file} (sample {p.name} has no golden file)")
        elif p.kind == "unused":
            out.append(f"unused: {golden / p.file} (no sample gives this file)")
        elif p.file.endswith(".explain.jsonl"):
            out.append(f"differs: {golden / p.file}: which rules changed what")
            out += [f"  {line}" for line in p.detail]
        else:
            out.append(f"differs: {golden / p.file}: cleaned text (golden -> now)")
            out += [f"  {line}" for line in p.detail]
    kinds = {k: sum(1 for p in problems if p.kind == k) for k in ("differs", "missing", "unused")}
    out.append(
        f"golden: {kinds['differs']} differ, {kinds['missing']} missing, {kinds['unused']} unused; "
        f"if the change is intended: {fix}"
    )
    return "\n".join(out) + "\n"
