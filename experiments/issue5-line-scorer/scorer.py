"""A learned line scorer (SCORE001): the last word on the page's layout.

EXPERIMENT of issue 5, not part of the package and not registered: it did
not beat the heuristics under site cross-validation (README.md).

The layout heuristics (EDGE001, TEASE001, LIST001) decide from one cue each;
on the dev pages they cut in-article lists and tables and keep comment
threads, author bios and footers that read like prose. The scorer looks at
every line they looked at, with what they decided as evidence, and gives it
a probability of being article text:

1. **Features** (:func:`page_features`), per non-blank line: its own words,
   stop words (the document's language), sentence punctuation, capitals,
   digits and separators; which heuristic took it; and its context: the
   prose, stop words and removals of the lines around it, where it sits
   relative to the page's main run of prose, and how much of the page's
   prose lies before and after it.
2. **Two logistic stages** (weights in ``scorer.json``, trained on the
   quality-dev pages by ``benchmarks/train_scorer.py``): the first scores
   each line; the second adds the first stage's scores of the lines around
   it (a cheap form of sequence smoothing: a lone prose-like line inside a
   comment thread takes the thread's verdict).
3. **Decision**: an alive line with a probability under ``drop_below`` is
   removed, its ``detail`` naming the features that pulled it down; a line a
   layout heuristic took with a probability over ``restore_above`` is put
   back.

Pure Python and numpy; about a few hundred microseconds on a news page.

>>> from cleaner.page import Page
>>> page = Page.from_text("Home\\nNews\\n" + "The council met on Monday and voted to close the old bridge.\\n" * 3)
>>> rows, x = page_features(page)
>>> len(rows), x.shape[1] == len(FEATURES)
(5, True)
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from cleaner.detector import document_stopwords
from cleaner.page import Page, count_words, is_prose, is_sentence

#: The heuristics whose removals the scorer reviews (and may take back).
REVIEWED = ("EDGE001", "TEASE001", "LIST001")
#: The scorer's rule id.
SCORER_ID = "SCORE001"

_ALPHA_RE = re.compile(r"[^\W\d_]+")
_SEPARATORS = frozenset("|»«›‹•·/\\>~▶►▸→")
_URL_RE = re.compile(r"https?:|www\.|@\w|\.com\b", re.IGNORECASE)

#: Local features of one line (from its text alone).
LOCAL = (
    "log_words",  # log(1 + words)
    "short",  # 3 words or fewer
    "long",  # 30 words or more
    "sentence_end",  # ends like a sentence
    "question_end",  # ends with '?'
    "colon_end",  # ends with ':'
    "ellipsis_end",  # cut off with ... (a teaser)
    "prose",  # a sentence of 8+ words (cleaner.page.is_prose)
    "cap_share",  # share of word tokens that start with a capital
    "digit_share",  # share of characters that are digits
    "separators",  # separator symbols per word, capped at 1
    "commas",  # commas per word, capped at 1
    "url",  # a URL, an e-mail address or an @handle
    "lower_start",  # starts with a lower-case letter
    "word_len",  # mean length of word tokens / 10
)
#: Features that need the document.
DOC = (
    "stop_share",  # share of stop words (the doc's list), centred on 0.3, 0 without a list
    "stop_prose",  # stop_share x prose
    "repeated",  # the line's text occurs elsewhere in the page
    "by_edge",  # EDGE001 took it
    "by_teaser",  # TEASE001 took it
    "by_list",  # LIST001 took it
    "rel_pos",  # position among the non-blank lines, 0 .. 1
    "prose_before",  # share of the page's prose words before the line
    "prose_after",  # share of the page's prose words after the line
    "in_main",  # inside the page's best run of prose
    "before_main",  # log(1 + lines) before the best run starts, 0 inside or after
    "after_main",  # log(1 + lines) after the best run ends, 0 inside or before
)
#: Context features: the same few signals over the lines around a line.
WINDOW = 3
CONTEXT = tuple(
    f"{side}_{what}" for side in ("prev", "next") for what in ("prose", "words", "stop", "ruled", "layout", "title")
)
FEATURES = LOCAL + DOC + CONTEXT
#: Second-stage features: the first stage's scores of the lines around.
STAGE2 = ("p1", "prev1_p1", "next1_p1", "prev_p1", "next_p1", "wide_p1")
WIDE = 8


@lru_cache(maxsize=1 << 15)
def _local(text: str) -> tuple[float, ...]:
    stripped = text.strip()
    words = count_words(stripped)
    toks = _ALPHA_RE.findall(stripped)
    n_chars = max(len(stripped), 1)
    caps = sum(1 for t in toks if t[0].isupper())
    end = is_sentence(stripped)
    return (
        math.log1p(words),
        float(words <= 3),
        float(words >= 30),
        float(end),
        float(stripped.endswith("?")),
        float(stripped.endswith(":")),
        float(stripped.endswith(("...", "…"))),
        float(is_prose(stripped, 8)),
        caps / len(toks) if toks else 0.0,
        sum(ch.isdigit() for ch in stripped) / n_chars,
        min(sum(1 for ch in stripped if ch in _SEPARATORS) / max(words, 1), 1.0),
        min((stripped.count(",") + stripped.count("、") + stripped.count("，")) / max(words, 1), 1.0),
        float(bool(_URL_RE.search(stripped))),
        float(toks[0][:1].islower()) if toks else 0.0,
        min(sum(len(t) for t in toks) / len(toks), 20.0) / 10 if toks else 0.0,
    )


@lru_cache(maxsize=1 << 15)
def _stop_share(text: str, stopwords: frozenset[str]) -> float:
    toks = _ALPHA_RE.findall(text.casefold())
    if not toks or not stopwords:
        return 0.0
    return sum(1 for t in toks if t in stopwords) / len(toks) - 0.3


def _title_like(text: str) -> bool:
    n = count_words(text)
    return 2 <= n <= 16 and not is_sentence(text.rstrip())


def _main_run(value: np.ndarray) -> tuple[int, int]:
    """The best run of the values (max-sum subarray), as ``(first, last)``."""
    best, best_span = 0.0, (0, -1)
    total, start = 0.0, 0
    for k, v in enumerate(value):
        if total <= 0:
            total, start = 0.0, k
        total += v
        if total > best:
            best, best_span = total, (start, k)
    return best_span


def _window_mean(col: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Mean of ``col`` over the ``k`` rows before and the ``k`` rows after
    each row (fewer at the page's ends; 0 where there are none)."""
    n = len(col)
    c = np.concatenate([[0.0], np.cumsum(col)])
    idx = np.arange(n)
    lo = np.maximum(idx - k, 0)
    hi = np.minimum(idx + 1 + k, n)
    prev_n = idx - lo
    next_n = hi - idx - 1
    prev = np.where(prev_n > 0, (c[idx] - c[lo]) / np.maximum(prev_n, 1), 0.0)
    nxt = np.where(next_n > 0, (c[hi] - c[idx + 1]) / np.maximum(next_n, 1), 0.0)
    return prev, nxt


def ruled_rows(page: Page, rows: list[int]) -> np.ndarray:
    """Which rows a rule (or a heuristic the scorer does not review) removed."""
    return np.array([page.dropped[i] is not None and page.dropped[i] not in REVIEWED for i in rows], dtype=bool)


def page_features(page: Page, stopwords: frozenset[str] | None = None) -> tuple[list[int], np.ndarray]:
    """The page's non-blank lines and their features, one row each in
    :data:`FEATURES` order."""
    rows = [i for i in range(len(page)) if page.originals[i].strip()]
    if stopwords is None:
        stopwords = document_stopwords(page)
    n = len(rows)
    x = np.zeros((n, len(FEATURES)))
    if not n:
        return [], x
    texts = [page.text(i) for i in rows]
    x[:, : len(LOCAL)] = [_local(t) for t in texts]
    dropped = [page.dropped[i] for i in rows]
    counts: dict[str, int] = {}
    keys = [" ".join(t.casefold().split()) for t in texts]
    for key in keys:
        counts[key] = counts.get(key, 0) + 1
    d = len(LOCAL)
    x[:, d] = [_stop_share(t, stopwords) for t in texts]
    prose = x[:, LOCAL.index("prose")]
    x[:, d + 1] = x[:, d] * prose
    x[:, d + 2] = [counts[k] > 1 for k in keys]
    x[:, d + 3] = [r == "EDGE001" for r in dropped]
    x[:, d + 4] = [r == "TEASE001" for r in dropped]
    x[:, d + 5] = [r == "LIST001" for r in dropped]
    x[:, d + 6] = np.arange(n) / max(n - 1, 1)
    ruled = ruled_rows(page, rows).astype(float)
    layout = x[:, d + 3] + x[:, d + 4] + x[:, d + 5]
    words = np.expm1(x[:, 0])
    prose_words = np.where(ruled > 0, 0.0, words * prose)
    total = prose_words.sum() or 1.0
    before = np.concatenate([[0.0], np.cumsum(prose_words)[:-1]])
    x[:, d + 7] = before / total
    x[:, d + 8] = (total - before - prose_words) / total
    value = np.where(ruled > 0, -1.0, np.where(prose > 0, words, -10.0))
    a, b = _main_run(value)
    idx = np.arange(n)
    x[:, d + 9] = (idx >= a) & (idx <= b)
    x[:, d + 10] = np.log1p(np.maximum(a - idx, 0))
    x[:, d + 11] = np.log1p(np.maximum(idx - b, 0))
    c = len(LOCAL) + len(DOC)
    title = np.array([_title_like(t) for t in texts], dtype=float)
    for k, col in enumerate((prose, x[:, 0], x[:, d], ruled, layout, title)):
        prev, nxt = _window_mean(col, WINDOW)
        x[:, c + k] = prev
        x[:, c + 6 + k] = nxt
    return rows, x


def stage2_features(p1: np.ndarray, ruled: np.ndarray) -> np.ndarray:
    """The first stage's probabilities of each row and of the rows around it
    (lines a rule removed count as 0)."""
    p1 = np.where(ruled, 0.0, p1)
    n = len(p1)
    prev1 = np.concatenate([[0.0], p1[:-1]]) if n else p1
    next1 = np.concatenate([p1[1:], [0.0]]) if n else p1
    prev, nxt = _window_mean(p1, WINDOW)
    wp, wn = _window_mean(p1, WIDE)
    return np.column_stack([p1, prev1, next1, prev, nxt, (wp + wn) / 2])


# --- the model ------------------------------------------------------------------


@dataclass(frozen=True)
class Model:
    """Two logistic stages and the decision thresholds (see the module docstring)."""

    mean1: np.ndarray
    scale1: np.ndarray
    w1: np.ndarray
    b1: float
    mean2: np.ndarray
    scale2: np.ndarray
    w2: np.ndarray
    b2: float
    drop_below: float
    restore_above: float

    @classmethod
    def from_json(cls, data: dict) -> Model:
        if tuple(data["features"]) != FEATURES or tuple(data["stage2_features"]) != STAGE2:
            raise ValueError("scorer.json was trained on other features; rerun benchmarks/train_scorer.py")
        arr = lambda key: np.asarray(data[key], dtype=float)  # noqa: E731
        return cls(
            arr("mean1"), arr("scale1"), arr("w1"), float(data["b1"]),
            arr("mean2"), arr("scale2"), arr("w2"), float(data["b2"]),
            float(data["drop_below"]), float(data["restore_above"]),
        )  # fmt: skip

    def stage1(self, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Probabilities and per-feature contributions (logits) of stage 1."""
        contrib = (x - self.mean1) / self.scale1 * self.w1
        return _sigmoid(contrib.sum(axis=1) + self.b1), contrib

    def predict(self, x: np.ndarray, ruled: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Final probabilities of being article text, and stage 1's contributions."""
        p1, contrib = self.stage1(x)
        z = (stage2_features(p1, ruled) - self.mean2) / self.scale2 @ self.w2 + self.b2
        return _sigmoid(z), contrib


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))


@lru_cache(maxsize=1)
def default_model() -> Model:
    text = (Path(__file__).resolve().parent / "scorer.json").read_text(encoding="utf-8")
    return Model.from_json(json.loads(text))


# --- explanation -------------------------------------------------------------

_SAYS = {
    "log_words": "short",
    "short": "very short",
    "sentence_end": "no sentence end",
    "prose": "not a sentence of 8+ words",
    "stop_share": "few stop words",
    "stop_prose": "few stop words",
    "cap_share": "capitalised words",
    "digit_share": "digits",
    "separators": "separators",
    "url": "URL or handle",
    "repeated": "repeated in page",
    "ellipsis_end": "cut off with ...",
    "by_edge": "outside the main runs (EDGE001)",
    "by_teaser": "in a teaser run (TEASE001)",
    "by_list": "in a list of items (LIST001)",
    "prose_before": "most prose is before it",
    "prose_after": "most prose is after it",
    "in_main": "outside the main run",
    "before_main": "before the main run",
    "after_main": "after the main run",
    "rel_pos": "position in page",
}


def why(contrib: np.ndarray, p: float) -> str:
    """``p 0.12: after the main run, few stop words`` (the two features that
    pull the line's score down the most)."""
    parts = []
    for k in np.argsort(contrib)[:3]:
        if contrib[k] >= 0 or len(parts) == 2:
            break
        name = FEATURES[k]
        if name.startswith(("prev_", "next_")):
            side = "before" if name.startswith("prev_") else "after"
            parts.append(f"lines {side} it: {name.split('_', 1)[1]}")
        else:
            parts.append(_SAYS.get(name, name))
    return f"{SCORER_ID} p {p:.2f}: " + (", ".join(parts) or "context")


def review(page: Page, model: Model | None = None) -> tuple[list[tuple[int, str]], list[int]]:
    """The scorer's verdict on ``page``: alive lines to drop, as ``(line,
    detail)``, and lines a reviewed heuristic took that go back."""
    model = model or default_model()
    rows, x = page_features(page)
    if not rows:
        return [], []
    p, contrib = model.predict(x, ruled_rows(page, rows))
    drops, restores = [], []
    for row, i in enumerate(rows):
        if page.is_alive(i) and p[row] < model.drop_below:
            drops.append((i, why(contrib[row], float(p[row]))))
        elif page.dropped[i] in REVIEWED and p[row] > model.restore_above:
            restores.append(i)
    return drops, restores
