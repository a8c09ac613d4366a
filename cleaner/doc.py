"""The one document type and the one removal record.

Every stage of the cleaner takes and yields :class:`Doc`; every decision that
removes text is a :class:`Removal`. A removal names the input line it came
from (1-based), the rule or heuristic that made it, and the exact text it
took away, so the output can always be rebuilt from the input
(:func:`cleaner.clean.apply_removals`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, init=False)
class Removal:
    """One piece of text taken out of a document.

    ``line`` is the 1-based input line number. ``start``/``end`` are character
    offsets into that input line when only a span was removed; both are
    ``None`` when the whole line was dropped.

    >>> Removal(line=3, rule="ADS001", text="ADVERTISEMENT").to_json()
    {'line': 3, 'rule': 'ADS001', 'text': 'ADVERTISEMENT'}
    """

    line: int
    rule: str
    text: str
    start: int | None = None
    end: int | None = None
    detail: str | None = None

    def __init__(
        self,
        line: int,
        rule: str,
        text: str,
        start: int | None = None,
        end: int | None = None,
        detail: str | None = None,
    ) -> None:
        # The generated __init__ of a frozen dataclass sets each field with
        # object.__setattr__; filling the instance's dict is the same and a
        # third of the time (a page has a hundred removals or more).
        self.__dict__.update(line=line, rule=rule, text=text, start=start, end=end, detail=detail)

    @property
    def is_span(self) -> bool:
        return self.start is not None

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"line": self.line, "rule": self.rule, "text": self.text}
        if self.start is not None:
            out["start"] = self.start
            out["end"] = self.end
        if self.detail:
            out["detail"] = self.detail
        return out

    @classmethod
    def from_json(cls, obj: dict[str, Any]) -> Removal:
        return cls(
            line=int(obj["line"]),
            rule=str(obj["rule"]),
            text=str(obj["text"]),
            start=obj.get("start"),
            end=obj.get("end"),
            detail=obj.get("detail"),
        )


@dataclass
class CleanResult:
    """What :func:`cleaner.clean_text` returns: the text and how it got there."""

    text: str
    removals: list[Removal]
    flags: list[str] = field(default_factory=list)
    words_in: int = 0
    words_removed: int = 0
    #: Language the packs were chosen for (``und`` when unclear, ``None``
    #: when no language was used), and the detector's confidence.
    lang: str | None = None
    lang_confidence: float | None = None

    @property
    def lines_removed(self) -> int:
        return sum(1 for r in self.removals if not r.is_span)


@dataclass
class Doc:
    """A document moving through the pipeline.

    ``fields`` holds every input field other than the id and the text, passed
    through to the output unchanged. ``html`` holds a page still to be
    extracted. ``status`` is ``kept``, ``dropped`` (with its ``reason``:
    language, empty, duplicate, not HTML ...) or ``rejected`` (could not be
    read or parsed: ``reason`` says why, ``raw`` holds the input bytes).
    """

    id: str
    text: str
    fields: dict[str, Any] = field(default_factory=dict)
    source: str = ""
    removals: list[Removal] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)
    status: str = "kept"
    reason: str | None = None
    words_in: int = 0
    words_removed: int = 0
    #: Whole lines removed (``removals`` without the spans); workers send
    #: this count back instead of the removals themselves.
    lines_removed: int = 0
    lang: str | None = None
    lang_confidence: float | None = None
    #: Raw HTML still to be extracted (``text`` is filled from it).
    html: str | None = None
    #: ``trafilatura`` or ``fallback`` for documents extracted from HTML.
    extracted_by: str | None = None
    #: What the extractor or the container found (title, author, date, url).
    metadata: dict[str, Any] = field(default_factory=dict)
    #: The raw input bytes of a rejected record (or a prefix of them).
    raw: bytes | None = None
    #: Bytes of input this document was read from (its JSONL line, file or
    #: WARC payload; its text for a Parquet row), for the progress bar.
    size: int = 0
