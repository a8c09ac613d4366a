"""The Dask backend: the same bytes as the local backend, on a LocalCluster
started by cleaner and on a scheduler given with --scheduler; a bounded
window of chunks in flight; a one-line error when dask is not installed."""

from __future__ import annotations

import importlib.util
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from cleaner.backends import dask_process_stream, process_chunk
from cleaner.cli import main
from cleaner.doc import Doc
from cleaner.errors import EXIT_USAGE
from cleaner.runner import CHUNK_DOCS, RunSpec

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
