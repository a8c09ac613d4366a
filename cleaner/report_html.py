"""report.json -> report.html: one self-contained page (inline CSS, inline
SVG charts) that shows what a run removed, how much, by which rules, with
real examples, and whether something went wrong.

Every number a reader might check carries ``data-count`` (the report key)
and ``data-value``; every bar carries ``data-key``/``data-metric``/
``data-value``; the browser test compares them with report.json. Same
report.json, same bytes.

>>> page = render_report({"version": 1, "counts": {"docs_in": 2, "words_in": 10, "words_removed": 4}})
>>> 'data-count="docs_in" data-value="2"' in page
True
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from cleaner.errors import InputError
from cleaner.htmlkit import (
    Bar,
    card,
    chip,
    colors_for,
    esc,
    fmt,
    hbar_chart,
    line_chart,
    num,
    page,
    pct,
    section,
    small_multiples,
    table,
    vbar_chart,
)

#: Pipeline stages in the order documents flow through them.
STAGE_ORDER = ("read", "extract", "lang", "clean", "empty", "dedup", "write")
#: Rules shown in the chart (all of them are in the table below it).
MAX_CHART_RULES = 40
RULE_METRICS = ("lines_removed", "words_removed", "docs_touched")


def load_report(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(f"{path}: no such report") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: not a cleaner report.json ({exc})") from None
    if not isinstance(data, dict) or "counts" not in data:
        raise InputError(f"{path}: not a cleaner report.json (no 'counts')")
    return data


def prefixed(counts: dict[str, Any], prefix: str) -> dict[str, Any]:
    """``{"NAV001": 3}`` from ``{"lines_removed.NAV001": 3}`` for prefix ``lines_removed``."""
    return {k[len(prefix) + 1 :]: v for k, v in counts.items() if k.startswith(prefix + ".")}


def rule_rows(report: dict[str, Any]) -> list[dict[str, Any]]:
    """One row per rule that fired: counts and category, most words first."""
    c = report.get("counts", {})
    info = report.get("rules", {})
    fired = set().union(*(prefixed(c, m) for m in (*RULE_METRICS, "spans_removed")))
    rows = [
        {
            "id": rid,
            "category": info.get(rid, {}).get("category", "other"),
            "why": info.get(rid, {}).get("why", ""),
            "action": info.get(rid, {}).get("action", ""),
            "spans_removed": c.get(f"spans_removed.{rid}", 0),
            **{m: c.get(f"{m}.{rid}", 0) for m in RULE_METRICS},
        }
        for rid in fired
    ]
    return sorted(rows, key=lambda r: (-r["words_removed"], -r["lines_removed"], r["id"]))


def render_report(report: dict[str, Any], title: str = "cleaner run report") -> str:
    c = report.get("counts", {})
    sections = [
        ("overview", "Overview", _overview(c)),
        ("rules", "Rules", _rules(report)),
        ("examples", "Examples", _rule_details(report)),
        ("documents", "Documents", _documents(report)),
        ("languages", "Languages", _languages(c)),
        ("dedup", "Near-duplicates", _dedup(report)),
        ("drops", "Drops and flags", _drops(report)),
        ("timings", "Timings", _timings(report)),
        ("config", "Config", _config(report)),
    ]
    cfg = report.get("config", {})
    meta = (
        f"cleaner {esc(cfg.get('version', '?'))} · report v{esc(report.get('version', '?'))}<br>"
        f"{num('docs_in', c.get('docs_in', 0), 'hdr-docs_in')} documents in {esc(report.get('seconds', '?'))} s"
    )
    subtitle = (
        f"{fmt(c.get('docs_in', 0))} documents · {fmt(c.get('words_removed', 0))} of {fmt(c.get('words_in', 0))} "
        f"words removed ({pct(c.get('words_removed', 0), c.get('words_in', 0))})"
    )
    return page(title, subtitle, "".join(body for _, _, body in sections), meta, [(a, t) for a, t, _ in sections])


def _overview(c: dict[str, Any]) -> str:
    dropped = sum(v for k, v in c.items() if k.startswith("docs_dropped."))
    rejected = sum(v for k, v in c.items() if k.startswith("docs_rejected."))
    share = c.get("words_removed", 0) / c["words_in"] if c.get("words_in") else 0.0
    hero = card(
        "words removed",
        f'<span class="n" id="share-removed" data-value="{share:.4f}">{share:.1%}</span>',
        f'<div class="meter"><i style="width:{share * 100:.1f}%"></i></div>'
        f"{num('words_removed', c.get('words_removed', 0))} of {num('words_in', c.get('words_in', 0))} words",
        hero=True,
    )
    cards = [
        hero,
        card(
            "documents",
            num("docs_in", c.get("docs_in", 0)),
            f"{num('docs_written', c.get('docs_written', 0))} written · "
            f'<span class="n" id="n-docs_dropped" data-value="{dropped}">{fmt(dropped)}</span> dropped · '
            f'<span class="n" id="n-docs_rejected" data-value="{rejected}">{fmt(rejected)}</span> rejected',
        ),
        card(
            "lines",
            num("lines_in", c.get("lines_in", 0)),
            f"→ {num('lines_out', c.get('lines_out', 0))} · {num('lines_removed', c.get('lines_removed', 0))} removed",
        ),
        card(
            "words",
            num("words_in", c.get("words_in", 0), "n-words_in-card"),
            f"→ {num('words_out', c.get('words_out', 0))} kept",
        ),
        card(
            "bytes",
            num("bytes_in", c.get("bytes_in", 0)),
            f"→ {num('bytes_out', c.get('bytes_out', 0))} ({pct(c.get('bytes_in', 0) - c.get('bytes_out', 0), c.get('bytes_in', 0))} less)",
        ),
        card(
            "flagged",
            num("docs_flagged.removal_budget", c.get("docs_flagged.removal_budget", 0)),
            f"over the removal budget · {num('docs_empty', c.get('docs_empty', 0))} empty",
        ),
    ]
    body = f'<div class="cards">{"".join(cards)}</div>'
    return section("overview", "Overview", "What went in, what came out.", body)


def _rules(report: dict[str, Any]) -> str:
    rows = rule_rows(report)
    if not rows:
        return section("rules", "Rules", "", '<p class="empty">No rule removed anything.</p>')
    colors = colors_for([r["category"] for r in rows])
    legend = '<div class="legend">' + "".join(chip(k, v) for k, v in sorted(colors.items())) + "</div>"
    shown = rows[:MAX_CHART_RULES]
    labels = [(r["id"], r["id"], colors[r["category"]]) for r in shown]
    panels = [(m.replace("_", " ").capitalize(), [r[m] for r in shown]) for m in RULE_METRICS]
    chart = small_multiples("chart-rules", labels, panels)
    more = f'<p class="muted">Top {len(shown)} of {len(rows)} rules shown.</p>' if len(rows) > len(shown) else ""
    cats: dict[str, dict[str, int]] = {}
    for r in rows:
        agg = cats.setdefault(r["category"], {"lines_removed": 0, "words_removed": 0, "rules": 0})
        agg["lines_removed"] += r["lines_removed"]
        agg["words_removed"] += r["words_removed"]
        agg["rules"] += 1
    cat_order = sorted(cats, key=lambda k: (-cats[k]["words_removed"], k))
    cat_chart = small_multiples(
        "chart-categories",
        [(k, k, colors[k]) for k in cat_order],
        [
            (m.replace("_", " ").capitalize(), [cats[k][m] for k in cat_order])
            for m in ("lines_removed", "words_removed")
        ]
        + [("Rules fired", [cats[k]["rules"] for k in cat_order])],
    )
    n_rules = len(report.get("rules", {}))
    sub = (
        f"{len(rows)} of {n_rules or '?'} rules and heuristics fired. Bars are coloured by category; "
        "hover a bar for its value."
    )
    body = f"{legend}{chart}{more}<h3>By category</h3>{cat_chart}"
    return section("rules", "Rules", sub, body)


def _rule_details(report: dict[str, Any]) -> str:
    rows = rule_rows(report)
    colors = colors_for([r["category"] for r in rows])
    examples = report.get("examples", {})
    parts = []
    for i, r in enumerate(rows):
        rid = r["id"]
        stats = (
            f"{num(f'lines_removed.{rid}', r['lines_removed'], f'd-lines-{rid}')} {_s('line', r['lines_removed'])} · "
            f"{num(f'words_removed.{rid}', r['words_removed'], f'd-words-{rid}')} {_s('word', r['words_removed'])} · "
            f"{num(f'docs_touched.{rid}', r['docs_touched'], f'd-docs-{rid}')} {_s('doc', r['docs_touched'])}"
        )
        if r["spans_removed"]:
            n_spans = r["spans_removed"]
            stats += f" · {num(f'spans_removed.{rid}', n_spans, f'd-spans-{rid}')} {_s('span', n_spans)}"
        exs = "".join(_example(e) for e in examples.get(r["id"], [])) or '<p class="empty">No example kept.</p>'
        action = f'<span class="muted">action</span> <code>{esc(r["action"])}</code>' if r["action"] else ""
        parts.append(
            f'<details class="rule" id="rule-{esc(r["id"])}"{" open" if i < 3 else ""}><summary>'
            f'<span class="id">{esc(r["id"])}</span>{chip(r["category"], colors[r["category"]])}'
            f'<span class="why">{esc(r["why"])}</span><span class="stats">{stats}</span></summary>'
            f'<div class="rulebody">{action}{exs}</div></details>'
        )
    body = "".join(parts) or '<p class="empty">No removals.</p>'
    sub = "Every rule that fired, with why it exists and up to three real removals in context (the first ones met)."
    return section("examples", "Examples", sub, body)


def _s(word: str, n: int) -> str:
    return word if n == 1 else word + "s"


def _example(e: dict[str, Any]) -> str:
    kind = "span removed from line" if e.get("span") else "line"
    before = f'<div class="ln ctx">{esc(e["before"])}</div>' if e.get("before") else ""
    after = f'<div class="ln ctx">{esc(e["after"])}</div>' if e.get("after") else ""
    return (
        f'<div class="ex"><div class="where">{esc(e.get("doc", "?"))} · {kind} {esc(e.get("line", "?"))}</div>'
        f'{before}<div class="ln gone">{esc(e.get("text", ""))}</div>{after}</div>'
    )


def _share_table(rows: list[dict[str, Any]]) -> str:
    """Documents with the words they had and lost, for the report."""
    return table(
        ["document", "words in", "removed", "share"],
        [
            [f"<code>{esc(d['id'])}</code>", fmt(d["words_in"]), fmt(d["words_removed"]), f"{d['share']:.1%}"]
            for d in rows
        ],
        num_cols=(1, 2, 3),
    )


def _documents(report: dict[str, Any]) -> str:
    c = report.get("counts", {})
    bins = prefixed(c, "removal_share")
    budget = report.get("config", {}).get("max_removal_share", 0.97)
    bars = [
        Bar(str(i), f"{i * 10}–{i * 10 + 10}%", bins.get(str(i), 0), "#6366f1" if i < 5 else "#e0569b", "")
        for i in range(10)
    ]
    bars = [
        Bar(b.key, b.label, b.value, b.color, f"{fmt(b.value)} documents lost {b.label} of their words") for b in bars
    ]
    hist = vbar_chart("chart-share", bars, width=1000, height=230, marker=(budget, f"budget {budget:.0%}"))
    docs = report.get("docs", {})
    over = docs.get("over_budget", [])
    n_over = c.get("docs_flagged.removal_budget", 0)
    over_html = (
        _share_table(over)
        if over
        else f'<p class="empty">{"None" if not n_over else "Not listed in this report"}: '
        f"{fmt(n_over)} documents over the removal budget.</p>"
    )
    most = docs.get("most_removed", [])
    most_html = _share_table(most) if most else '<p class="empty">Not recorded.</p>'
    body = (
        f"{hist}<div class=grid2><div><h3>Over the removal budget ({num('docs_flagged.removal_budget', n_over, 'n-over-budget')})</h3>"
        f"{over_html}</div><div><h3>Largest share removed</h3>{most_html}</div></div>"
    )
    sub = (
        f"Share of each document's words removed (10% bins). Above the budget ({budget:.0%}) prose taken by "
        "heuristics is put back and the document is flagged."
    )
    return section("documents", "Documents", sub, body)


def _languages(c: dict[str, Any]) -> str:
    langs = prefixed(c, "docs_lang")
    if not langs:
        return section("languages", "Languages", "", '<p class="empty">No language detection in this run.</p>')
    order = sorted(langs, key=lambda k: (-langs[k], k))
    total = sum(langs.values())
    bars = [Bar(k, k, langs[k], "#0891b2", f"{k}: {fmt(langs[k])} documents ({pct(langs[k], total)})") for k in order]
    sub = "Documents per detected language (und = undetermined: every pack applies)."
    return section("languages", "Languages", sub, hbar_chart("chart-langs", bars, width=1000, label_w=60))


def _dedup(report: dict[str, Any]) -> str:
    d = report.get("dedup")
    if not d:
        return section("dedup", "Near-duplicates", "", '<p class="empty">Dedup was off for this run.</p>')
    p = d.get("params", {})
    c = report.get("counts", {})
    cards = "".join(
        [
            card(
                "clusters",
                f'<span class="n" id="dedup-clusters" data-value="{d.get("clusters", 0)}">{fmt(d.get("clusters", 0))}</span>',
            ),
            card(
                "copies",
                f'<span class="n" id="dedup-copies" data-value="{d.get("copies", 0)}">{fmt(d.get("copies", 0))}</span>',
                f"mode {esc(d.get('mode', '?'))}",
            ),
            card("flagged", num("docs_flagged.near_dup", c.get("docs_flagged.near_dup", 0))),
        ]
    )
    params = table(
        ["parameter", "value"], [[esc(k), f"<code>{esc(v)}</code>"] for k, v in sorted(p.items())], num_cols=(1,)
    )
    curve = line_chart(
        "chart-scurve",
        [(float(j), float(pr)) for j, pr in d.get("s_curve", [])],
        vline=(float(p["threshold"]), f"threshold {p['threshold']}") if "threshold" in p else None,
        x_label="Jaccard similarity J",
        y_label="P(candidate)",
    )
    largest = d.get("largest", [])
    cluster_rows = [
        row
        for cl in largest
        for row in [[f"<code>{esc(cl['cluster'])}</code>", "keeper", f"<code>{esc(cl['keeper']['id'])}</code>", "—"]]
        + [["", "copy", f"<code>{esc(m['id'])}</code>", f"{m['jaccard']:.3f}"] for m in cl["copies"]]
    ]
    clusters = (
        table(["cluster", "role", "document", "Jaccard to keeper"], cluster_rows, num_cols=(3,))
        if largest
        else '<p class="empty">No clusters.</p>'
    )
    body = (
        f'<div class="cards">{cards}</div><div class="grid2"><div><h3>S-curve: chance two documents become '
        f"candidates</h3>{curve}</div><div><h3>MinHash parameters</h3>{params}</div></div>"
        f"<h3>Largest clusters</h3>{clusters}"
    )
    return section("dedup", "Near-duplicates", "MinHash + LSH on the cleaned text.", body)


def _drops(report: dict[str, Any]) -> str:
    c = report.get("counts", {})
    rows = [
        (k, v)
        for k, v in sorted(c.items())
        if k.startswith(("docs_dropped.", "docs_rejected.", "docs_flagged.", "docs_extracted."))
    ]
    rows += [(k, c[k]) for k in ("docs_empty",) if k in c]
    counts_html = (
        table(
            ["reason", "documents"],
            [[f"<code>{esc(k)}</code>", num(k, v, f"drop-{k}")] for k, v in rows],
            num_cols=(1,),
        )
        if rows
        else '<p class="empty">Nothing dropped or flagged.</p>'
    )
    docs = report.get("docs", {})
    listed = [(kind, d) for kind in ("dropped", "rejected", "empty") for d in docs.get(kind, [])]
    docs_html = (
        table(
            ["", "document", "reason"], [[esc(k), f"<code>{esc(d['id'])}</code>", esc(d["reason"])] for k, d in listed]
        )
        if listed
        else '<p class="empty">No document dropped, rejected or left empty.</p>'
    )
    body = f'<div class="grid2"><div>{counts_html}</div><div>{docs_html}</div></div>'
    return section("drops", "Drops and flags", "Every drop and reject carries a reason and is counted.", body)


def _timings(report: dict[str, Any]) -> str:
    t = report.get("timings", {})
    order = [s for s in STAGE_ORDER if s in t] + sorted(s for s in t if s not in STAGE_ORDER)
    bars = [Bar(s, s, t[s], "#7c3aed", f"{s}: {t[s]:.3f} s") for s in order]
    sub = f"Seconds spent in each stage; the whole run took {esc(report.get('seconds', '?'))} s."
    chart = hbar_chart("chart-timings", bars, width=1000, label_w=70, unit=" s") if bars else ""
    return section("timings", "Timings", sub, chart or '<p class="empty">No timings.</p>')


def _config(report: dict[str, Any]) -> str:
    cfg = dict(report.get("config", {}))
    packs = cfg.pop("packs", {})
    rows = [[esc(k), f"<code>{esc(json.dumps(v, sort_keys=True))}</code>"] for k, v in sorted(cfg.items())]
    run = report.get("run", {})
    rows += [[esc(f"run.{k}"), f"<code>{esc(json.dumps(v))}</code>"] for k, v in sorted(run.items())]
    pack_rows = [
        [f"<code>{esc(path)}</code>", f'<code title="{esc(sha)}">{esc(sha[:16])}…</code>']
        for path, sha in sorted(packs.items())
    ]
    body = (
        f'<div class="grid2"><div><h3>Settings</h3>{table(["key", "value"], rows)}</div>'
        f"<div><h3>Rule packs ({len(packs)}, sha256)</h3><div class=scroll>{table(['pack', 'sha256'], pack_rows)}</div></div></div>"
    )
    return section("config", "Config", "The exact settings and rule-pack hashes, to reproduce this run.", body)


def write_html(report: dict[str, Any], path: Path) -> None:
    path.write_text(render_report(report), encoding="utf-8")
