"""HTML -> text lines, with trafilatura first and a plain rendering as the
fallback. The rule packs then clean the lines like any scraped text.

Settings were chosen on the dev benchmark (``benchmarks/quality.py``, HTML
task), not by taste: trafilatura with ``favor_precision`` followed by the
rule packs scored sh4 F1 0.960 (P 0.961, R 0.968), against 0.954 for the
defaults + packs and 0.955 for trafilatura's defaults alone; ``favor_recall``
+ packs was no better than the defaults. The page-layout heuristics
(repeats, teaser runs, lists, edges) are skipped on extracted text: there
they only cost recall (0.957 with them). trafilatura's duplicate cache stays off (``deduplicate=False``), so
the output of a page does not depend on the pages seen before it.

>>> page = "<html><body><nav>Home</nav><article><h1>Title</h1><p>First paragraph.</p><p>Second one.</p></article></body></html>"
>>> render_text(page)
'Home\\nTitle\\nFirst paragraph.\\nSecond one.'
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from cleaner.errors import CleanerError

TRAFILATURA_SETTINGS: dict[str, Any] = {
    "favor_precision": True,
    "include_comments": False,
    "include_tables": True,
    "deduplicate": False,
    "with_metadata": True,
}
METADATA_FIELDS = ("title", "author", "date", "sitename", "url")
_SKIP_TAGS = {"script", "style", "template", "svg", "head", "iframe", "object", "embed", "canvas", "noscript"}
_BLOCK_TAGS = {
    "p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "td", "th", "tr", "table", "ul", "ol", "section", "article",
    "header", "footer", "nav", "aside", "form", "figure", "figcaption", "blockquote", "dd", "dt", "dl", "main", "pre",
    "address", "br", "hr", "option", "title", "body", "html", "caption", "details", "summary",
}  # fmt: skip
_WS_RE = re.compile(r"[ \t\r\f\v\u00a0]+")


@dataclass(frozen=True)
class Extracted:
    """Text of a page, how it was obtained, and what trafilatura found about
    it (title, author, date, sitename, url): metadata, never in the text."""

    text: str
    method: str
    metadata: dict[str, str] = field(default_factory=dict)


def _trafilatura() -> Any:
    try:
        import trafilatura
    except ImportError as exc:
        raise CleanerError(f"HTML input needs trafilatura ({exc}); pip install trafilatura lxml_html_clean") from None
    return trafilatura


def extract_html(html: str, url: str | None = None) -> Extracted:
    """Main text of a page, one block per line. If trafilatura finds no main
    text, the page is rendered as plain text instead (``method`` says
    ``fallback``) so that nothing is silently lost."""
    doc = _trafilatura().bare_extraction(html, url=url, **TRAFILATURA_SETTINGS)
    text = (getattr(doc, "text", None) or "").strip() if doc is not None else ""
    metadata = {k: str(v) for k in METADATA_FIELDS if doc is not None and (v := getattr(doc, k, None))}
    if text:
        return Extracted(text=text, method="trafilatura", metadata=metadata)
    return Extracted(text=render_text(html), method="fallback", metadata=metadata)


def render_text(html: str) -> str:
    """All visible text of a page, a line per block element (the way a
    naive scraper flattens it), for pages trafilatura cannot read."""
    from lxml import etree
    from lxml import html as lxml_html

    try:
        # huge_tree: libxml2 otherwise stops at 255 levels of nesting and
        # a deeply nested page comes out empty.
        root = lxml_html.document_fromstring(html, parser=lxml_html.HTMLParser(huge_tree=True))
    except (etree.ParserError, ValueError):
        return ""
    parts: list[str] = []
    _walk(root, parts)
    lines = (_WS_RE.sub(" ", ln).strip() for ln in "".join(parts).split("\n"))
    return "\n".join(ln for ln in lines if ln)


def _walk(root: Any, parts: list[str]) -> None:
    """Append the text of ``root``'s tree to ``parts``, a line break around
    every block element; iterative, as pages nest deeper than Python's
    recursion limit."""
    # (element, False) opens an element; (element, True) closes it.
    stack: list[tuple[Any, bool]] = [(root, False)]
    while stack:
        el, closing = stack.pop()
        tag = el.tag if isinstance(el.tag, str) else ""
        if closing:
            if tag in _BLOCK_TAGS:
                parts.append("\n")
            if el.tail:
                parts.append(el.tail)
            continue
        if tag in _SKIP_TAGS or not tag:
            if el.tail:
                parts.append(el.tail)
            continue
        if tag in _BLOCK_TAGS:
            parts.append("\n")
        if el.text:
            parts.append(el.text)
        stack.append((el, True))
        stack.extend((child, False) for child in reversed(el))
