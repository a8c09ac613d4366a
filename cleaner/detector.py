"""Main-content detection on lines: which lines of a flattened page are the
article, from what a line shows in plain text and from its neighbours.

Three steps, each cheap and vectorised per page:

1. **Features** (:func:`line_features`): per alive line, its length, the
   share of stop words of the document's language (jusText's lists, the
   list picked per document), sentence punctuation, commas, capitalised
   words, digits and separator symbols, whether the line repeats in the
   document, and whether the lines around it were already removed by a rule.
2. **Local score** (:func:`hand_scores`): a hand-set sum of those features,
   positive for prose and negative for menus, teasers and metadata, with the
   features that weigh most kept for the explanation.
3. **Context** (:func:`decide`): jusText-style smoothing (short, neutral
   lines take the class of the good or bad lines around them), then the
   page's main runs of content by a max-sum walk over the smoothed values
   (block fusion on lines). Lines outside the kept runs go, and the edges of
   a run are held to a stricter bar than its middle.

>>> text = "Home\\nNews\\nSport\\n" + "The council met on Monday and voted to close the old bridge to traffic.\\n" * 2
>>> feats = line_features(Page.from_text(text.replace(".\\n", ". Residents were not asked.\\n", 1)))
>>> feats.names[:3]
('words', 'log_words', 'sentence_end')
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from cleaner.page import Page, count_words
from cleaner.stopwords import guess_stoplist_language, stopwords_for

#: Word-ish tokens with their case kept (for the capitalised share).
_ALPHA_RE = re.compile(r"[^\W\d_]+")
#: Characters that separate menu items and crumbs, or mark a list item.
SEPARATORS = frozenset("|»«›‹•·/\\>~▶►▸→")
#: What a line of running text ends with (sentence punctuation, maybe
#: followed by closing quotes or brackets).
_END_RE = re.compile(r"[.!?…。！？][\"'”’»)\]]*$|[\"”’»]$")
_CJK_RE = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")

FEATURES = (
    "words",  # word count (cleaner.page.count_words)
    "log_words",  # log(1 + words)
    "sentence_end",  # ends like a sentence
    "colon_end",  # ends with ':' (a lead-in)
    "ellipsis_end",  # cut off with '...' (a teaser)
    "stop_share",  # share of stop words among the tokens (doc's language)
    "stop_count",  # log(1 + stop words)
    "cap_share",  # share of tokens that start with a capital letter
    "digit_share",  # share of characters that are digits
    "separators",  # separator symbols (| » • / ...) per word, capped at 1
    "commas",  # commas (and CJK commas) per word, capped at 1
    "repeated",  # the line's text occurs elsewhere in the document
    "lower_start",  # starts with a lower-case letter (a broken or continued sentence)
    "url_or_handle",  # has a URL, an e-mail address or an @handle
    "rel_pos",  # position in the page's alive lines, 0 .. 1
    "prev_dropped",  # the non-blank line before it was removed by a rule
    "next_dropped",  # the non-blank line after it was removed by a rule
)


@dataclass
class Features:
    """Per-line features of one page, one row per alive line."""

    lines: list[int]
    values: np.ndarray
    names: tuple[str, ...] = FEATURES
    #: Whether the document's stop-word list covers its text at all (no list
    #: for Chinese or Japanese): without one, stop words say nothing.
    has_stoplist: bool = True

    def column(self, name: str) -> np.ndarray:
        return self.values[:, self.names.index(name)]


def _norm(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


@lru_cache(maxsize=1 << 15)
def _line_stats(text: str) -> tuple[float, ...]:
    """The features of one line that depend on its text alone (cached:
    boilerplate lines repeat across pages)."""
    stripped = text.strip()
    words = count_words(stripped)
    toks = _ALPHA_RE.findall(stripped)
    n_chars = max(len(stripped), 1)
    caps = sum(1 for t in toks if t[0].isupper())
    digits = sum(ch.isdigit() for ch in stripped)
    seps = sum(1 for ch in stripped if ch in SEPARATORS)
    commas = stripped.count(",") + stripped.count("、") + stripped.count("，")
    lower = "".join(toks[:1])[:1].islower()
    low = stripped.casefold()
    url = "http" in low or "www." in low or "@" in low
    end = bool(_END_RE.search(stripped))
    return (
        float(words),
        float(np.log1p(words)),
        float(end),
        float(stripped.endswith(":")),
        float(stripped.endswith(("...", "…"))),
        0.0,  # stop_share: filled per document
        0.0,  # stop_count: filled per document
        caps / len(toks) if toks else 0.0,
        digits / n_chars,
        min(seps / max(words, 1), 1.0),
        min(commas / max(words, 1), 1.0),
        0.0,  # repeated: filled per document
        float(lower),
        float(url),
        0.0,  # rel_pos
        0.0,  # prev_dropped
        0.0,  # next_dropped
    )


@lru_cache(maxsize=1 << 15)
def _stop_stats(text: str, stopwords: frozenset[str]) -> tuple[float, float]:
    toks = _ALPHA_RE.findall(text.casefold())
    if not toks:
        return 0.0, 0.0
    n = sum(1 for t in toks if t in stopwords)
    return n / len(toks), float(np.log1p(n))


#: How much of the page's longer lines picks its stop-word list.
STOP_SAMPLE_CHARS = 3000


def document_stopwords(page: Page) -> frozenset[str]:
    """The stop words of the page's language, picked from its longer lines
    (empty for languages jusText has no list for, and for CJK text)."""
    sample = " ".join(t for t in page.originals if count_words(t) >= 8)[:STOP_SAMPLE_CHARS]
    sample = sample or " ".join(page.originals)[:STOP_SAMPLE_CHARS]
    if len(_CJK_RE.findall(sample[:2000])) > 200:
        return frozenset()
    lang = guess_stoplist_language(sample)
    return stopwords_for(sample, lang) if lang else frozenset()


def line_features(page: Page, stopwords: frozenset[str] | None = None) -> Features:
    """Features of every alive line of ``page`` (see :data:`FEATURES`)."""
    lines = page.alive()
    if stopwords is None:
        stopwords = document_stopwords(page)
    values = np.zeros((len(lines), len(FEATURES)))
    if not lines:
        return Features(lines, values, has_stoplist=bool(stopwords))
    counts: dict[str, int] = {}
    for t in page.originals:
        if t.strip():
            key = _norm(t)
            counts[key] = counts.get(key, 0) + 1
    nonblank = [i for i in range(len(page)) if page.text(i).strip()]
    where = {i: k for k, i in enumerate(nonblank)}
    for row, i in enumerate(lines):
        text = page.text(i)
        values[row] = _line_stats(text)
        if stopwords:
            values[row, 5:7] = _stop_stats(text, stopwords)
        values[row, 11] = float(counts.get(_norm(page.originals[i]), 0) > 1)
        k = where[i]
        values[row, 15] = float(k > 0 and page.dropped[nonblank[k - 1]] is not None)
        values[row, 16] = float(k + 1 < len(nonblank) and page.dropped[nonblank[k + 1]] is not None)
    values[:, 14] = np.arange(len(lines)) / max(len(lines) - 1, 1)
    return Features(lines, values, has_stoplist=bool(stopwords))


# --- the hand-built local score ---------------------------------------------

#: Weights of the hand-built score, by feature (see :func:`hand_scores`).
#: Set by reading pages, not fitted: a word of prose is worth a little, a
#: sentence ending, commas and stop words a lot; capitalised words (menus,
#: headline lists), digits, separators, URLs and repetition count against.
LENGTH_WEIGHT = 0.12
LENGTH_CAP = 40
LENGTH_PIVOT = 6
WEIGHTS = {
    "sentence_end": 1.2,
    "stop_share": 6.0,
    "commas": 4.0,
    "cap_share": -2.5,
    "digit_share": -3.0,
    "separators": -3.0,
    "ellipsis_end": -1.5,
    "repeated": -1.0,
    "url_or_handle": -1.0,
    "prev_dropped": -0.4,
    "next_dropped": -0.4,
    "colon_end": 0.5,
}
#: The stop-word share of neutral text; more is prose, less is a list of names.
STOP_PIVOT = 0.25
#: The capitalised share a sentence has anyway (its first word, names).
CAP_PIVOT = 0.35
#: Words below which a sentence ending, stop words and capitals say little.
SHORT_WORDS = 5


def hand_contributions(feats: Features) -> np.ndarray:
    """Per line and feature, what the feature adds to the hand-built score
    (columns in :data:`FEATURES` order)."""
    v = feats.values
    out = np.zeros_like(v)
    col = {name: k for k, name in enumerate(feats.names)}
    words = v[:, col["words"]]
    trust = np.minimum(words / SHORT_WORDS, 1.0)
    out[:, col["words"]] = LENGTH_WEIGHT * (np.minimum(words, LENGTH_CAP) - LENGTH_PIVOT)
    out[:, col["sentence_end"]] = WEIGHTS["sentence_end"] * v[:, col["sentence_end"]] * trust
    if feats.has_stoplist:
        stop = np.clip(v[:, col["stop_share"]] - STOP_PIVOT, -0.25, 0.25)
        out[:, col["stop_share"]] = WEIGHTS["stop_share"] * stop * trust
    out[:, col["cap_share"]] = WEIGHTS["cap_share"] * np.maximum(v[:, col["cap_share"]] - CAP_PIVOT, 0) * trust
    for name in ("commas", "digit_share", "separators", "ellipsis_end", "repeated", "url_or_handle"):
        out[:, col[name]] = WEIGHTS[name] * v[:, col[name]]
    for name in ("prev_dropped", "next_dropped", "colon_end"):
        out[:, col[name]] = WEIGHTS[name] * v[:, col[name]]
    return out


def hand_scores(feats: Features) -> np.ndarray:
    """The hand-built local score of every line: > 0 reads as content."""
    return hand_contributions(feats).sum(axis=1)


# --- context: smoothing and the main runs -----------------------------------

#: Local scores at or above this are good lines, at or below ``BAD`` bad;
#: in between, a line is neutral and takes its class from its neighbours.
GOOD = 3.0
BAD = 0.5
#: How far (in alive lines) smoothing looks for a good or bad neighbour.
CONTEXT_REACH = 4
#: What a bad line costs a run of content, in words of prose; a neutral
#: line costs ``NEUTRAL_COST``. A run survives a short menu, not a long one.
BAD_COST = 12.0
NEUTRAL_COST = 1.0
#: Runs worth at least this share of the best run are kept too (articles
#: split by a gallery or an embedded box).
RUN_KEEP_SHARE = 0.5
SPAN_MODE = True
#: A lone line of at most this many words between two kept lines is a
#: sub-heading of the article.
SUBHEAD_MAX_WORDS = 12

GOOD_CLASS, NEUTRAL_CLASS, BAD_CLASS = 1, 0, -1


def classify(scores: np.ndarray) -> np.ndarray:
    """Good (1), neutral (0) or bad (-1) from the local scores."""
    return np.where(scores >= GOOD, GOOD_CLASS, np.where(scores <= BAD, BAD_CLASS, NEUTRAL_CLASS))


def smooth(classes: np.ndarray, scores: np.ndarray) -> np.ndarray:
    """jusText's context step on lines: a neutral line between two good
    lines is good, between two bad lines (or a bad line and the page's
    edge) bad; between one of each it follows the sign of its own score."""
    n = len(classes)
    prev_cls = np.full(n, BAD_CLASS)
    next_cls = np.full(n, BAD_CLASS)
    last, last_at = BAD_CLASS, -(10**9)
    for k in range(n):
        prev_cls[k] = last if k - last_at <= CONTEXT_REACH else NEUTRAL_CLASS
        if classes[k] != NEUTRAL_CLASS:
            last, last_at = classes[k], k
    last, last_at = BAD_CLASS, 10**9
    for k in range(n - 1, -1, -1):
        next_cls[k] = last if last_at - k <= CONTEXT_REACH else NEUTRAL_CLASS
        if classes[k] != NEUTRAL_CLASS:
            last, last_at = classes[k], k
    both = prev_cls + next_cls
    resolved = np.where(
        both > 0, GOOD_CLASS, np.where(both < 0, BAD_CLASS, np.where(scores > 0, GOOD_CLASS, BAD_CLASS))
    )
    return np.where(classes == NEUTRAL_CLASS, resolved, classes)


def run_values(words: np.ndarray, classes: np.ndarray, smoothed: np.ndarray) -> np.ndarray:
    """What each line adds to a run: its words when good, a small cost when
    it only became good by context, ``BAD_COST`` (or its words, if more)
    when bad."""
    good = np.where(classes == GOOD_CLASS, words, -NEUTRAL_COST)
    return np.where(smoothed == GOOD_CLASS, good, -np.maximum(BAD_COST, words))


def max_runs(values: np.ndarray) -> list[tuple[float, int, int]]:
    """Runs of positive total as ``(value, first, last)`` row indices: a run
    ends where its total drops to zero and spans from its start to where its
    total peaked (Kohlschütter's block fusion, as a max-sum walk)."""
    runs = []
    start = -1
    total = best = 0.0
    best_end = -1
    for k, v in enumerate(values):
        if start < 0:
            start, total, best, best_end = k, 0.0, 0.0, -1
        total += v
        if total > best:
            best, best_end = total, k
        if total <= 0:
            if best_end >= 0:
                runs.append((best, start, best_end))
            start = -1
    if start >= 0 and best_end >= 0:
        runs.append((best, start, best_end))
    return runs


@dataclass
class Decision:
    """The detector's verdict on one page: per alive line (in order), kept or
    not, with the local score and the context that decided it."""

    lines: list[int]
    keep: np.ndarray
    scores: np.ndarray
    classes: np.ndarray
    smoothed: np.ndarray
    in_run: np.ndarray


def decide(feats: Features, scores: np.ndarray) -> Decision:
    """Keep the lines of the page's main runs (see the module docstring)."""
    n = len(feats.lines)
    classes = classify(scores)
    smoothed = smooth(classes, scores)
    values = run_values(feats.column("words"), classes, smoothed)
    runs = max_runs(values)
    in_run = np.zeros(n, dtype=bool)
    in_span = np.zeros(n, dtype=bool)
    if runs:
        top = max(r[0] for r in runs)
        kept = [(a, b) for value, a, b in runs if value >= RUN_KEEP_SHARE * top]
        for a, b in kept:
            in_run[a : b + 1] = True
        if SPAN_MODE:
            in_span[min(a for a, _ in kept) : max(b for _, b in kept) + 1] = True
    keep = (in_run & (smoothed == GOOD_CLASS)) | (in_span & (classes == GOOD_CLASS))
    # A lone short line between two kept lines of a run is a sub-heading.
    if n >= 3:
        lone = in_run[1:-1] & keep[:-2] & keep[2:] & (feats.column("words")[1:-1] <= SUBHEAD_MAX_WORDS)
        keep[1:-1] |= lone
    return Decision(feats.lines, keep, scores, classes, smoothed, in_run)


# --- explained removals -------------------------------------------------------

#: Readable names of the features, for the removal's ``detail``.
_SAYS = {
    "words": "short",
    "sentence_end": "no sentence end",
    "stop_share": "few stop words",
    "cap_share": "capitalised words",
    "digit_share": "digits",
    "separators": "separators",
    "ellipsis_end": "cut off with ...",
    "repeated": "repeated in page",
    "url_or_handle": "URL or handle",
    "prev_dropped": "after removed line",
    "next_dropped": "before removed line",
}


def _why(contrib: np.ndarray, names: tuple[str, ...], words: float) -> list[str]:
    """The (up to) two features that pull a line's score down the most."""
    out = []
    for k in np.argsort(contrib)[:2]:
        if contrib[k] >= 0:
            break
        name = names[k]
        if name == "sentence_end" or (name == "words" and words >= LENGTH_PIVOT):
            continue
        out.append(_SAYS.get(name, name))
    if not any(w == "no sentence end" for w in out) and contrib[names.index("sentence_end")] == 0 and words >= 3:
        out.append("no sentence end")
    return out[:2]


def explain(decision: Decision, feats: Features, row: int, contributions: np.ndarray | None = None) -> str:
    """Why line ``row`` was removed, e.g. ``score -2.1: short, few stop words, outside the main runs``."""
    contrib = (hand_contributions(feats) if contributions is None else contributions)[row]
    parts = _why(contrib, feats.names, feats.values[row, 0])
    if not decision.in_run[row]:
        parts.append("outside the main runs")
    elif decision.classes[row] == NEUTRAL_CLASS:
        parts.append("between bad lines")
    else:
        parts.append("bad line in a run")
    return f"score {decision.scores[row]:.1f}: " + ", ".join(parts)


def detect(page: Page) -> list[tuple[int, str]]:
    """Lines of ``page`` that are not main content, as ``(line index, why)``."""
    feats = line_features(page)
    if not feats.lines:
        return []
    contributions = hand_contributions(feats)
    decision = decide(feats, contributions.sum(axis=1))
    return [
        (i, explain(decision, feats, row, contributions)) for row, i in enumerate(feats.lines) if not decision.keep[row]
    ]
