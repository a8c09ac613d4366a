"""Line-by-line explanation of a cleaning: every input line, kept or
removed, with the rule that removed it.

>>> from cleaner import clean_text
>>> text = "Share this article\\nThe bridge will close for repairs on Monday, the council said."
>>> for row in explain(text, clean_text(text)):
...     print(render_row(row, color=False))
   1 - SHARE001   Share this article
   2 +            The bridge will close for repairs on Monday, the council said.
"""

from __future__ import annotations

from typing import Any

from cleaner.doc import CleanResult
from cleaner.page import split_lines

_RED, _GREEN, _YELLOW, _DIM, _RESET = "\033[31m", "\033[32m", "\033[33m", "\033[2m", "\033[0m"


def explain(text: str, result: CleanResult) -> list[dict[str, Any]]:
    """One row per input line: ``line``, ``status`` (kept, removed,
    stripped or blank), ``rule`` (for removed and stripped lines, joined
    with commas when several rules took spans), ``text`` and, for stripped
    lines, the removed ``spans``."""
    whole = {r.line: r for r in result.removals if not r.is_span}
    spans: dict[int, list[dict[str, Any]]] = {}
    for r in result.removals:
        if r.is_span:
            spans.setdefault(r.line, []).append({"rule": r.rule, "start": r.start, "end": r.end, "text": r.text})
    rows = []
    for n, line in enumerate(split_lines(text), 1):
        row: dict[str, Any] = {"line": n, "text": line}
        if n in whole:
            row["status"] = "removed"
            row["rule"] = whole[n].rule
            if whole[n].detail:
                row["detail"] = whole[n].detail
        elif n in spans:
            row["status"] = "stripped"
            row["rule"] = ",".join(dict.fromkeys(s["rule"] for s in spans[n]))
        else:
            row["status"] = "kept" if line.strip() else "blank"
        if n in spans:
            row["spans"] = spans[n]
        rows.append(row)
    return rows


def render_row(row: dict[str, Any], color: bool) -> str:
    """A terminal line for one row: number, ``-``/``~``/``+``, rule, text."""
    mark = {"removed": "-", "stripped": "~", "kept": "+", "blank": " "}[row["status"]]
    rule = row.get("rule", "")
    text = row["text"]
    if row["status"] == "stripped" and color:
        text = _mark_spans(text, row["spans"])
    line = f"{row['line']:4d} {mark} {rule:<10} {text}".rstrip()
    if not color:
        return line
    tint = {"removed": _RED, "stripped": _YELLOW, "kept": _GREEN, "blank": ""}[row["status"]]
    return f"{_DIM}{row['line']:4d}{_RESET} {tint}{mark} {rule:<10}{_RESET} {text}".rstrip()


def _mark_spans(text: str, spans: list[dict[str, Any]]) -> str:
    out, pos = [], 0
    for s in sorted(spans, key=lambda s: s["start"]):
        out.append(text[pos : s["start"]])
        out.append(f"{_RED}[{text[s['start'] : s['end']]}]{_RESET}")
        pos = s["end"]
    out.append(text[pos:])
    return "".join(out)
