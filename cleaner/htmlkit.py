"""Small building blocks for the self-contained HTML pages (run report,
comparison, explain view): escaping, number cells, the page shell with its
inline CSS, and inline SVG charts drawn here in Python.

No network and no external script: a page is one file that opens anywhere.
Output is deterministic (no clock, no random ids), so the same data gives
the same bytes.

>>> num("docs_in", 1234)
'<span class="n" id="n-docs_in" data-count="docs_in" data-value="1234">1,234</span>'
>>> 'class="bar"' in hbar_chart("demo", [Bar("a", "A", 3)])
True
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass

#: Colours for categories, assigned in sorted category order.
PALETTE = (
    "#4f46e5",
    "#0891b2",
    "#db2777",
    "#ea580c",
    "#16a34a",
    "#9333ea",
    "#ca8a04",
    "#2563eb",
    "#dc2626",
    "#0d9488",
    "#7c3aed",
    "#65a30d",
)
ACCENT = "#4f46e5"


def esc(value: object) -> str:
    return html.escape(str(value), quote=True)


def fmt(value: float) -> str:
    """``1,234`` for counts, ``0.125`` for fractions.

    >>> fmt(2558), fmt(0.4), fmt(1.0)
    ('2,558', '0.4', '1')
    """
    if isinstance(value, int) or float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.3f}".rstrip("0").rstrip(".")


def pct(part: float, whole: float) -> str:
    """``22%``; ``0%`` for an empty whole.

    >>> pct(555, 2558), pct(1, 0)
    ('22%', '0%')
    """
    return f"{part / whole:.0%}" if whole else "0%"


def num(key: str, value: float, ident: str | None = None) -> str:
    """A number a test can find: ``data-count`` names the report key and
    ``data-value`` holds the raw value."""
    return (
        f'<span class="n" id="{esc(ident or "n-" + key)}" data-count="{esc(key)}" data-value="{esc(value)}">'
        f"{fmt(value)}</span>"
    )


def chip(text: str, color: str = ACCENT) -> str:
    return f'<span class="chip" style="--c:{color}">{esc(text)}</span>'


def colors_for(names: Sequence[str]) -> dict[str, str]:
    """A stable colour per name (sorted order, palette cycled)."""
    return {name: PALETTE[i % len(PALETTE)] for i, name in enumerate(sorted(set(names)))}


def table(head: Sequence[str], rows: Sequence[Sequence[str]], cls: str = "", num_cols: Sequence[int] = ()) -> str:
    """An HTML table; cells are already HTML. ``num_cols`` are right-aligned."""
    th = "".join(f'<th class="{"r" if i in num_cols else ""}">{h}</th>' for i, h in enumerate(head))
    body = "".join(
        "<tr>" + "".join(f'<td class="{"r" if i in num_cols else ""}">{c}</td>' for i, c in enumerate(r)) + "</tr>"
        for r in rows
    )
    return f'<table class="{cls}"><thead><tr>{th}</tr></thead><tbody>{body}</tbody></table>'


# --- charts ---------------------------------------------------------------------


@dataclass(frozen=True)
class Bar:
    key: str
    label: str
    value: float
    color: str = ACCENT
    tip: str = ""


def _f(x: float) -> str:
    return f"{x:.1f}"


def hbar_chart(chart_id: str, bars: Sequence[Bar], width: int = 560, label_w: int = 110, unit: str = "") -> str:
    """Horizontal bars, one per row, with the value at the bar's end."""
    row_h, pad = 24, 6
    top = max((b.value for b in bars), default=0) or 1
    plot_w = width - label_w - 70
    height = row_h * len(bars) + pad * 2
    parts = [_svg_open(chart_id, width, height, "hbar")]
    for i, b in enumerate(bars):
        y = pad + i * row_h
        w = max(plot_w * b.value / top, 1.5 if b.value else 0)
        tip = esc(b.tip or f"{b.label}: {fmt(b.value)}{unit}")
        parts.append(
            f'<text class="lbl" x="{label_w - 8}" y="{_f(y + row_h / 2 + 4)}" text-anchor="end">{esc(b.label)}</text>'
            f'<rect class="bar" x="{label_w}" y="{y + 4}" width="{_f(w)}" height="{row_h - 8}" rx="3" '
            f'fill="{b.color}" data-key="{esc(b.key)}" data-value="{esc(b.value)}" data-tip="{tip}"><title>{tip}</title></rect>'
            f'<text class="val" x="{_f(label_w + w + 6)}" y="{_f(y + row_h / 2 + 4)}">{fmt(b.value)}{esc(unit)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def small_multiples(
    chart_id: str, labels: Sequence[tuple[str, str, str]], panels: Sequence[tuple[str, Sequence[float]]]
) -> str:
    """One row per item (key, label, colour) and one bar panel per metric,
    each panel on its own scale: e.g. lines removed | words removed | docs
    touched per rule."""
    row_h, head, label_w, gap, width = 22, 26, 110, 22, 1000
    panel_w = (width - label_w) // max(len(panels), 1) - gap
    height = head + row_h * len(labels) + 6
    parts = [_svg_open(chart_id, width, height, "multi")]
    for i, (_key, label, _color) in enumerate(labels):
        y = head + i * row_h
        if i % 2 == 0:
            parts.append(f'<rect class="stripe" x="0" y="{y}" width="{width}" height="{row_h}"/>')
        parts.append(f'<text class="lbl" x="{label_w - 10}" y="{y + 15}" text-anchor="end">{esc(label)}</text>')
    for p, (title, values) in enumerate(panels):
        x0 = label_w + p * (panel_w + gap)
        top = max(values, default=0) or 1
        metric = title.lower().replace(" ", "_")
        parts.append(f'<text class="head" x="{x0}" y="15">{esc(title)}</text>')
        parts.append(f'<line class="axis" x1="{x0}" y1="{head - 4}" x2="{x0}" y2="{height - 2}"/>')
        for i, ((key, label, color), v) in enumerate(zip(labels, values, strict=True)):
            y = head + i * row_h
            w = max((panel_w - 44) * v / top, 1.5 if v else 0)
            tip = esc(f"{label}: {fmt(v)} {title.lower()}")
            parts.append(
                f'<rect class="bar" x="{x0}" y="{y + 4}" width="{_f(w)}" height="{row_h - 8}" rx="3" fill="{color}" '
                f'data-key="{esc(key)}" data-metric="{esc(metric)}" data-value="{esc(v)}" data-tip="{tip}">'
                f"<title>{tip}</title></rect>"
                f'<text class="val" x="{_f(x0 + w + 5)}" y="{y + 15}">{fmt(v)}</text>'
            )
    parts.append("</svg>")
    return "".join(parts)


def vbar_chart(
    chart_id: str, bars: Sequence[Bar], width: int = 560, height: int = 200, marker: tuple[float, str] | None = None
) -> str:
    """Vertical bars (a histogram) with labels under them. ``marker`` draws
    a dashed vertical line at a fraction of the x axis with a caption."""
    left, bottom, top_pad = 36, 34, 16
    plot_w, plot_h = width - left - 10, height - bottom - top_pad
    highest = max((b.value for b in bars), default=0)
    step = nice_step(highest)
    ticks = max(1, -(-int(highest) // step))
    top = step * ticks
    slot = plot_w / max(len(bars), 1)
    parts = [_svg_open(chart_id, width, height, "vbar")]
    for k in range(ticks + 1):
        y = top_pad + plot_h * k / ticks
        parts.append(f'<line class="grid" x1="{left}" y1="{_f(y)}" x2="{width - 10}" y2="{_f(y)}"/>')
        parts.append(
            f'<text class="tick" x="{left - 6}" y="{_f(y + 4)}" text-anchor="end">{fmt(top - k * step)}</text>'
        )
    for i, b in enumerate(bars):
        h = plot_h * b.value / top
        x = left + i * slot + 3
        tip = esc(b.tip or f"{b.label}: {fmt(b.value)}")
        parts.append(
            f'<rect class="bar" x="{_f(x)}" y="{_f(top_pad + plot_h - h)}" width="{_f(slot - 6)}" height="{_f(h)}" rx="3" '
            f'fill="{b.color}" data-key="{esc(b.key)}" data-value="{esc(b.value)}" data-tip="{tip}"><title>{tip}</title></rect>'
            f'<text class="tick" x="{_f(x + (slot - 6) / 2)}" y="{height - bottom + 16}" text-anchor="middle">{esc(b.label)}</text>'
        )
        if b.value:
            parts.append(
                f'<text class="val" x="{_f(x + (slot - 6) / 2)}" y="{_f(top_pad + plot_h - h - 4)}" text-anchor="middle">{fmt(b.value)}</text>'
            )
    if marker:
        mx = left + plot_w * marker[0]
        parts.append(
            f'<line class="marker" x1="{_f(mx)}" y1="{top_pad - 6}" x2="{_f(mx)}" y2="{top_pad + plot_h}"/>'
            f'<text class="mark" x="{_f(mx - 4)}" y="{top_pad - 6}" text-anchor="end">{esc(marker[1])}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def line_chart(
    chart_id: str,
    points: Sequence[tuple[float, float]],
    width: int = 420,
    height: int = 240,
    vline: tuple[float, str] | None = None,
    x_label: str = "",
    y_label: str = "",
) -> str:
    """A line through ``points`` on [0, 1] x [0, 1] with dots (an S-curve)."""
    left, bottom, top_pad, right = 44, 40, 14, 14
    pw, ph = width - left - right, height - bottom - top_pad

    def xy(x: float, y: float) -> tuple[float, float]:
        return left + pw * x, top_pad + ph * (1 - y)

    parts = [_svg_open(chart_id, width, height, "line")]
    for k in range(6):
        v = k / 5
        gx, gy = xy(v, v)
        parts.append(f'<line class="grid" x1="{left}" y1="{_f(gy)}" x2="{left + pw}" y2="{_f(gy)}"/>')
        parts.append(f'<text class="tick" x="{left - 6}" y="{_f(gy + 4)}" text-anchor="end">{v:.1f}</text>')
        parts.append(f'<text class="tick" x="{_f(gx)}" y="{top_pad + ph + 16}" text-anchor="middle">{v:.1f}</text>')
    if vline:
        vx, _ = xy(vline[0], 0)
        parts.append(
            f'<line class="marker" x1="{_f(vx)}" y1="{top_pad}" x2="{_f(vx)}" y2="{top_pad + ph}"/>'
            f'<text class="mark" x="{_f(vx + 6)}" y="{top_pad + ph - 8}">{esc(vline[1])}</text>'
        )
    path = " ".join(f"{'M' if i == 0 else 'L'}{_f(xy(x, y)[0])},{_f(xy(x, y)[1])}" for i, (x, y) in enumerate(points))
    parts.append(f'<path class="curve" d="{path}"/>')
    for x, y in points:
        px, py = xy(x, y)
        tip = esc(f"J = {x:g}: P(candidate) = {y:.2f}")
        parts.append(
            f'<circle class="dot" cx="{_f(px)}" cy="{_f(py)}" r="4" data-key="{x:g}" data-value="{y}" data-tip="{tip}">'
            f"<title>{tip}</title></circle>"
        )
    parts.append(
        f'<text class="axlbl" x="{left + pw / 2:.1f}" y="{height - 6}" text-anchor="middle">{esc(x_label)}</text>'
        f'<text class="axlbl" x="12" y="{top_pad + ph / 2:.1f}" text-anchor="middle" '
        f'transform="rotate(-90 12 {top_pad + ph / 2:.1f})">{esc(y_label)}</text></svg>'
    )
    return "".join(parts)


def nice_step(top: float, ticks: int = 4) -> int:
    """An integer tick step (1, 2, 5, 10, 20, ...) giving about ``ticks`` ticks up to ``top``.

    >>> nice_step(3), nice_step(7), nice_step(180)
    (1, 2, 50)
    """
    raw = max(top / ticks, 1)
    base = 1
    while True:
        for m in (1, 2, 5):
            if base * m >= raw:
                return base * m
        base *= 10


def _svg_open(chart_id: str, width: int, height: int, kind: str) -> str:
    return (
        f'<svg class="chart {kind}" id="{esc(chart_id)}" role="img" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" xmlns="http://www.w3.org/2000/svg">'
    )


# --- the page -------------------------------------------------------------------

CSS = """
:root{--fg:#1d2433;--muted:#667085;--line:#e4e7ec;--bg:#f4f5f8;--card:#fff;--accent:#4f46e5;
--rm:#d92d20;--rmbg:#fef3f2;--ok:#079455;--okbg:#ecfdf3;--warn:#b54708;--warnbg:#fffaeb}
*{box-sizing:border-box}
body{margin:0;font:14px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",sans-serif;
background:var(--bg);color:var(--fg)}
header.top{background:linear-gradient(120deg,#1e1b4b 0%,#3730a3 55%,#4f46e5 100%);color:#fff;padding:26px 0 64px}
header.top .wrap{display:flex;justify-content:space-between;align-items:flex-end;gap:24px;flex-wrap:wrap}
header.top h1{margin:0;font-size:24px;font-weight:650;letter-spacing:-.01em}
header.top p{margin:4px 0 0;color:#c7d2fe}
header.top .meta{color:#c7d2fe;font-size:12.5px;text-align:right}
.wrap{max-width:1120px;margin:0 auto;padding:0 32px}
main.wrap{margin-top:-44px;padding-bottom:48px}
nav.toc{display:flex;gap:6px;flex-wrap:wrap;margin:0 0 14px}
nav.toc a{font-size:12.5px;color:#3730a3;background:#fff;border:1px solid var(--line);border-radius:999px;
padding:3px 11px;text-decoration:none;box-shadow:0 1px 2px rgba(16,24,40,.05)}
nav.toc a:hover{border-color:#a5b4fc}
section{background:var(--card);border:1px solid var(--line);border-radius:14px;padding:20px 24px;margin:0 0 16px;
box-shadow:0 1px 3px rgba(16,24,40,.06)}
section h2{font-size:16px;margin:0 0 2px;font-weight:650}
section p.sub{color:var(--muted);margin:0 0 16px;font-size:13px}
h3{font-size:14px;margin:18px 0 8px}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(150px,1fr));gap:12px}
.card{border:1px solid var(--line);border-radius:12px;padding:12px 14px;background:#fcfcfd}
.card .k{color:var(--muted);font-size:12px;text-transform:uppercase;letter-spacing:.04em}
.card .v{font-size:24px;font-weight:650;letter-spacing:-.01em;font-variant-numeric:tabular-nums}
.card .d{color:var(--muted);font-size:12.5px}
.card.hero{background:linear-gradient(180deg,#eef2ff,#fff);border-color:#c7d2fe}
.card.hero .v{color:#3730a3}
.meter{height:8px;border-radius:99px;background:#e0e7ff;overflow:hidden;margin-top:6px}
.meter>i{display:block;height:100%;background:linear-gradient(90deg,#6366f1,#d92d20)}
.scroll{max-height:340px;overflow:auto;border:1px solid var(--line);border-radius:8px}
.scroll table td,.scroll table th{padding:3px 10px}
.scroll thead th{position:sticky;top:0;background:#fff}
.grid2{display:grid;grid-template-columns:minmax(0,1fr) minmax(0,1fr);gap:24px}
@media (max-width:900px){.grid2{grid-template-columns:1fr}}
table{border-collapse:collapse;width:100%;font-size:13px}
th{font-weight:600;color:var(--muted);font-size:12px;text-transform:uppercase;letter-spacing:.03em}
td,th{padding:6px 10px;border-bottom:1px solid var(--line);text-align:left;vertical-align:top}
td.r,th.r{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
tbody tr:hover{background:#f9fafb}
code,.mono{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12.5px}
.chip{display:inline-block;padding:0 8px;border-radius:999px;font-size:11.5px;font-weight:600;line-height:19px;
color:var(--c);background:color-mix(in srgb,var(--c) 12%,white);border:1px solid color-mix(in srgb,var(--c) 30%,white)}
.muted{color:var(--muted)} .pos{color:var(--rm)} .neg{color:var(--ok)}
.empty{color:var(--muted);font-style:italic}
svg.chart{max-width:100%;height:auto;display:block}
svg text{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;font-size:12px;fill:#344054}
svg text.val{fill:#475467;font-size:11.5px;font-variant-numeric:tabular-nums}
svg text.head{font-weight:600;fill:#475467;font-size:11.5px;text-transform:uppercase;letter-spacing:.04em}
svg text.tick,svg text.axlbl{fill:#667085;font-size:11px}
svg text.mark{fill:#b42318;font-size:11px;font-weight:600}
svg .stripe{fill:#f9fafb} svg .axis{stroke:#d0d5dd} svg .grid{stroke:#eaecf0}
svg .marker{stroke:#d92d20;stroke-dasharray:4 3;stroke-width:1.5}
svg .curve{fill:none;stroke:#4f46e5;stroke-width:2.5}
svg .dot{fill:#fff;stroke:#4f46e5;stroke-width:2}
svg .bar:hover,svg .dot:hover{opacity:.8}
.legend{display:flex;flex-wrap:wrap;gap:6px;margin:0 0 10px}
details.rule{border:1px solid var(--line);border-radius:10px;margin:8px 0;background:#fff}
details.rule>summary{cursor:pointer;padding:9px 14px;display:flex;gap:10px;align-items:center;list-style:none}
details.rule>summary::-webkit-details-marker{display:none}
details.rule>summary .id{font-weight:650;font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;min-width:90px}
details.rule>summary .why{flex:1;color:#475467}
details.rule>summary .stats{color:var(--muted);font-size:12.5px;white-space:nowrap}
details.rule[open]>summary{border-bottom:1px solid var(--line)}
.rulebody{padding:10px 14px 12px}
.ex{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12px;border:1px solid var(--line);
border-radius:8px;margin:8px 0;overflow:hidden}
.ex .where{background:#f9fafb;color:var(--muted);padding:3px 10px;border-bottom:1px solid var(--line);font-size:11.5px}
.ex .ln{padding:2px 10px;white-space:pre-wrap;word-break:break-word}
.ex .ctx{color:#98a2b3}
.ex .gone{background:var(--rmbg);color:#912018;text-decoration:line-through;text-decoration-color:rgba(217,45,32,.5)}
.doc{font-size:14px;line-height:1.55}
.doc .row{display:grid;grid-template-columns:44px 1fr;gap:10px;padding:3px 8px;border-radius:6px}
.doc .row .no{color:#98a2b3;text-align:right;font-variant-numeric:tabular-nums;font-size:12px;padding-top:2px}
.doc .row.removed{background:var(--rmbg)}
.doc .row.removed .t{color:#912018;text-decoration:line-through;text-decoration-color:rgba(217,45,32,.55)}
.doc .row.stripped{background:var(--warnbg)}
.doc .row .tag{display:block;font-size:11.5px;color:var(--rm);margin-top:1px}
.doc .row.stripped .tag{color:var(--warn)}
.doc .row .tag b{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
.doc mark.span{background:#fecdca;color:#912018;text-decoration:line-through;border-radius:3px;padding:0 2px;cursor:help}
.diff{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12px;border:1px solid var(--line);
border-radius:8px;overflow:hidden;margin:8px 0}
.diff div{padding:1px 10px;white-space:pre-wrap;word-break:break-word}
.diff .add{background:var(--okbg);color:#05603a} .diff .del{background:var(--rmbg);color:#912018}
.diff .hunk{background:#f2f4f7;color:var(--muted)}
footer{color:var(--muted);font-size:12px;text-align:center;margin-top:24px}
#tip{position:fixed;pointer-events:none;background:#101828;color:#fff;font-size:12px;padding:5px 9px;border-radius:6px;
max-width:420px;box-shadow:0 4px 12px rgba(0,0,0,.2);display:none;z-index:10;white-space:pre-wrap}
"""

JS = """
(function(){var t=document.getElementById('tip');document.addEventListener('mousemove',function(e){
var el=e.target.closest?e.target.closest('[data-tip]'):null;if(!el){t.style.display='none';return;}
t.textContent=el.getAttribute('data-tip');t.style.display='block';
t.style.left=Math.min(e.clientX+14,window.innerWidth-440)+'px';t.style.top=(e.clientY+14)+'px';});})();
"""


def page(title: str, subtitle: str, body: str, meta: str = "", toc: Sequence[tuple[str, str]] = ()) -> str:
    """The whole HTML document: header band, optional table of contents,
    the sections in ``body``, inline CSS and the tooltip script."""
    nav = "".join(f'<a href="#{esc(a)}">{esc(t)}</a>' for a, t in toc)
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width,initial-scale=1">'
        f"<title>{esc(title)}</title><style>{CSS}</style></head><body>"
        f'<header class="top"><div class="wrap"><div><h1>{esc(title)}</h1><p>{esc(subtitle)}</p></div>'
        f'<div class="meta">{meta}</div></div></header>'
        f'<main class="wrap">{f"<nav class=toc>{nav}</nav>" if nav else ""}{body}'
        "<footer>Generated by cleaner. Self-contained: no network needed to view.</footer></main>"
        f'<div id="tip"></div><script>{JS}</script></body></html>\n'
    )


def section(anchor: str, title: str, sub: str, content: str) -> str:
    return (
        f'<section id="{esc(anchor)}"><h2>{esc(title)}</h2>'
        f"{f'<p class=sub>{sub}</p>' if sub else ''}{content}</section>"
    )


def card(key: str, value: str, detail: str = "", hero: bool = False) -> str:
    return (
        f'<div class="card{" hero" if hero else ""}"><div class="k">{esc(key)}</div><div class="v">{value}</div>'
        f"{f'<div class=d>{detail}</div>' if detail else ''}</div>"
    )
