"""``cleaner explain FILE --html OUT.html``: the document as a page, removed
lines struck through and labelled with the rule id and its ``why``;
removed spans marked inside their line, hover showing the rule and the
exact text matched. Self-contained, like the run report.

>>> rows = [{"line": 1, "status": "removed", "rule": "ADS001", "text": "ADVERTISEMENT"},
...         {"line": 2, "status": "kept", "text": "The bridge will close."}]
>>> page = render_explain("page.txt", rows, {"ADS001": {"why": "Ad slot labels.", "category": "ads"}})
>>> 'data-rule="ADS001"' in page and "<del" not in page
True
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from cleaner.htmlkit import card, chip, colors_for, esc, page, section


def render_explain(name: str, rows: list[dict[str, Any]], rules: dict[str, dict[str, str]]) -> str:
    removed = sum(1 for r in rows if r["status"] == "removed")
    stripped = sum(1 for r in rows if r["status"] == "stripped")
    nonblank = sum(1 for r in rows if r["status"] != "blank")
    hits: Counter[str] = Counter()
    for r in rows:
        if r["status"] == "removed":
            hits[r["rule"]] += 1
        for s in r.get("spans", []):
            hits[s["rule"]] += 1
    colors = colors_for([rules.get(k, {}).get("category", "other") for k in hits])
    legend = "".join(
        f"<tr><td><code>{esc(rid)}</code></td><td>{chip(rules.get(rid, {}).get('category', 'other'), colors[rules.get(rid, {}).get('category', 'other')])}</td>"
        f'<td class="r" data-rule-hits="{esc(rid)}">{n}</td><td>{esc(rules.get(rid, {}).get("why", ""))}</td></tr>'
        for rid, n in sorted(hits.items(), key=lambda kv: (-kv[1], kv[0]))
    )
    cards = (
        '<div class="cards">'
        + card("lines", f'<span class="n" id="ex-lines" data-value="{nonblank}">{nonblank:,}</span>', "non-blank")
        + card("removed", f'<span class="n" id="ex-removed" data-value="{removed}">{removed:,}</span>', "whole lines")
        + card(
            "stripped",
            f'<span class="n" id="ex-stripped" data-value="{stripped}">{stripped:,}</span>',
            "lines that lost a span",
        )
        + "</div>"
    )
    rules_table = (
        f"<h3>Rules that fired</h3><table><thead><tr><th>rule</th><th>category</th><th class=r>hits</th>"
        f"<th>why</th></tr></thead><tbody>{legend}</tbody></table>"
        if legend
        else '<p class="empty">Nothing removed.</p>'
    )
    doc = '<div class="doc">' + "".join(_row(r, rules) for r in rows) + "</div>"
    body = section("summary", "Summary", "", cards + rules_table) + section(
        "document", "Document", "Struck-through lines were removed; hover a marked span to see what matched.", doc
    )
    subtitle = f"{removed} of {nonblank} lines removed, {stripped} stripped"
    return page(f"cleaner explain: {name}", subtitle, body)


def _row(row: dict[str, Any], rules: dict[str, dict[str, str]]) -> str:
    status, n = row["status"], row["line"]
    text = _marked(row["text"], row["spans"], rules) if row.get("spans") else esc(row["text"]) or "&nbsp;"
    tag = ""
    if status == "removed":
        why = rules.get(row["rule"], {}).get("why", "")
        detail = f" ({esc(row['detail'])})" if row.get("detail") else ""
        tag = f'<span class="tag"><b>{esc(row["rule"])}</b> · {esc(why)}{detail}</span>'
        tip = f"{row['rule']}: {why}"
        return (
            f'<div class="row removed" id="L{n}" data-line="{n}" data-status="removed" data-rule="{esc(row["rule"])}" '
            f'data-tip="{esc(tip)}"><span class="no">{n}</span><span><span class="t">{text}</span>{tag}</span></div>'
        )
    if status == "stripped":
        ids = ", ".join(dict.fromkeys(s["rule"] for s in row.get("spans", [])))
        whys = "; ".join(dict.fromkeys(esc(rules.get(s["rule"], {}).get("why", "")) for s in row.get("spans", [])))
        tag = f'<span class="tag"><b>{esc(ids)}</b> · {whys}</span>'
    attr = f' data-rule="{esc(row.get("rule", ""))}"' if status == "stripped" else ""
    return (
        f'<div class="row {status}" id="L{n}" data-line="{n}" data-status="{status}"{attr}>'
        f'<span class="no">{n}</span><span><span class="t">{text}</span>{tag}</span></div>'
    )


def _marked(text: str, spans: list[dict[str, Any]], rules: dict[str, dict[str, str]]) -> str:
    out, pos = [], 0
    for s in sorted(spans, key=lambda s: s["start"]):
        why = rules.get(s["rule"], {}).get("why", "")
        tip = f"{s['rule']} removed “{s['text']}”: {why}"
        out.append(esc(text[pos : s["start"]]))
        out.append(
            f'<mark class="span" data-rule="{esc(s["rule"])}" data-tip="{esc(tip)}" title="{esc(tip)}">'
            f"{esc(text[s['start'] : s['end']])}</mark>"
        )
        pos = s["end"]
    out.append(esc(text[pos:]))
    return "".join(out)
