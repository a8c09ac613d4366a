"""The cleaner as a step in the tools users already run, checked against the
CLI on real dev pages: a datasets .map(batched=True) and a datatrove pipeline."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cleaner.cli import main

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT.parent / "shared" / "bench" / "quality-dev"
pytestmark = pytest.mark.skipif(not BENCH.is_dir(), reason=f"dev pages not found at {BENCH}")


@pytest.fixture(scope="module")
def pages() -> list[dict[str, str]]:
    ids = sorted(p.stem for p in (BENCH / "text").glob("*.txt"))[:6]
    return [{"id": i, "text": (BENCH / "text" / f"{i}.txt").read_text(encoding="utf-8")} for i in ids]


@pytest.fixture(scope="module")
def cli_texts(pages: list[dict[str, str]], tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    tmp = tmp_path_factory.mktemp("cli")
    (tmp / "in.jsonl").write_text("".join(json.dumps(p) + "\n" for p in pages), encoding="utf-8")
    assert main(["clean", str(tmp / "in.jsonl"), "-o", str(tmp / "out.jsonl")]) == 0
    return {r["id"]: r["text"] for r in map(json.loads, (tmp / "out.jsonl").read_text(encoding="utf-8").splitlines())}


def test_datasets_map_batched(pages: list[dict[str, str]], cli_texts: dict[str, str]) -> None:
    datasets = pytest.importorskip("datasets")
    from cleaner.integrations.hf import clean_batch_fn

    ds = datasets.Dataset.from_list(pages).map(clean_batch_fn(), batched=True, batch_size=4)
    assert ds.column_names == ["id", "text", "lines_removed", "words_removed", "lang", "flags"]
    assert {row["id"]: row["text"] for row in ds} == cli_texts
    assert all(row["lines_removed"] > 0 for row in ds)


def test_datatrove_pipeline(pages: list[dict[str, str]], cli_texts: dict[str, str], tmp_path: Path) -> None:
    pytest.importorskip("datatrove")
    from datatrove.executor import LocalPipelineExecutor
    from datatrove.pipeline.readers import JsonlReader
    from datatrove.pipeline.writers import JsonlWriter

    from cleaner.integrations.datatrove import CleanerStep

    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "pages.jsonl").write_text("".join(json.dumps(p) + "\n" for p in pages), encoding="utf-8")
    executor = LocalPipelineExecutor(
        pipeline=[
            JsonlReader(str(tmp_path / "in")),
            CleanerStep(),
            JsonlWriter(str(tmp_path / "out"), output_filename="cleaned.jsonl", compression=None),
        ],
        tasks=1,
        workers=1,
        logging_dir=str(tmp_path / "logs"),
    )
    executor.run()
    rows = [json.loads(x) for x in (tmp_path / "out" / "cleaned.jsonl").read_text(encoding="utf-8").splitlines()]
    assert {r["id"]: r["text"] for r in rows} == cli_texts
    assert all(r["metadata"]["lines_removed"] > 0 and r["metadata"]["lang"] for r in rows)
