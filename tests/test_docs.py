"""Docs that cannot rot: every command has --help with examples and every
option a help string; the README's ```console examples run and print what
the README shows."""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from cleaner.cli import build_parser

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"


def _commands(
    parser: argparse.ArgumentParser, path: tuple[str, ...] = ()
) -> Iterator[tuple[str, argparse.ArgumentParser]]:
    yield " ".join(("cleaner", *path)), parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield from _commands(sub, (*path, name))


COMMANDS = dict(_commands(build_parser()))


@pytest.mark.parametrize("name", [n for n in COMMANDS if n != "cleaner"])
def test_every_command_has_examples_in_its_epilog(name: str) -> None:
    epilog = COMMANDS[name].epilog or ""
    assert "examples:" in epilog, f"`{name} --help` needs an epilog with 'examples:'"
    assert name.split()[1] in epilog.split("examples:", 1)[1], f"`{name}` examples should show the command itself"


@pytest.mark.parametrize("name", list(COMMANDS))
def test_every_option_has_help(name: str) -> None:
    missing = [
        "/".join(a.option_strings) or a.dest
        for a in COMMANDS[name]._actions
        if not isinstance(a, argparse._SubParsersAction) and not (a.help and a.help.strip())
    ]
    assert not missing, f"`{name}`: options without help: {', '.join(missing)}"


# --- README console examples -------------------------------------------------------


def console_examples() -> list[tuple[int, list[tuple[str, list[str]]]]]:
    """(line number, [(command, expected output lines)]) per ```console block."""
    text = README.read_text(encoding="utf-8")
    blocks = []
    for m in re.finditer(r"```console\n(.*?)```", text, re.S):
        lineno = text[: m.start()].count("\n") + 1
        steps: list[tuple[str, list[str]]] = []
        for line in m.group(1).splitlines():
            if line.startswith("$ "):
                steps.append((line[2:], []))
            elif steps:
                steps[-1][1].append(line)
        blocks.append((lineno, steps))
    return blocks


def _norm(line: str) -> str:
    """Runs of white space (no-break spaces too, which seeds contain) as one space."""
    return " ".join(line.split()) if line.strip() else ""


def _subsequence(shown: list[str], actual: list[str]) -> bool:
    it = iter(actual)
    return all(any(line == got for got in it) for line in shown)


def _workdir(tmp: Path) -> dict[str, str]:
    """A temp copy of the seeds, the crawl.jsonl of the dedup example, and a
    `cleaner` on PATH that runs this checkout with this interpreter."""
    shutil.copytree(ROOT / "seeds", tmp / "seeds")
    sys.path.insert(0, str(ROOT / "tests"))
    from test_dedup_cli import corpus

    corpus(tmp).rename(tmp / "crawl.jsonl")
    (tmp / "bin").mkdir()
    shim = tmp / "bin" / "cleaner"
    shim.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m cleaner "$@"\n', encoding="utf-8")
    shim.chmod(0o755)
    return {**os.environ, "PATH": f"{tmp / 'bin'}{os.pathsep}{os.environ['PATH']}", "COLUMNS": "120"}


BLOCKS = console_examples()


def test_readme_has_console_examples() -> None:
    assert sum(len(steps) for _, steps in BLOCKS) >= 8


@pytest.mark.parametrize("lineno,steps", BLOCKS, ids=[f"README.md:{n}" for n, _ in BLOCKS])
def test_readme_console_block_runs(lineno: int, steps: list[tuple[str, list[str]]], tmp_path: Path) -> None:
    """Each block runs in a fresh temp folder, its commands in order. The
    lines shown must appear, in order, in what the command printed (stdout
    then stderr); every stdout line must be shown (stderr lines may be left
    out; white space is compared loosely); the exit code must be 0 unless the block shows `echo "exit $?"`."""
    env = _workdir(tmp_path)
    for command, shown in steps:
        if not command.startswith("cleaner "):
            continue
        proc = subprocess.run(
            ["bash", "-c", f"set -o pipefail; {command}"], cwd=tmp_path, env=env, capture_output=True, text=True
        )
        where = f"README.md:{lineno}: `$ {command}`"
        if 'echo "exit $?"' not in command:
            assert proc.returncode == 0 or "| head" in command, f"{where} exited {proc.returncode}:\n{proc.stderr}"
        out, err = proc.stdout.splitlines(), proc.stderr.splitlines()
        actual = [_norm(line) for line in out + err]
        shown = [_norm(line) for line in shown]
        assert _subsequence(shown, actual), (
            f"{where} printed:\n" + "\n".join(actual) + "\nbut README shows:\n" + "\n".join(shown)
        )
        missing = [_norm(line) for line in out if _norm(line) not in shown]
        assert not missing, f"{where}: stdout lines not shown in the README: {missing[:3]}"


def test_report_json_keys_documented() -> None:
    """The README names the report's top-level keys."""
    text = README.read_text(encoding="utf-8")
    section = text.split("## Run report", 1)[1].split("\n## ", 1)[0]
    for key in ("counts", "examples", "timings", "rules", "config", "dedup", "docs", "run"):
        assert f"`{key}`" in section, key
