"""The rule packs ship inside the wheel: a non-editable install finds them."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    cmd = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(out), str(ROOT)]
    subprocess.run(cmd, check=True, capture_output=True)
    return next(out.glob("cleaner-*.whl"))


def test_wheel_contains_every_pack(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    packs = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "rules").rglob("*.toml"))
    assert packs, "no packs in rules/"
    assert {f"cleaner/{p}" for p in packs} <= names


def test_installed_wheel_finds_its_packs(wheel: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(site), str(wheel)],
        check=True,
        capture_output=True,
    )
    code = (
        "import cleaner, cleaner.rulepack as rp;"
        "print(cleaner.__file__); print(rp.default_rules_dir());"
        "print(cleaner.clean_text('ADVERTISEMENT\\nThe council met on Monday to vote.').removals[0].rule)"
    )
    env = {**os.environ, "PYTHONPATH": str(site)}
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path, env=env, check=False
    )
    assert proc.returncode == 0, proc.stderr
    module_file, rules_dir, rule = proc.stdout.split("\n")[:3]
    assert Path(module_file).is_relative_to(site)
    assert Path(rules_dir) == site / "cleaner" / "rules"
    assert rule == "ADS001"
