"""Golden files for the seeds: seeds/<name>.txt -> golden/<name>.txt (cleaned
text) and golden/<name>.explain.jsonl (one line per removal, with rule id).

pytest compares and never writes; ``pytest --update-golden`` is the only
writer. A mismatch shows a unified diff (capped, white space made visible)
and writes what the tool produced to tests/.golden-obtained/ for a diff tool.
"""

from __future__ import annotations

import difflib
import json
from pathlib import Path

from cleaner import clean_text

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
GOLDEN = ROOT / "golden"
OBTAINED = ROOT / "tests" / ".golden-obtained"
MAX_DIFF_LINES = 100
FIX = "run `pytest --update-golden`, then review `git diff golden/` line by line"


def seed_names() -> list[str]:
    return sorted(p.stem for p in SEEDS.glob("*.txt"))


def expected_files() -> set[str]:
    return {f"{n}{suffix}" for n in seed_names() for suffix in (".txt", ".explain.jsonl")}


def render(name: str) -> dict[str, str]:
    """What the tool produces for one seed: file name -> content."""
    text = (SEEDS / f"{name}.txt").read_text(encoding="utf-8")
    result = clean_text(text)
    explain = "".join(json.dumps(r.to_json(), ensure_ascii=False, sort_keys=True) + "\n" for r in result.removals)
    return {f"{name}.txt": result.text + "\n", f"{name}.explain.jsonl": explain}


def visible(line: str) -> str:
    return line.replace("\t", "→").replace("\u00a0", "⍽").replace(" \n", "·\n").rstrip("\n").replace(" ", "·") + "⏎"


def diff(expected: str, obtained: str, name: str) -> str:
    lines = list(
        difflib.unified_diff(
            [visible(x) + "\n" for x in expected.splitlines(keepends=True)],
            [visible(x) + "\n" for x in obtained.splitlines(keepends=True)],
            f"golden/{name}",
            f"obtained/{name}",
            n=1,
        )
    )
    cut = len(lines) - MAX_DIFF_LINES
    return "".join(lines[:MAX_DIFF_LINES]) + (f"... {cut} more diff lines\n" if cut > 0 else "")


def update() -> tuple[int, int, int]:
    """Write every golden file; delete unused ones. Returns (updated, created, deleted)."""
    GOLDEN.mkdir(exist_ok=True)
    updated = created = deleted = 0
    for name in seed_names():
        for fname, content in render(name).items():
            path = GOLDEN / fname
            if not path.exists():
                created += 1
            elif path.read_text(encoding="utf-8") != content:
                updated += 1
            else:
                continue
            path.write_text(content, encoding="utf-8")
    for path in GOLDEN.iterdir():
        if path.name not in expected_files():
            path.unlink()
            deleted += 1
    return updated, created, deleted
