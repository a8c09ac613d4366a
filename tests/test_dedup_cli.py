"""Near-duplicates through the CLI: flag by default, drop to a side file,
off; the cluster report next to the output; the seeds never cluster."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from cleaner.cli import main
from cleaner.errors import EXIT_USAGE

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))


def corpus(tmp_path: Path) -> Path:
    """The five seeds, a seed re-wrapped in another site's junk, and an exact copy."""
    seeds = [p.read_text(encoding="utf-8") for p in SEEDS]
    records = [{"id": p.stem, "text": t} for p, t in zip(SEEDS, seeds, strict=True)]
    wrapped = (
        "Home\nWorld\nShare this article\nBy Staff Reporter\n" + seeds[2] + "\nYou might also like\nSomething else"
    )
    records.append({"id": "rewrapped", "text": wrapped, "url": "https://other.example/x"})
    records.append({"id": "exact", "text": seeds[4]})
    path = tmp_path / "in.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(argv)
    return code, capsys.readouterr().err


def rows(path: Path) -> list[dict]:
    return [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines()]


def test_flag_mode_and_cluster_report(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = corpus(tmp_path)
    code, err = run(["clean", str(src), "-o", str(tmp_path / "out.jsonl")], capsys)
    assert code == 0, err
    got = {r["id"]: r for r in rows(tmp_path / "out.jsonl")}
    assert len(got) == 7  # flag mode writes every document
    copies = {i: r["duplicate_of"] for i, r in got.items() if "duplicate_of" in r}
    assert copies == {"rewrapped": SEEDS[2].stem, "exact": SEEDS[4].stem}
    assert got[SEEDS[2].stem]["dup_count"] == 1 and got["rewrapped"]["dup_cluster"] == got[SEEDS[2].stem]["dup_cluster"]
    # the five seeds are different articles on one topic: never clustered together
    assert len({got[p.stem].get("dup_cluster") for p in SEEDS if "dup_cluster" in got[p.stem]}) == 2
    report = json.loads((tmp_path / "out.clusters.json").read_text())
    assert len(report["clusters"]) == 2
    with (tmp_path / "out.clusters.csv").open() as fh:
        assert [r["role"] for r in csv.DictReader(fh)] == ["keeper", "copy", "keeper", "copy"]
    assert "near-duplicates in 2 clusters; threshold 0.4, 32 bands x 4 rows, P(candidate) J=0.2: 0.05" in err


def test_drop_mode_writes_copies_to_a_side_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = corpus(tmp_path)
    report = tmp_path / "r.json"
    code, err = run(
        ["clean", str(src), "-o", str(tmp_path / "out.jsonl"), "--dedup", "drop", "--report", str(report)], capsys
    )
    assert code == 0, err
    assert [r["id"] for r in rows(tmp_path / "out.jsonl")] == [p.stem for p in SEEDS]
    side = rows(tmp_path / "out.duplicates.jsonl")
    assert [(r["id"], r["duplicate_of"]) for r in side] == [("rewrapped", SEEDS[2].stem), ("exact", SEEDS[4].stem)]
    data = json.loads(report.read_text())
    assert data["counts"]["docs_dropped.duplicate"] == 2 and data["counts"]["docs_in"] == 7
    assert data["dedup"]["params"]["seed"] == 1 and data["dedup"]["params"]["num_perm"] == 128


def test_off_and_keeper_policy(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = corpus(tmp_path)
    assert run(["clean", str(src), "-o", str(tmp_path / "off.jsonl"), "--dedup", "off"], capsys)[0] == 0
    assert not any("dup_cluster" in r for r in rows(tmp_path / "off.jsonl"))
    assert not (tmp_path / "off.clusters.json").exists()
    assert (
        run(["clean", str(src), "-o", str(tmp_path / "p.jsonl"), "--dedup-keep", "prefer:other.example"], capsys)[0]
        == 0
    )
    got = {r["id"]: r for r in rows(tmp_path / "p.jsonl")}
    assert got[SEEDS[2].stem]["duplicate_of"] == "rewrapped"


def test_drop_to_stdout_needs_a_side_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, err = run(["clean", str(corpus(tmp_path)), "-o", "-", "--dedup", "drop"], capsys)
    assert (code, err) == (
        EXIT_USAGE,
        "cleaner: error: --dedup drop with output to stdout needs --duplicates PATH for the copies\n",
    )


def test_bad_threshold_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, err = run(
        ["clean", str(corpus(tmp_path)), "-o", str(tmp_path / "o.jsonl"), "--dedup-threshold", "1.5"], capsys
    )
    assert code == EXIT_USAGE and err.startswith("cleaner: error: ") and "1.5" in err and err.count("\n") == 1
