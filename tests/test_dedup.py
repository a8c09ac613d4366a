"""Near-duplicate flagging: copies, keepers, stable clusters, the seeds, parameters."""

from __future__ import annotations

import csv
import json
import random
from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pytest

from cleaner import clean_text
from cleaner.dedup import DedupConfig, Deduper, DedupError, cluster_id, write_clusters_csv, write_clusters_json
from cleaner.lsh import band_candidates, optimal_params
from cleaner.shingle import Sketcher, shingle_hashes

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))

STORY = [
    "The city council voted on Monday night to close the old Riverside bridge for at least two years of repairs.",
    "Engineers found cracks in three of the bridge's steel supports during an inspection in September, the council said.",
    "Traffic will be diverted over the Mill Street crossing, which officials expect to add ten minutes to rush-hour trips.",
    "Local businesses near the bridge said they feared losing customers and asked the council for temporary parking.",
    "The repairs are expected to cost 14 million dollars, most of it from a state infrastructure fund approved last year.",
    "A public meeting on the detour plans will be held at the central library on the first Thursday of next month.",
]
OTHER = [
    "Farmers in the northern valley began the grape harvest two weeks early this year after an unusually warm summer.",
    "Growers said the crop was smaller than last year but that the quality of the fruit was among the best in a decade.",
    "Several wineries have hired extra pickers from neighbouring towns to bring the grapes in before the autumn rains.",
]
HEADER = ["Home", "News", "Sport", "Weather", "Subscribe now", "Share on Facebook", "Share on Twitter", "Advertisement"]
TRAILER = ["Related articles", "Most read", "Sign up for our newsletter", "© 2023 Example Media. All rights reserved."]


def wrap(lines: list[str]) -> str:
    return "\n".join([*HEADER, *lines, *TRAILER]) + "\n"


def syndicated(lines: list[str]) -> list[str]:
    """Another headline, a dateline, the last paragraph cut, a local paragraph, a credit line."""
    body = ["LONDON (Reuters) - " + lines[0], *lines[1:-1]]
    body.insert(2, "Residents of Springfield said the closure had been the talk of the town since Monday.")
    return ["Bridge To Close For Two Years", *body, "This article originally appeared on Reuters."]


def run(texts: list[str], config: DedupConfig | None = None, metas: list[dict] | None = None) -> Mapping[int, dict]:
    d = Deduper(config or DedupConfig())
    for i, text in enumerate(texts):
        d.add(i, f"doc{i}", text, (metas or [{}] * len(texts))[i])
    return d.finish()


@pytest.fixture(scope="module")
def seeds() -> list[str]:
    return [clean_text(p.read_text(encoding="utf-8")).text for p in SEEDS]


def test_exact_duplicates_differ_only_in_case_and_punctuation() -> None:
    text = "\n".join(STORY)
    out = run([text, text.upper().replace(",", ""), "\n".join(OTHER)])
    assert out == {
        0: {"dup_cluster": cluster_id("doc0"), "dup_count": 1},
        1: {"duplicate_of": "doc0", "dup_cluster": cluster_id("doc0"), "dup_jaccard": 1.0},
    }


def test_rewrapped_edited_copy_is_flagged_with_its_keeper() -> None:
    texts = [clean_text(wrap(OTHER)).text, clean_text(wrap(STORY)).text, clean_text(wrap(syndicated(STORY))).text]
    out = run(texts)
    assert out[2]["duplicate_of"] == "doc1"
    assert 0.4 <= out[2]["dup_jaccard"] < 1.0
    assert out[1] == {"dup_cluster": cluster_id("doc1"), "dup_count": 1}
    assert 0 not in out


def test_the_five_seeds_are_never_clustered_together(seeds: list[str]) -> None:
    assert len(seeds) == 5
    assert run(seeds) == {}
    assert run(seeds, DedupConfig(verify="exact")) == {}


@pytest.mark.parametrize("k", range(5))
def test_a_rewrapped_seed_is_that_seeds_copy(seeds: list[str], k: int) -> None:
    copy = clean_text(wrap(seeds[k].splitlines())).text
    out = run([*seeds, copy])
    assert {i: f.get("duplicate_of") for i, f in out.items()} == {k: None, 5: f"doc{k}"}


def _cluster_of_three(keep: str, metas: list[dict], texts: list[str] | None = None) -> str:
    texts = texts or ["\n".join(STORY)] * 3
    out = run(texts, DedupConfig(keep=keep), metas)
    keepers = [i for i, f in out.items() if "dup_count" in f]
    assert len(keepers) == 1 and out[keepers[0]]["dup_count"] == 2
    return f"doc{keepers[0]}"


def test_keeper_first_and_longest_with_ties_by_input_order() -> None:
    assert _cluster_of_three("first", [{}] * 3) == "doc0"
    story = "\n".join(STORY)
    longer = story + "\nThis article originally appeared on Reuters."
    assert _cluster_of_three("longest", [{}] * 3, [story, longer, longer]) == "doc1"
    assert _cluster_of_three("longest", [{}] * 3, [story, story, story]) == "doc0"


def test_keeper_earliest_date_missing_last_ties_by_input_order() -> None:
    metas = [{}, {"date": "2023-05-02T10:00:00Z"}, {"date": "2023-05-01"}]
    assert _cluster_of_three("date:date", metas) == "doc2"
    assert _cluster_of_three("date:date", [{}, {"date": "2023-05-02"}, {"date": "2023-05-02"}]) == "doc1"
    assert _cluster_of_three("date:date", [{}, {}, {}]) == "doc0"


def test_keeper_preferred_domains_in_list_order() -> None:
    metas = [{"url": "https://news.example.com/a"}, {"source": "www.reuters.com"}, {"url": "https://apnews.com/x"}]
    assert _cluster_of_three("prefer:apnews.com,reuters.com", metas) == "doc2"
    assert _cluster_of_three("prefer:reuters.com,apnews.com", metas) == "doc1"
    assert _cluster_of_three("prefer:nowhere.org", metas) == "doc0"


def _clusters(order: list[int], batch: int, texts: list[str]) -> set[tuple[str, str, frozenset[str]]]:
    d = Deduper()
    for start in range(0, len(order), batch):
        chunk = order[start : start + batch]
        for i, sketch in zip(chunk, d.sketcher.sketch_many([texts[i] for i in chunk]), strict=True):
            d.add_sketch(i, f"doc{i}", sketch)
    return {(c.id, c.keeper.id, frozenset((m.id, m.jaccard) for m in c.copies)) for c in d.clusters()}


def test_clusters_and_ids_do_not_depend_on_add_order_or_batching() -> None:
    story, other = "\n".join(STORY), "\n".join(OTHER)
    texts = [story, other, "\n".join(syndicated(STORY)), other + "\nMore soon.", story.upper(), "\n".join(STORY[:2])]
    expected = _clusters(list(range(len(texts))), 1, texts)
    assert {keeper for _, keeper, _ in expected} == {"doc0", "doc1"}
    rng = random.Random(3)
    for batch in (1, 2, 4, 100):
        order = list(range(len(texts)))
        rng.shuffle(order)
        assert _clusters(order, batch, texts) == expected


def test_cluster_id_is_stable_when_copies_are_reordered() -> None:
    story = "\n".join(STORY)
    copies = ["\n".join(syndicated(STORY)), story.upper(), story + "\nMore soon."]
    first = run([story, *copies])
    second = run([story, *reversed(copies)])
    assert first[0]["dup_cluster"] == second[0]["dup_cluster"] == cluster_id("doc0")


def test_exact_verification_with_a_shingle_source() -> None:
    texts = ["\n".join(STORY), "\n".join(OTHER), "\n".join(syndicated(STORY))]
    estimated = run(texts)
    d = Deduper(DedupConfig(verify="exact"), shingle_source=lambda i: texts[i])
    for i, text in enumerate(texts):
        d.add(i, f"doc{i}", text)
    assert d.finish() == estimated
    d = Deduper(DedupConfig(verify="exact"), shingle_source=lambda i: shingle_hashes(texts[i], 5))
    for i, sketch in enumerate(d.sketcher.sketch_many(texts)):
        d.add_sketch(i, f"doc{i}", sketch)
    assert d.finish() == estimated


def test_cluster_report_json_and_csv(tmp_path: Path) -> None:
    d = Deduper()
    for i, text in enumerate(["\n".join(STORY), "\n".join(OTHER), "\n".join(STORY).lower()]):
        d.add(i, f"doc{i}", text)
    write_clusters_json(d.clusters(), tmp_path / "c.json")
    write_clusters_csv(d.clusters(), tmp_path / "c.csv")
    data = json.loads((tmp_path / "c.json").read_text())
    assert data == {
        "clusters": [
            {
                "cluster": cluster_id("doc0"),
                "keeper": {"index": 0, "id": "doc0", "jaccard": 1.0},
                "copies": [{"index": 2, "id": "doc2", "jaccard": 1.0}],
            }
        ]
    }
    rows = list(csv.reader((tmp_path / "c.csv").open()))
    assert rows == [
        ["cluster", "role", "index", "id", "jaccard"],
        [cluster_id("doc0"), "keeper", "0", "doc0", "1.0"],
        [cluster_id("doc0"), "copy", "2", "doc2", "1.0"],
    ]


def test_params_for_the_run_report() -> None:
    params = Deduper(DedupConfig(threshold=0.8, seed=7)).params()
    assert (params["bands"], params["rows"]) == optimal_params(0.8, 128)
    assert {k: params[k] for k in ("n", "num_perm", "seed", "threshold", "keep", "verify")} == {
        "n": 5,
        "num_perm": 128,
        "seed": 7,
        "threshold": 0.8,
        "keep": "first",
        "verify": "estimate",
    }


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"threshold": 1.0}, "dedup threshold must be in (0, 1), got 1.0"),
        ({"threshold": 0}, "dedup threshold must be in (0, 1), got 0"),
        ({"keep": "newest"}, "unknown dedup keeper policy 'newest'"),
        ({"keep": "date:"}, "unknown dedup keeper policy 'date:'"),
        ({"keep": "prefer:"}, "unknown dedup keeper policy 'prefer:'"),
        ({"n": 0}, "must be an integer >= 1, got 0"),
        ({"num_perm": 1}, "num_perm must be an integer in [2, 1024], got 1"),
        ({"verify": "maybe"}, "verify must be one of estimate, exact, got 'maybe'"),
        ({"bands": 4}, "set both dedup bands and rows or neither, got bands=4 rows=None"),
        ({"bands": 20, "rows": 8}, "bands * rows must be <= num_perm = 128, got 20 * 8"),
    ],
)
def test_bad_parameters_raise_value_errors_naming_the_value(kwargs: dict, message: str) -> None:
    with pytest.raises(ValueError) as err:
        DedupConfig(**kwargs)
    assert isinstance(err.value, DedupError)
    assert message in str(err.value)


def test_bulk_signatures_equal_datasketch_one_update_per_shingle() -> None:
    from datasketch import MinHash

    sketcher = Sketcher(num_perm=64, n=3, seed=5)
    shingles = shingle_hashes("\n".join(STORY), 3)
    m = MinHash(num_perm=64, seed=5, hashfunc=int, scheme="affine32")
    for h in shingles.tolist():
        m.update(h)
    assert np.array_equal(sketcher.signatures_of_shingles([shingles])[0], m.hashvalues)


def test_banding_finds_the_same_pairs_as_minhashlsh() -> None:
    from datasketch import LeanMinHash, MinHashLSH

    rng = np.random.default_rng(0)
    sigs = rng.integers(0, 2**32, size=(300, 32), dtype=np.uint32)
    sigs[150:200] = np.where(rng.random((50, 32)) < 0.7, sigs[:50], sigs[150:200])
    lsh = MinHashLSH(num_perm=32, params=(8, 4))
    mhs = [LeanMinHash(seed=1, hashvalues=row, scheme="affine32") for row in sigs]
    for i, m in enumerate(mhs):
        lsh.insert(i, m)
    expected = sorted({(i, j) for i, m in enumerate(mhs) for j in lsh.query(m) if i < j})
    assert [tuple(p) for p in band_candidates(sigs, 8, 4).tolist()] == expected
    assert len(expected) >= 40


def test_optimal_params_match_datasketch() -> None:
    from datasketch.lsh import _optimal_param

    assert optimal_params(0.4, 128) == _optimal_param(0.4, 128, 0.5, 0.5)


def test_documents_without_words_take_no_part() -> None:
    assert run(["", "...", "\n"]) == {}


def test_same_index_twice_is_an_error() -> None:
    d = Deduper()
    d.add(3, "a", "one two three")
    d.add(3, "b", "four five six")
    with pytest.raises(DedupError, match=r"document index added twice: \[3\]"):
        d.finish()


def test_clusters_json_is_written_as_json_dumps_would(tmp_path: Path) -> None:
    # Streamed a cluster at a time, byte for byte what dumping the whole document gives.
    from cleaner.dedup import Cluster, Member, sort_clusters, write_clusters_json

    cases = [
        [],
        [
            Cluster("c2", Member(9, "z", 1.0)),
            Cluster("c1", Member(3, "a\nb é", 1.0), [Member(5, "x", 0.5), Member(7, "y\u2028", 0.75)]),
        ],
    ]
    for clusters in cases:
        write_clusters_json(clusters, tmp_path / "c.json")
        data = {"clusters": [c.to_json() for c in sort_clusters(clusters)]}
        want = json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
        assert (tmp_path / "c.json").read_text(encoding="utf-8") == want


def test_rows_grow_in_blocks_and_join_once(monkeypatch: pytest.MonkeyPatch) -> None:
    from cleaner.dedup import _Rows

    monkeypatch.setattr(_Rows, "BLOCK", 3)
    rows = _Rows(2, np.uint32)
    want = np.arange(20, dtype=np.uint32).reshape(10, 2)
    for row in want:
        rows.append(row)
    assert len(rows.blocks) == 4
    assert np.array_equal(rows.view(), want) and len(rows.blocks) == 1
    more = want + 100
    for row in more:
        rows.append(row)
    assert np.array_equal(rows.view(), np.concatenate([want, more]))


def test_marks_are_a_mapping_of_each_marked_document() -> None:
    d = Deduper(DedupConfig(n=3))
    story = "The council voted on Monday to close the old bridge for repairs that will take at least two years."
    for i, text in enumerate(
        [story, "Other news about the harvest festival in the valley.", "LONDON - " + story, story]
    ):
        d.add(i, f"d{i}", text)
    marks = d.finish()
    assert sorted(marks) == [0, 2, 3] and len(marks) == 3 and 1 not in marks
    assert marks[0] == {"dup_cluster": cluster_id("d0"), "dup_count": 2}
    assert marks[3]["duplicate_of"] == "d0" and marks[3]["dup_jaccard"] == 1.0
    assert marks.get(1, {}) == {}
    with pytest.raises(KeyError):
        marks[7]


def test_exact_copies_compacted_in_place_give_the_same_clusters(monkeypatch: pytest.MonkeyPatch) -> None:
    # Only distinct signatures are banded; they are moved to the top of the
    # signature array in place (chunk by chunk) instead of copied out.
    import cleaner.dedup

    story, other = "\n".join(STORY), "\n".join(OTHER)
    kinds = [story, other, "\n".join(syndicated(STORY)), story.upper(), other + "\nMore soon.", "\n".join(STORY[:3])]
    rng = random.Random(7)
    texts = [rng.choice(kinds) + ("\nUpdated." if rng.random() < 0.3 else "") for _ in range(60)]

    def clusters(order: list[int]) -> list[tuple[str, list[tuple[str, float]]]]:
        d = Deduper(DedupConfig())
        for i in order:
            d.add(i, f"doc{i}", texts[i])
        return [(c.keeper.id, [(m.id, m.jaccard) for m in c.copies]) for c in d.clusters()]

    shuffled = list(range(len(texts)))
    rng.shuffle(shuffled)
    real = cleaner.dedup._compact_rows
    monkeypatch.setattr(cleaner.dedup, "_compact_rows", lambda rows, keep: real(rows, keep, chunk=3))
    compacted = [clusters(list(range(len(texts)))), clusters(shuffled)]
    monkeypatch.setattr(cleaner.dedup, "_compact_rows", lambda rows, keep: rows[keep])  # a copy, as before
    copied = [clusters(list(range(len(texts)))), clusters(shuffled)]
    assert compacted == copied and len(compacted[0]) == 2
    assert sum(len(copies) for _, copies in compacted[0]) == 58


def test_clustering_that_failed_once_is_not_silently_redone() -> None:
    # The signatures are rearranged in place while clustering: after a
    # failure, a second call must say so, not cluster the rearranged rows.
    calls = []

    def flaky(sigs: np.ndarray, bands: int, rows: int) -> np.ndarray:
        calls.append(1)
        raise OSError("the cluster went away")

    story = "\n".join(STORY)
    d = Deduper(DedupConfig(), candidates=flaky)
    for i, text in enumerate([story, story, story.upper(), "\n".join(OTHER)]):
        d.add(i, f"doc{i}", text)
    with pytest.raises(OSError):
        d.clusters()
    with pytest.raises(DedupError, match="failed before"):
        d.clusters()
    assert len(calls) == 1
