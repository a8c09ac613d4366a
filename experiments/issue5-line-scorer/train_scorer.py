"""Train the line scorer (SCORE001, ``scorer.py`` beside this script) on the quality-dev pages.

Trained on the dev set only (181 pages, 126 sites). For each page the
cleaner runs its rule packs and heuristics (all but SCORE001); every
non-blank line that is still kept, or that a reviewed heuristic (EDGE001,
TEASE001, LIST001) took, is a training row, labelled article text when most
of its 4-word shingles are in the gold text. Rows are weighted by their
tokens, normalised per page, so that each page counts about the same (the
benchmark's F1 is a macro mean over pages).

Two logistic regressions (L2, Newton's method, numpy only, deterministic):
stage 1 on the line features, stage 2 on stage 1's scores of the line and
its neighbours. The two thresholds (drop an alive line under ``drop_below``,
put back a line a heuristic took over ``restore_above``) are picked on the
training pages by macro sh4 F1, with recall kept at least as high as without
the scorer.

Leave-site-out cross-validation: the sites fall into 5 folds by the hash
``quality.site_fold`` uses; for each fold the model is trained on the other
four and scores the fifth. The script prints the CV F1 per fold next to the
full-dev F1 of the model trained on every page, and writes that model to
``scorer.json`` beside this script (``--out`` to write elsewhere, ``--check`` to write
nothing).

    python experiments/issue5-line-scorer/train_scorer.py --check

An experiment of issue 5, not part of the package: see README.md.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
sys.path[:0] = [str(HERE), str(REPO / "benchmarks"), str(REPO)]

import quality  # noqa: E402
import scoring  # noqa: E402
from scorer import FEATURES, REVIEWED, SCORER_ID, STAGE2, Model, page_features, ruled_rows, stage2_features  # noqa: E402

from cleaner.clean import Cleaner, apply_heuristic, apply_rules  # noqa: E402
from cleaner.config import Config  # noqa: E402
from cleaner.page import Page  # noqa: E402

L2_STAGE1 = 1.0
L2_STAGE2 = 1.0
DROP_GRID = (0.0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4)
RESTORE_GRID = (0.5, 0.6, 0.7, 0.8, 0.9, 1.01)


@dataclass
class PageData:
    page: quality.Page
    fold: int
    state: Page
    rows: list[int]
    x: np.ndarray
    ruled: np.ndarray
    cand: np.ndarray
    y: np.ndarray
    w: np.ndarray


def line_labels(texts: list[str], gold: str) -> np.ndarray:
    """1 for a line whose 4-word shingles are mostly in the gold. A line of
    fewer than 4 tokens is judged by the shingles it forms with the lines
    around it (a menu item "India" is not gold because the gold has the
    word somewhere)."""
    gold_units = set(scoring.units(gold, "sh4"))
    toks = [scoring.tokens(t) for t in texts]
    size = scoring.SHINGLE_SIZE
    out = np.zeros(len(texts))
    for k, line in enumerate(toks):
        if len(line) >= size:
            units = [tuple(line[j : j + size]) for j in range(len(line) - size + 1)]
        else:
            before = [t for row in toks[max(k - 3, 0) : k] for t in row][-(size - 1) :]
            after = [t for row in toks[k + 1 : k + 4] for t in row][: size - 1]
            seq = before + line + after
            lo, hi = len(before), len(before) + len(line)
            units = [tuple(seq[j : j + size]) for j in range(len(seq) - size + 1) if j < hi and j + size > lo]
            if not units:
                units = [tuple(seq)]
        out[k] = sum(1 for u in units if u in gold_units) / max(len(units), 1) >= 0.5
    return out


def heuristic_state(engine: Cleaner, text: str) -> Page:
    """The page as the cleaner leaves it before SCORE001 runs."""
    lang, _ = engine.language_of(text)
    _, plan = engine._prepared(lang)
    page = Page.from_text(text)
    apply_rules(page, plan)
    for h in engine.heuristics:
        if h.id != SCORER_ID:
            apply_heuristic(page, h)
    return page


def prepare(pages: list[quality.Page]) -> list[PageData]:
    engine = Cleaner(Config())
    out = []
    for p in pages:
        state = heuristic_state(engine, p.text)
        rows, x = page_features(state)
        ruled = ruled_rows(state, rows)
        texts = [state.text(i) for i in rows]
        y = line_labels(texts, p.gold)
        ntok = np.array([len(scoring.tokens(t)) for t in texts], dtype=float)
        cand = ~ruled
        w = np.where(cand, np.maximum(ntok, 1.0), 0.0)
        w = w / max(w.sum(), 1.0) * 100
        out.append(PageData(p, quality.site_fold(p.url), state, rows, x, ruled, cand, y, w))
    return out


# --- logistic regression ---------------------------------------------------------


def fit_logistic(
    x: np.ndarray, y: np.ndarray, w: np.ndarray, l2: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
    """Weighted L2 logistic regression on standardised features (Newton's
    method): ``(mean, scale, weights, bias)``."""
    mean = np.average(x, axis=0, weights=w)
    scale = np.sqrt(np.average((x - mean) ** 2, axis=0, weights=w))
    scale = np.where(scale > 1e-9, scale, 1.0)
    z = np.column_stack([(x - mean) / scale, np.ones(len(x))])
    beta = np.zeros(z.shape[1])
    reg = np.full(z.shape[1], l2)
    reg[-1] = 0.0
    for _ in range(50):
        p = 1 / (1 + np.exp(-np.clip(z @ beta, -30, 30)))
        grad = z.T @ (w * (p - y)) + reg * beta
        hess = (z * (w * p * (1 - p))[:, None]).T @ z + np.diag(reg + 1e-9)
        step = np.linalg.solve(hess, grad)
        beta -= step
        if np.abs(step).max() < 1e-8:
            break
    return mean, scale, beta[:-1], float(beta[-1])


def train(data: list[PageData]) -> Model:
    x = np.vstack([d.x[d.cand] for d in data])
    y = np.concatenate([d.y[d.cand] for d in data])
    w = np.concatenate([d.w[d.cand] for d in data])
    m1, s1, w1, b1 = fit_logistic(x, y, w, L2_STAGE1)
    stage1 = Model(m1, s1, w1, b1, np.zeros(len(STAGE2)), np.ones(len(STAGE2)), np.zeros(len(STAGE2)), 0.0, 0.0, 2.0)
    x2 = np.vstack([stage2_features(stage1.stage1(d.x)[0], d.ruled)[d.cand] for d in data])
    m2, s2, w2, b2 = fit_logistic(x2, y, w, L2_STAGE2)
    model = Model(m1, s1, w1, b1, m2, s2, w2, b2, 0.0, 2.0)
    drop, restore = pick_thresholds(model, data)
    return Model(m1, s1, w1, b1, m2, s2, w2, b2, drop, restore)


# --- decisions and scores ---------------------------------------------------------


def output(d: PageData, p: np.ndarray, drop_below: float, restore_above: float) -> str:
    dropped = list(d.state.dropped)
    for row, i in enumerate(d.rows):
        if dropped[i] is None and p[row] < drop_below:
            dropped[i] = SCORER_ID
        elif dropped[i] in REVIEWED and p[row] > restore_above:
            dropped[i] = None
    from cleaner.page import assemble

    return assemble([d.state.text(i) for i in range(len(d.state))], dropped)


def evaluate(data: list[PageData], probs: list[np.ndarray], drop: float, restore: float) -> dict[str, float]:
    scores = [scoring.score_page(output(d, p, drop, restore), d.page.gold) for d, p in zip(data, probs, strict=True)]
    return scoring.aggregate(scores), scores


def pick_thresholds(model: Model, data: list[PageData]) -> tuple[float, float]:
    probs = [model.predict(d.x, d.ruled)[0] for d in data]
    base = evaluate(data, probs, 0.0, 2.0)[0]
    best = (base["sh4_f1"], 0.0, 2.0)
    for drop in DROP_GRID:
        for restore in RESTORE_GRID:
            agg = evaluate(data, probs, drop, restore)[0]
            if agg["sh4_r"] >= base["sh4_r"] - 0.002 and agg["sh4_f1"] > best[0]:
                best = (agg["sh4_f1"], drop, restore)
    return best[1], best[2]


def to_json(model: Model) -> dict:
    r = lambda a: [round(float(v), 6) for v in a]  # noqa: E731
    return {
        "about": "SCORE001 line scorer, trained on quality-dev (181 pages) by benchmarks/train_scorer.py",
        "features": list(FEATURES),
        "stage2_features": list(STAGE2),
        "mean1": r(model.mean1), "scale1": r(model.scale1), "w1": r(model.w1), "b1": round(model.b1, 6),
        "mean2": r(model.mean2), "scale2": r(model.scale2), "w2": r(model.w2), "b2": round(model.b2, 6),
        "drop_below": model.drop_below, "restore_above": model.restore_above,
    }  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--bench", type=Path, default=quality.DEFAULT_BENCH)
    parser.add_argument("--out", type=Path, default=HERE / "scorer.json")
    parser.add_argument("--check", action="store_true", help="cross-validate only; write nothing")
    args = parser.parse_args()
    data = prepare(quality.load_pages(args.bench.resolve()))
    base = evaluate(data, [np.zeros(len(d.rows)) for d in data], 0.0, 2.0)
    probs: list[np.ndarray] = [np.zeros(0)] * len(data)
    cv_thresholds = {}
    for k in range(quality.FOLDS):
        model = train([d for d in data if d.fold != k])
        cv_thresholds[k] = (model.drop_below, model.restore_above)
        for n, d in enumerate(data):
            if d.fold == k:
                probs[n] = model.predict(d.x, d.ruled)[0]
    # Each held-out page is decided with its own fold model's thresholds.
    scores = []
    for d, p in zip(data, probs, strict=True):
        drop, restore = cv_thresholds[d.fold]
        scores.append(scoring.score_page(output(d, p, drop, restore), d.page.gold))
    cv = scoring.aggregate(scores)
    folds = [
        np.mean([s["sh4_f1"] for d, s in zip(data, scores, strict=True) if d.fold == k]) for k in range(quality.FOLDS)
    ]
    base_folds = [
        np.mean([s["sh4_f1"] for d, s in zip(data, base[1], strict=True) if d.fold == k]) for k in range(quality.FOLDS)
    ]
    full = train(data)
    full_agg = evaluate(data, [full.predict(d.x, d.ruled)[0] for d in data], full.drop_below, full.restore_above)[0]
    fmt = lambda a: f"P {a['sh4_p']:.4f} R {a['sh4_r']:.4f} F1 {a['sh4_f1']:.4f}"  # noqa: E731
    print(f"without the scorer:        {fmt(base[0])}  folds {' '.join(f'{f:.4f}' for f in base_folds)}")
    print(f"site-CV (train 4, score 1): {fmt(cv)}  folds {' '.join(f'{f:.4f}' for f in folds)}")
    print(f"  fold thresholds (drop_below, restore_above): {cv_thresholds}")
    print(f"full dev (train on all):   {fmt(full_agg)}  thresholds {full.drop_below}, {full.restore_above}")
    if not args.check:
        args.out.write_text(json.dumps(to_json(full), indent=1, sort_keys=True) + "\n", encoding="utf-8")
        print(f"written: {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
