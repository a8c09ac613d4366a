"""The Dask backend: the same bytes as the local backend, on a LocalCluster
started by cleaner and on a scheduler given with --scheduler, with the
template count and the band-key grouping done on the cluster (and pinned
equal to their local versions); a bounded window of chunks in flight; a
one-line error when dask is not installed."""

from __future__ import annotations

import importlib.util
import json
import random
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import cleaner.backends
import cleaner.dask_corpus
import cleaner.lsh
import cleaner.template
from cleaner.backends import dask_process_stream, process_chunk
from cleaner.cli import main
from cleaner.doc import Doc
from cleaner.errors import EXIT_USAGE
from cleaner.lsh import band_candidates, band_rows, grouped_candidates, merge_pairs
from cleaner.runner import CHUNK_DOCS, RunSpec
from cleaner.template import TemplateCounts, TemplateTally, learn_templates

ROOT = Path(__file__).resolve().parent.parent

BENCH = Path(__file__).resolve().parent.parent.parent / "shared" / "bench" / "quality-dev" / "text"
HAVE_DASK = importlib.util.find_spec("distributed") is not None
needs_dask = pytest.mark.skipif(
    not HAVE_DASK, reason="dask.distributed is not installed (pip install 'cleaner[dask]' to run the Dask tests)"
)
needs_pages = pytest.mark.skipif(not BENCH.is_dir(), reason=f"dev pages not found at {BENCH}")


def corpus(path: Path, copies: int) -> Path:
    pages = [p.read_text(encoding="utf-8") for p in sorted(BENCH.glob("*.txt"))]
    with path.open("w", encoding="utf-8") as fh:
        for c in range(copies):
            for n, text in enumerate(pages):
                fh.write(json.dumps({"id": f"{c}-{n}", "text": text if c == 0 else f"Copy {c}\n{text}"}) + "\n")
    return path


@pytest.fixture(scope="module")
def scheduler() -> Iterator[str]:
    """A scheduler on a free port with 2 worker processes (as `dask scheduler` + `dask worker` would be)."""
    distributed = pytest.importorskip("distributed", reason="dask.distributed is not installed")
    with distributed.LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        dashboard_address=None,
        scheduler_port=0,
        scheduler_kwargs={"dashboard_address": ":0"},
    ) as cluster:
        yield cluster.scheduler_address


def clean(src: Path, out: Path, *extra: str) -> dict[str, Any]:
    code = main(["clean", str(src), "-o", str(out), "--language", "en", "--dedup", "flag", *extra])
    assert code == 0
    return json.loads(out.with_name(out.stem + ".report.json").read_text())


@needs_dask
@needs_pages
def test_dask_gives_the_same_bytes_as_local(tmp_path: Path, scheduler: str) -> None:
    src = corpus(tmp_path / "in.jsonl", 2)  # 362 documents: 12 chunks interleaved over 2 workers
    local = clean(src, tmp_path / "local.jsonl", "--workers", "1")
    started = clean(src, tmp_path / "started.jsonl", "--backend", "dask", "--workers", "2")  # its own LocalCluster
    given = clean(src, tmp_path / "given.jsonl", "--backend", "dask", "--scheduler", scheduler)
    expected = (tmp_path / "local.jsonl").read_bytes()
    assert (tmp_path / "started.jsonl").read_bytes() == expected
    assert (tmp_path / "given.jsonl").read_bytes() == expected
    for report in (started, given):
        assert report["counts"] == local["counts"] and report["examples"] == local["examples"]
    assert local["counts"]["docs_in"] == 362 and local["counts"]["docs_flagged.near_dup"] > 0


class _Future:
    def __init__(self, value: Any, client: _Client) -> None:
        self.value, self.client = value, client

    def result(self) -> Any:
        return self.value

    def release(self) -> None:
        self.client.in_flight -= 1


class _Client:
    """Runs each task at submit time and counts the futures not yet taken."""

    def __init__(self) -> None:
        self.in_flight = self.most = 0

    def submit(self, fn: Any, *args: Any, pure: bool = True) -> _Future:
        assert pure is False
        self.in_flight += 1
        self.most = max(self.most, self.in_flight)
        return _Future(fn(*args), self)

    def scatter(self, value: Any, broadcast: bool = False, hash: bool = True) -> Any:
        return value


def test_stream_keeps_input_order_and_a_bounded_window() -> None:
    docs = [Doc(id=str(i), text=f"Paragraph {i} of a short article about rivers.\n") for i in range(CHUNK_DOCS * 7 + 5)]
    client = _Client()
    results = list(dask_process_stream(iter(docs), RunSpec(), client, window=3))
    assert [r.doc.id for r in results] == [d.id for d in docs]
    assert client.most == 3 and client.in_flight == 0


def test_each_worker_builds_its_processor_once() -> None:
    import cleaner.backends as backends

    spec = RunSpec()
    process_chunk(spec, [Doc(id="a", text="One line.\n")])
    first = backends._LOCAL.processor[1]
    process_chunk(spec, [Doc(id="b", text="Another line.\n")])
    assert backends._LOCAL.processor[1] is first
    process_chunk(RunSpec(drop_empty=True), [Doc(id="c", text="A third line.\n")])
    assert backends._LOCAL.processor[1] is not first


def test_missing_dask_is_one_line_with_the_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(sys.modules, "distributed", None)  # import distributed -> ImportError
    src = tmp_path / "in.jsonl"
    src.write_text('{"id": "1", "text": "Hello."}\n', encoding="utf-8")
    out = tmp_path / "out.jsonl"
    assert main(["clean", str(src), "-o", str(out), "--backend", "dask"]) == EXIT_USAGE
    assert capsys.readouterr().err == (
        "cleaner: error: --backend dask needs dask[distributed]: pip install 'cleaner[dask]'\n"
    )
    assert not out.exists() and not Path(f"{out}.work").exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--scheduler", "tcp://127.0.0.1:8786"], "--scheduler needs --backend dask"),
        (
            ["--backend", "dask", "--scheduler", "tcp://127.0.0.1:8786", "--workers", "2"],
            "--workers does not apply to --scheduler (the cluster's workers do the work); drop one",
        ),
    ],
)
def test_backend_usage_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    src = tmp_path / "in.jsonl"
    src.write_text('{"id": "1", "text": "Hello."}\n', encoding="utf-8")
    assert main(["clean", str(src), "-o", str(tmp_path / "out.jsonl"), *args]) == EXIT_USAGE
    assert capsys.readouterr().err == f"cleaner: error: {message}\n"


# --- the corpus passes on the cluster ------------------------------------------------------

BODY = "Officials said on {day} that the {thing} would reopen after repairs that took most of the year."
THINGS = ["bridge", "library", "pool", "station", "museum", "park", "market", "school", "clinic", "theatre"]


def passes_corpus() -> list[dict[str, str]]:
    """Template lines on one site (tests/test_template.py's shape), the seeds, a seed re-wrapped
    and an exact copy (tests/test_dedup_cli.py's), 70 near-copies of one seed (their band
    buckets exceed MAX_BUCKET_PAIRS, so star-and-chain pairs are compared too), and a bad line."""
    docs = []
    for n, thing in enumerate(THINGS):
        lines = [BODY.format(day="Monday", thing=thing), "Weekend picks for families", "Our city desk picks"]
        docs.append({"id": f"site-{n}", "url": f"https://www.site.example/{n}", "text": "\n".join(lines)})
    seeds = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("*.txt"))]
    docs += [{"id": f"seed-{n}", "text": t} for n, t in enumerate(seeds)]
    docs.append({"id": "rewrapped", "url": "https://other.example/x", "text": f"Home\nShare this\n{seeds[2]}\nMore"})
    docs.append({"id": "exact", "text": seeds[4]})
    first = seeds[0].split("\n")
    for c in range(70):
        docs.append({"id": f"near-{c}", "url": f"https://copies.example/{c}", "text": "\n".join(first[: 2 + c % 9])})
    return docs


def write_corpus(path: Path) -> Path:
    docs = passes_corpus()
    lines = [json.dumps(d) for d in docs]
    lines.insert(7, '{"id": "broken", "text": ')  # a reject
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return path


def test_tallies_of_parts_learn_what_one_count_learns() -> None:
    items = [(d.get("url", "file").split("/")[2] if "url" in d else "file", d["text"]) for d in passes_corpus()]
    items += [("a.example", f"Menu\nStory {n}\nFooter") for n in range(9)] + [("b.example", "")]
    counts = TemplateCounts()
    for source, text in items:
        counts.add(source, text)
    expected = counts.learn(3, 0.2)
    assert expected.size() > 0
    random.Random(3).shuffle(items)
    parts = [TemplateTally.of(items[k : k + 7]) for k in range(0, len(items), 7)]
    merged = TemplateTally.merge([TemplateTally.merge(parts[:3]), TemplateTally.merge(parts[3:])])
    assert merged.learn(3, 0.2) == expected == learn_templates(items, 3, 0.2)
    assert TemplateTally.of([]).learn() == TemplateCounts().learn()


@pytest.mark.parametrize("parts", [1, 2, 5])
def test_band_keys_grouped_in_splits_give_the_local_pairs(parts: int) -> None:
    rng = np.random.default_rng(5)
    sigs = rng.integers(0, 4, size=(300, 16), dtype=np.uint32)  # many collisions, buckets over 64 rows
    sigs[:100, :8] = 7  # one bucket of 100 rows in bands 0 and 1
    expected = band_candidates(sigs, 4, 4)
    mapped = [band_rows(sigs[k : k + 70], k, 4, 4, parts) for k in range(0, len(sigs), 70)]
    found = [grouped_candidates([m[p] for m in mapped], len(sigs)) for p in range(parts)]
    assert np.array_equal(merge_pairs(found, len(sigs)), expected)
    assert len(expected) > 0


@pytest.fixture()
def small_partitions(monkeypatch: pytest.MonkeyPatch) -> None:
    """Partitions of a few documents and a fan-in of 2, so a small corpus has many of
    each and the tree reductions have several levels."""
    monkeypatch.setattr(cleaner.dask_corpus, "TEMPLATE_DOCS", 4)
    monkeypatch.setattr(cleaner.dask_corpus, "SIGNATURE_ROWS", 9)
    monkeypatch.setattr(cleaner.dask_corpus, "FAN_IN", 2)
    monkeypatch.setattr(cleaner.backends, "CHUNK_DOCS", 8)


@needs_dask
def test_the_passes_on_the_cluster_equal_the_local_ones(scheduler: str, small_partitions: None) -> None:
    import distributed

    items = [(d.get("url", "f").split("/")[2] if "url" in d else "f", d["text"]) for d in passes_corpus()]
    rng = np.random.default_rng(9)
    sigs = rng.integers(0, 3, size=(200, 12), dtype=np.uint32)
    with distributed.Client(scheduler) as client:
        templates = cleaner.dask_corpus.learn_templates(client, iter(items), 5, 0.3, window=3)
        assert templates == learn_templates(items, 5, 0.3) and templates.size() >= 2
        assert cleaner.dask_corpus.learn_templates(client, iter([]), 5, 0.3, window=3) == learn_templates([], 5, 0.3)
        pairs = cleaner.dask_corpus.band_candidates(client, sigs, 3, 4)
        assert np.array_equal(pairs, band_candidates(sigs, 3, 4)) and len(pairs) > 0
        assert cleaner.dask_corpus.band_candidates(client, sigs[:0], 3, 4).shape == (0, 2)


def outputs(out: Path) -> dict[str, bytes]:
    names = [
        out.name,
        *(out.stem + s for s in (".rejects.jsonl", ".duplicates.jsonl", ".clusters.json", ".clusters.csv")),
    ]
    return {name: (out.parent / name).read_bytes() for name in names}


@needs_dask
def test_dask_passes_give_the_same_files_as_local(
    tmp_path: Path, scheduler: str, small_partitions: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    src = write_corpus(tmp_path / "in.jsonl")
    args = ["--dedup", "drop", "--language", "en"]
    assert main(["clean", str(src), "-o", str(tmp_path / "local" / "out.jsonl"), *args]) == 0

    def not_here(*args: Any) -> None:
        raise AssertionError("the dask backend counted or grouped on the client")

    monkeypatch.setattr(cleaner.template, "learn_templates", not_here)
    monkeypatch.setattr(cleaner.lsh, "band_candidates", not_here)
    monkeypatch.setattr(cleaner.lsh, "band_candidate_batches", not_here)
    dask_out = tmp_path / "dask" / "out.jsonl"
    assert main(["clean", str(src), "-o", str(dask_out), *args, "--backend", "dask", "--scheduler", scheduler]) == 0
    local, remote = outputs(tmp_path / "local" / "out.jsonl"), outputs(dask_out)
    assert local == remote
    reports = [json.loads((tmp_path / d / "out.report.json").read_text()) for d in ("local", "dask")]
    for key in ("counts", "examples", "templates", "dedup", "accounting", "docs", "rejects", "rules"):
        assert reports[0][key] == reports[1][key], key
    counts = reports[0]["counts"]
    assert counts["lines_removed.TMPL001"] > 0 and counts["docs_dropped.duplicate"] > 60
    assert counts["docs_rejected.not_valid_json"] == 1 and reports[0]["templates"]["lines"] >= 2
