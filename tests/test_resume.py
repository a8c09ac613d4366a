"""Resumable runs on small inputs: a run interrupted after some shards
(Ctrl-C in the process, as a kill leaves the same work folder), then
``--resume``, which must refuse when the input or options changed and must
not replace files it did not write."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from cleaner.cli import main
from cleaner.errors import EXIT_DATA, EXIT_USAGE
from cleaner.shards import Shard, WorkDir

ARTICLE = "The council met on Monday and voted to close the old bridge for two years of repairs."
PACK = """
[[rule]]
id = "TEST001"
category = "test"
why = "Test lines go."
match = '{match}'
action = "drop-line"
removes = ["Promo code XYZ"]
keeps = ["{keep}"]
"""
REFUSED = "the interrupted run here used other input or options"


def interrupt_after(monkeypatch: pytest.MonkeyPatch, shards: int) -> None:
    """Make the next run stop (as on Ctrl-C) once ``shards`` shards are stored."""
    real = WorkDir.add

    def add(self: WorkDir, shard: Shard, last: bool = False) -> None:
        if self.done >= shards:
            raise KeyboardInterrupt
        real(self, shard, last)

    monkeypatch.setattr(WorkDir, "add", add)


def interrupted(monkeypatch: pytest.MonkeyPatch, argv: list[str], shards: int = 2) -> None:
    with monkeypatch.context() as m:
        interrupt_after(m, shards)
        assert main(argv) == 130


def write_corpus(path: Path, n: int = 40) -> Path:
    lines = [
        json.dumps({"id": f"d{i}", "text": f"{ARTICLE} Item {i}.\nPromo code XYZ\nPromo code ABC"}) for i in range(n)
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_resume_refuses_an_edited_rule_pack(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    src = write_corpus(tmp_path / "in.jsonl")
    pack = tmp_path / "pack.toml"
    pack.write_text(PACK.format(match="Promo code XYZ", keep="Promo code ABC"), encoding="utf-8")
    argv = ["clean", str(src), "-o", str(tmp_path / "out.jsonl"), "--rules", str(pack), "--shard-docs", "10"]
    argv += ["--workers", "1", "--language", "en", "--dedup", "off"]
    interrupted(monkeypatch, argv)
    pack.write_text(PACK.format(match="Promo code (XYZ|ABC)", keep="Promo codes are rare"), encoding="utf-8")
    capsys.readouterr()
    assert main([*argv, "--resume"]) == EXIT_USAGE
    assert REFUSED in capsys.readouterr().err
    assert not (tmp_path / "out.jsonl").exists()


def test_resume_refuses_a_folder_input_with_a_file_edited_in_place(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "pages"
    folder.mkdir()
    for i in range(30):
        (folder / f"{i:02d}.txt").write_text(f"{ARTICLE} Page {i}.\n", encoding="utf-8")
    stamp = os.stat(folder).st_mtime_ns
    argv = ["clean", str(folder), "-o", str(tmp_path / "out"), "--shard-docs", "10", "--workers", "1"]
    argv += ["--language", "en", "--dedup", "off"]
    interrupted(monkeypatch, argv)
    page = folder / "05.txt"
    page.write_text(page.read_text(encoding="utf-8").replace("Page", "PAGE"), encoding="utf-8")  # same size
    os.utime(folder, ns=(stamp, stamp))  # the folder itself looks untouched
    capsys.readouterr()
    assert main([*argv, "--resume"]) == EXIT_USAGE
    assert REFUSED in capsys.readouterr().err


def test_the_options_fingerprint_is_the_same_in_every_process(tmp_path: Path) -> None:
    # Sets (--disable, --lang) iterate in an order that changes with string
    # hash randomisation; a resume in a new process must see the same options.
    script = (
        "import json; from cleaner.cli import build_parser, config_from_args; from cleaner.execute import Job;"
        "a = build_parser().parse_args(['clean', 'in.jsonl', '-o', 'o.jsonl', '--disable', 'EDGE001,REP001,share']);"
        "job = Job(input='in.jsonl', input_format='jsonl', output='o.jsonl', output_kind='jsonl',"
        " config=config_from_args(a), keep_langs=frozenset({'en', 'de', 'fr', 'es', 'it'}));"
        "print(json.dumps(job.options(), sort_keys=True))"
    )
    seen = set()
    for seed in range(6):
        env = {**os.environ, "PYTHONHASHSEED": str(seed)}
        done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True)
        seen.add(done.stdout)
    assert len(seen) == 1


def test_resume_with_the_same_options_gives_the_uninterrupted_bytes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    src = write_corpus(tmp_path / "in.jsonl")
    common = ["--shard-docs", "10", "--workers", "1", "--disable", "EDGE001,REP001,share", "--lang", "en,de,fr"]
    assert main(["clean", str(src), "-o", str(tmp_path / "ref.jsonl"), *common]) == 0
    argv = ["clean", str(src), "-o", str(tmp_path / "out.jsonl"), *common]
    interrupted(monkeypatch, argv)
    assert main([*argv, "--resume"]) == 0, capsys.readouterr().err
    assert (tmp_path / "out.jsonl").read_bytes() == (tmp_path / "ref.jsonl").read_bytes()


def test_resume_without_an_interrupted_run_does_not_replace_an_existing_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = write_corpus(tmp_path / "in.jsonl", 3)
    precious = tmp_path / "precious.jsonl"
    precious.write_text("keep me\n", encoding="utf-8")
    code = main(["clean", str(src), "-o", str(precious), "--resume"])
    assert (code, capsys.readouterr().err) == (
        EXIT_USAGE,
        f"cleaner: error: {precious}: output already exists; remove it or pass --overwrite\n",
    )
    assert precious.read_text(encoding="utf-8") == "keep me\n"
    (tmp_path / "out.report.json").write_text("mine", encoding="utf-8")  # a side file too
    code = main(["clean", str(src), "-o", str(tmp_path / "out.jsonl"), "--resume"])
    assert code == EXIT_USAGE and (tmp_path / "out.report.json").read_text(encoding="utf-8") == "mine"
    assert main(["clean", str(src), "-o", str(tmp_path / "new.jsonl"), "--resume"]) == 0  # starts a fresh run
    assert len((tmp_path / "new.jsonl").read_text(encoding="utf-8").splitlines()) == 3


class FullDisk(io.StringIO):
    def write(self, s: str) -> int:
        raise OSError(28, "No space left on device")


def test_a_failed_run_to_stdout_removes_its_temporary_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    src = write_corpus(tmp_path / "in.jsonl", 30)
    temp = tmp_path / "tmp"
    temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    monkeypatch.setattr(sys, "stdout", FullDisk())
    code = main(["clean", str(src), "-o", "-", "--shard-docs", "10", "--workers", "1", "--dedup", "off"])
    assert code == EXIT_DATA and "No space left on device" in capsys.readouterr().err
    monkeypatch.setattr(sys, "stdout", io.StringIO())
    with monkeypatch.context() as m:
        interrupt_after(m, 1)
        assert main(["clean", str(src), "-o", "-", "--shard-docs", "10", "--workers", "1"]) == 130
    assert list(temp.iterdir()) == []


def test_an_interrupted_resumable_run_keeps_its_shards_and_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    src = write_corpus(tmp_path / "in.jsonl", 30)
    out = tmp_path / "out.jsonl"
    interrupted(monkeypatch, ["clean", str(src), "-o", str(out), "--shard-docs", "10", "--workers", "1"])
    assert capsys.readouterr().err == (
        f"cleaner: error: interrupted; the processed shards are kept in {tmp_path / 'out.jsonl.work'} "
        "(run the same command again with --resume)\n"
    )
    assert json.loads((tmp_path / "out.jsonl.work" / "manifest.json").read_text())["shards"] == 2
