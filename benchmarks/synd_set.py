"""Build a syndication test set for dedup from the quality-dev pages.

Every page of ``quality-dev/text/`` is in the set as itself (its own truth
cluster). On top of that, with a fixed seed:

- **copies**: for ``STORIES`` gold article bodies, 2-4 syndicated copies each,
  wrapped in the header and trailer junk of *other* pages (junk = the page's
  lines before its first and after its last article line), with realistic
  edits: another headline and a byline, a dateline prefix
  ("LONDON (Reuters) -"), the last paragraphs cut, a local paragraph added,
  "This article originally appeared on ..." at the end. Truth: same cluster as
  the original page.
- **template negatives**: short gold bodies wrapped in the same heavy
  template (the ``HEAVY`` pages with the most junk lines). Each one is a copy of its own
  original page and must not match the others: raw-text MinHash sees the
  shared template.
- **same-topic negatives**: the gold bodies with the highest word overlap
  are in the set anyway (every page is); :func:`topic_pairs` lists them.
- **exact copies**: a few pages repeated byte for byte.

:func:`seed_docs` builds the seed check: the five seeds (different articles
on one topic) plus one seed's cleaned text re-wrapped in another page's junk.

Run ``python benchmarks/synd_set.py [--out set.jsonl]`` for a summary.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from urllib.parse import urlsplit

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO))

from cleaner.shingle import tokens  # noqa: E402

DEFAULT_BENCH = REPO.parent / "shared/bench/quality-dev"
SEEDS = REPO / "seeds"
SEED = 20191120
STORIES = 60
HEAVY = 3
TEMPLATE_SHORT = 8
EXACT = 4

DATELINES = [
    "LONDON (Reuters) - ",
    "WASHINGTON (AP) — ",
    "NEW YORK, Nov 20 (Reuters) - ",
    "PARIS (AFP) - ",
    "SYDNEY — ",
    "BERLIN, Nov. 19 (dpa) - ",
]
SITES = ["The Conversation", "Yahoo News", "MSN", "the Associated Press", "Reuters", "Business Insider"]
LOCAL = [
    "Local officials in {town} said on {day} they were following the situation closely and would hold a briefing next week.",
    "Residents of {town} told this newspaper that the news had been the talk of the town since {day} morning.",
    "A spokesperson for the {town} county council declined to comment when reached by phone on {day}.",
]
TOWNS = ["Springfield", "Riverton", "Lakeside", "Fairview", "Georgetown", "Ashland"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]
BYLINES = ["By Staff and wire reports", "By Jane Miller, Associated Press", "From our news desk", "By Reuters staff"]


@dataclass
class Page:
    id: str
    url: str
    lines: list[str]
    gold: list[str]
    header: list[str]
    trailer: list[str]


@dataclass
class SyndDoc:
    id: str
    text: str
    truth: str
    kind: str
    url: str
    date: str


def _norm(line: str) -> str:
    return " ".join(tokens(line))


def _grams(words: Sequence[str], n: int = 4) -> set[tuple[str, ...]]:
    return {tuple(words[i : i + n]) for i in range(len(words) - n + 1)}


def _is_article(line: str, gold_lines: set[str], gold_grams: set[tuple[str, ...]]) -> bool:
    """Is this page line (part of) the article: equal to a gold line, or half its 4-grams in the gold."""
    words = tokens(line)
    grams = _grams(words)
    return " ".join(words) in gold_lines or (len(words) >= 6 and len(grams & gold_grams) >= 0.5 * len(grams))


def split_page(lines: Sequence[str], gold: Sequence[str]) -> tuple[list[str], list[str]]:
    """The junk before the first and after the last article line of a page."""
    gold_lines = {_norm(g) for g in gold}
    gold_grams = _grams(tokens(" ".join(gold)))
    hits = [i for i, line in enumerate(lines) if _is_article(line, gold_lines, gold_grams)]
    if not hits:
        return list(lines), []
    return list(lines[: hits[0]]), list(lines[hits[-1] + 1 :])


def load_pages(bench: Path = DEFAULT_BENCH) -> list[Page]:
    manifest = [json.loads(line) for line in (bench / "manifest.jsonl").read_text(encoding="utf-8").splitlines()]
    pages = []
    for rec in sorted(manifest, key=lambda r: r["id"]):
        lines = (bench / "text" / f"{rec['id']}.txt").read_text(encoding="utf-8").splitlines()
        gold = [g for g in (bench / "gold" / f"{rec['id']}.txt").read_text(encoding="utf-8").splitlines() if g.strip()]
        header, trailer = split_page(lines, gold)
        pages.append(Page(rec["id"], rec["url"], lines, gold, header, trailer))
    return pages


def _edit(body: list[str], rng: random.Random) -> list[str]:
    """A syndicated version of an article body (one paragraph per line)."""
    body = list(body)
    source = rng.choice(body).split()
    start = rng.randint(0, max(0, len(source) - 8))
    headline = " ".join(source[start : start + 8]).title()
    if len(body) >= 6 and rng.random() < 0.5:
        words = sum(len(p.split()) for p in body)
        while len(body) > 4 and sum(len(p.split()) for p in body[:-1]) >= 0.7 * words and rng.random() < 0.7:
            body.pop()
    if rng.random() < 0.5:
        body[0] = rng.choice(DATELINES) + body[0]
    if rng.random() < 0.4:
        local = rng.choice(LOCAL).format(town=rng.choice(TOWNS), day=rng.choice(DAYS))
        body.insert(rng.randint(1, len(body)), local)
    if rng.random() < 0.5:
        body.append(f"This article originally appeared on {rng.choice(SITES)}.")
    return [headline, rng.choice(BYLINES), *body]


def _wrap(body: list[str], template: Page) -> str:
    return "\n".join([*template.header, *body, *template.trailer]) + "\n"


def _date(rng: random.Random) -> str:
    return f"2019-11-{rng.randint(1, 28):02d}T{rng.randint(0, 23):02d}:00:00Z"


def _host(url: str) -> str:
    return urlsplit(url).hostname or "example.com"


def build(bench: Path = DEFAULT_BENCH, seed: int = SEED) -> list[SyndDoc]:
    """The syndication set, in a shuffled but fixed order."""
    rng = random.Random(seed)
    pages = load_pages(bench)
    docs = [SyndDoc(p.id, "\n".join(p.lines) + "\n", p.id, "original", p.url, _date(rng)) for p in pages]
    with_junk = [p for p in pages if len(p.header) + len(p.trailer) >= 5]
    long_ones = [p for p in pages if sum(len(g.split()) for g in p.gold) >= 150]
    for story in rng.sample(long_ones, min(STORIES, len(long_ones))):
        for k in range(rng.randint(2, 4)):
            template = rng.choice([p for p in with_junk if p.id != story.id])
            url = f"https://{_host(template.url)}/syndicated/{story.id[:8]}-{k}"
            docs.append(
                SyndDoc(
                    f"{story.id[:12]}-copy{k}",
                    _wrap(_edit(story.gold, rng), template),
                    story.id,
                    "copy",
                    url,
                    _date(rng),
                )
            )
    heavy = sorted(with_junk, key=lambda p: (-len(p.header) - len(p.trailer), p.id))[:HEAVY]
    short = [p for p in pages if 40 <= sum(len(g.split()) for g in p.gold) <= 250 and p not in heavy]
    for template in heavy:
        for p in rng.sample(short, min(TEMPLATE_SHORT, len(short))):
            url = f"https://{_host(template.url)}/story/{p.id[:8]}"
            docs.append(
                SyndDoc(f"{p.id[:12]}-in-{template.id[:6]}", _wrap(p.gold, template), p.id, "template", url, _date(rng))
            )
    for p in rng.sample(pages, EXACT):
        docs.append(SyndDoc(f"{p.id[:12]}-exact", "\n".join(p.lines) + "\n", p.id, "exact", p.url, _date(rng)))
    rng.shuffle(docs)
    return docs


def topic_pairs(bench: Path = DEFAULT_BENCH, top: int = 10) -> list[tuple[float, str, str]]:
    """Pairs of different gold bodies with the highest word-set overlap (same-topic negatives)."""
    pages = load_pages(bench)
    sets = [{w for w in tokens(" ".join(p.gold)) if len(w) > 3} for p in pages]
    scored = [
        (len(a & b) / len(a | b), pages[i].id, pages[j].id)
        for i, a in enumerate(sets)
        for j, b in enumerate(sets[:i])
        if a and b
    ]
    return sorted(scored, reverse=True)[:top]


def seed_docs(bench: Path = DEFAULT_BENCH, seeds: Path = SEEDS, copy_of: int = 0) -> list[SyndDoc]:
    """The five seeds (each its own truth cluster) plus seed ``copy_of``'s cleaned text
    re-wrapped in the junk of the quality-dev page with the most junk lines."""
    from cleaner import clean_text

    files = sorted(seeds.glob("*.txt"))
    docs = [SyndDoc(f.stem, f.read_text(encoding="utf-8"), f.stem, "seed", "", "") for f in files]
    template = max(load_pages(bench), key=lambda p: (len(p.header) + len(p.trailer), p.id))
    body = clean_text(docs[copy_of].text).text.splitlines()
    docs.append(SyndDoc(f"{files[copy_of].stem}-rewrapped", _wrap(body, template), files[copy_of].stem, "copy", "", ""))
    return docs


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--bench", type=Path, default=DEFAULT_BENCH, help="quality-dev folder")
    parser.add_argument("--out", type=Path, help="write the set as JSONL (id, text, truth, kind, url, date)")
    args = parser.parse_args(argv)
    docs = build(args.bench)
    kinds: dict[str, int] = {}
    for d in docs:
        kinds[d.kind] = kinds.get(d.kind, 0) + 1
    clusters = len({d.truth for d in docs})
    print(f"{len(docs)} documents in {clusters} truth clusters; by kind: {dict(sorted(kinds.items()))}")
    for score, a, b in topic_pairs(args.bench, top=5):
        print(f"  same-topic negative: {a[:12]} ~ {b[:12]}  word-set Jaccard {score:.3f}")
    if args.out:
        with args.out.open("w", encoding="utf-8") as fh:
            for d in docs:
                fh.write(json.dumps(asdict(d), ensure_ascii=False, sort_keys=True) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
