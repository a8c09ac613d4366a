"""Dedup benchmark: quality on the syndication set, signature throughput, index memory.

Prints, in one run (figures only, nothing is asserted):

1. pairwise precision / recall / F1 and Adjusted Rand Index of MinHash on the
   raw text vs on the cleaned text, same parameters, on ``synd_set.build()``
   (target: cleaned F1 >= 0.95), and the seed check;
2. signature throughput: datasketch with one ``update`` per shingle (its
   default SHA-1 hash) vs the product (xxhash + ``MinHash.generator``)
   (target >= 10x);
3. candidate search at 100 k synthetic signatures: datasketch ``MinHashLSH``
   (insert + query every document) vs :func:`cleaner.lsh.band_candidates`,
   time and tracemalloc peak, each in its own subprocess (target <= 1/20 of
   the memory);
4. end-to-end docs/s (clean + sketch + cluster) and the S-curve.

``--sweep`` adds the grid of n / num_perm / threshold used to pick the defaults.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Sequence
from math import comb
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

import datasketch  # noqa: E402, F401  (imported before any timing: its first import loads scipy)
import synd_set  # noqa: E402

from cleaner import clean_text  # noqa: E402
from cleaner.dedup import DedupConfig, Deduper  # noqa: E402
from cleaner.shingle import Sketcher, tokens  # noqa: E402

INDEX_DOCS = 100_000


# --- quality ----------------------------------------------------------------


def predicted_labels(texts: Sequence[str], ids: Sequence[str], config: DedupConfig) -> list[str]:
    """Cluster label per document: its keeper's id (its own id when it has no copy)."""
    d = Deduper(config)
    for i, (doc_id, text) in enumerate(zip(ids, texts, strict=True)):
        d.add(i, doc_id, text)
    fields = d.finish()
    return [fields.get(i, {}).get("duplicate_of", doc_id) for i, doc_id in enumerate(ids)]


def pair_scores(truth: Sequence[str], pred: Sequence[str]) -> dict[str, float]:
    """Pairwise precision, recall, F1 and the Adjusted Rand Index of two labelings."""
    both = sum(comb(c, 2) for c in Counter(zip(truth, pred, strict=True)).values())
    t_pairs = sum(comb(c, 2) for c in Counter(truth).values())
    p_pairs = sum(comb(c, 2) for c in Counter(pred).values())
    p = both / p_pairs if p_pairs else 1.0
    r = both / t_pairs if t_pairs else 1.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    expected = t_pairs * p_pairs / comb(len(truth), 2)
    ari = (both - expected) / ((t_pairs + p_pairs) / 2 - expected)
    return {"P": p, "R": r, "F1": f1, "ARI": ari, "pairs": p_pairs}


def quality(docs: list[synd_set.SyndDoc], cleaned: list[str], config: DedupConfig) -> None:
    truth, ids = [d.truth for d in docs], [d.id for d in docs]
    print(f"\n== quality on the syndication set: {len(docs)} docs, {len(set(truth))} truth clusters ==")
    print(f"   n={config.n} num_perm={config.num_perm} threshold={config.threshold} bands x rows={config.banding()}")
    print(f"   {'text':<10}{'P':>8}{'R':>8}{'F1':>8}{'ARI':>8}{'pairs':>8}")
    for name, texts in (("raw", [d.text for d in docs]), ("cleaned", cleaned)):
        s = pair_scores(truth, predicted_labels(texts, ids, config))
        print(f"   {name:<10}{s['P']:>8.4f}{s['R']:>8.4f}{s['F1']:>8.4f}{s['ARI']:>8.4f}{s['pairs']:>8}")
    truth_pairs = sum(comb(c, 2) for c in Counter(truth).values())
    print(f"   (truth pairs: {truth_pairs})")


def seed_check(config: DedupConfig) -> None:
    print("\n== seeds: five articles on one topic + seed 0 re-wrapped in another page's junk ==")
    for copy_of in range(5):
        docs = synd_set.seed_docs(copy_of=copy_of)
        d = Deduper(config)
        for i, doc in enumerate(docs):
            d.add(i, doc.id, clean_text(doc.text).text)
        fields = d.finish()
        flagged = {docs[i].id: f.get("duplicate_of") for i, f in fields.items() if "duplicate_of" in f}
        ok = flagged == {docs[-1].id: docs[copy_of].id}
        print(f"   seed {copy_of} re-wrapped: copies flagged {flagged}  {'OK' if ok else 'WRONG'}")


def sweep(docs: list[synd_set.SyndDoc], cleaned: list[str]) -> None:
    print("\n== sweep on cleaned text: threshold:P/R/F1 ==")
    truth, ids = [d.truth for d in docs], [d.id for d in docs]
    for n in (3, 4, 5, 6, 7):
        for num_perm in (64, 128, 256):
            row = []
            for threshold in (0.3, 0.35, 0.4, 0.45, 0.5, 0.6):
                s = pair_scores(truth, predicted_labels(cleaned, ids, DedupConfig(n, num_perm, threshold)))
                row.append(f"{threshold}:{s['P']:.3f}/{s['R']:.3f}/{s['F1']:.3f}")
            print(f"   n={n} num_perm={num_perm:<4} " + "  ".join(row))


# --- throughput -------------------------------------------------------------


def _per_update(texts: Sequence[str], num_perm: int, n: int) -> None:
    from datasketch import MinHash

    for text in texts:
        words = tokens(text)
        m = MinHash(num_perm=num_perm, seed=1)
        for i in range(max(1, len(words) - n + 1)):
            m.update(" ".join(words[i : i + n]).encode())


def throughput(cleaned: list[str], config: DedupConfig) -> None:
    texts = [t for t in cleaned if t.strip()] * 3
    shingles = sum(max(1, len(tokens(t)) - config.n + 1) for t in texts)
    print(f"\n== signature throughput: {len(texts)} cleaned docs, {shingles:,} shingles, num_perm={config.num_perm} ==")
    t0 = time.perf_counter()
    _per_update(texts, config.num_perm, config.n)
    slow = time.perf_counter() - t0
    t0 = time.perf_counter()
    Sketcher(config.num_perm, config.n, config.seed).signatures(texts)
    fast = time.perf_counter() - t0
    print(
        f"   datasketch, one update per shingle (SHA-1): {len(texts) / slow:>9,.0f} docs/s  {shingles / slow:>12,.0f} shingles/s"
    )
    print(
        f"   product, xxhash + MinHash.generator batch:  {len(texts) / fast:>9,.0f} docs/s  {shingles / fast:>12,.0f} shingles/s"
    )
    print(f"   speed-up: {slow / fast:.1f}x")


# --- index at 100 k documents ----------------------------------------------

_INDEX_CHILD = r"""
import json, sys, time, tracemalloc
import numpy as np
sys.path.insert(0, {repo!r})
from cleaner.lsh import band_candidates
method, trace, n, num_perm, bands, rows = sys.argv[1], sys.argv[2] == "1", *map(int, sys.argv[3:])
rng = np.random.default_rng(7)
sigs = rng.integers(0, 2**32, size=(n, num_perm), dtype=np.uint32)
src = rng.choice(n, n // 20, replace=False)                 # 5 % of documents get a near copy
dst = (src + n // 2) % n
keep = rng.random((len(src), num_perm)) < 0.8                # ~80 % equal entries
sigs[dst] = np.where(keep, sigs[src], sigs[dst])
if method == "datasketch":
    from datasketch import LeanMinHash, MinHash, MinHashLSH
    proto = MinHash(num_perm=num_perm, seed=1)
    mhs = [LeanMinHash(seed=1, hashvalues=row, scheme="affine32") for row in sigs]
if trace:
    tracemalloc.start()
t0 = time.perf_counter()
if method == "datasketch":
    lsh = MinHashLSH(num_perm=num_perm, params=(bands, rows))
    for i, m in enumerate(mhs):
        lsh.insert(i, m, check_duplication=False)
    pairs = {{(i, j) for i, m in enumerate(mhs) for j in lsh.query(m) if i < j}}
    count = len(pairs)
else:
    count = len(band_candidates(sigs, bands, rows))
elapsed = time.perf_counter() - t0
peak = tracemalloc.get_traced_memory()[1] if trace else 0
print(json.dumps({{"seconds": elapsed, "peak": peak, "pairs": count}}))
"""


def _child(method: str, trace: bool, n: int, num_perm: int, bands: int, rows: int) -> dict[str, float]:
    code = _INDEX_CHILD.format(repo=str(HERE.parent))
    args = [method, "1" if trace else "0", str(n), str(num_perm), str(bands), str(rows)]
    proc = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, check=True)
    return dict(json.loads(proc.stdout))


def index_memory(config: DedupConfig, n: int) -> None:
    bands, rows = config.banding()
    sig_mb = n * config.num_perm * 4 / 1e6
    print(f"\n== candidate search at {n:,} docs (synthetic signatures, {bands} bands x {rows} rows) ==")
    print(f"   inputs, not counted: the signatures ({sig_mb:.0f} MB as an array; LeanMinHash objects for datasketch)")
    results = {}
    for method, label in (("datasketch", "datasketch MinHashLSH"), ("product", "product band_candidates")):
        timed = _child(method, False, n, config.num_perm, bands, rows)
        traced = _child(method, True, n, config.num_perm, bands, rows)
        results[method] = traced["peak"]
        print(
            f"   {label:<26} {timed['seconds']:>7.2f} s   peak {traced['peak'] / 1e6:>8.1f} MB   "
            f"{int(timed['pairs']):,} candidate pairs"
        )
    print(f"   memory ratio: product / datasketch = 1/{results['datasketch'] / max(results['product'], 1):.0f}")


# --- end to end --------------------------------------------------------------


def end_to_end(docs: list[synd_set.SyndDoc], config: DedupConfig) -> list[str]:
    t0 = time.perf_counter()
    cleaned = [clean_text(d.text).text for d in docs]
    t_clean = time.perf_counter() - t0
    d = Deduper(config)
    for i, (doc, text) in enumerate(zip(docs, cleaned, strict=True)):
        d.add(i, doc.id, text)
    d.finish()
    t_all = time.perf_counter() - t0
    print(f"\n== end to end on {len(docs)} docs ==")
    print(
        f"   clean + dedup: {len(docs) / t_all:,.0f} docs/s   (dedup alone: {len(docs) / (t_all - t_clean):,.0f} docs/s)"
    )
    return cleaned


def print_s_curve(config: DedupConfig) -> None:
    d = Deduper(config)
    bands, rows = config.banding()
    js = sorted({0.2, 0.3, config.threshold, 0.5, 0.6, 0.7, 0.8, 0.9})
    print(f"\n== S-curve at threshold {config.threshold}: {bands} bands x {rows} rows of {config.num_perm} ==")
    print("   " + "  ".join(f"J={j:.2f}: {p:.3f}" for j, p in d.s_curve(js)))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sweep", action="store_true", help="also print the parameter grid used to pick defaults")
    parser.add_argument("--index-docs", type=int, default=INDEX_DOCS, help="documents for the index benchmark")
    args = parser.parse_args(argv)
    config = DedupConfig()
    docs = synd_set.build()
    cleaned = end_to_end(docs, config)
    quality(docs, cleaned, config)
    seed_check(config)
    print_s_curve(config)
    throughput(cleaned, config)
    index_memory(config, args.index_docs)
    if args.sweep:
        sweep(docs, cleaned)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
