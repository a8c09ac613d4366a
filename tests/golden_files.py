"""Golden files for the seeds: seeds/<name>.txt -> golden/<name>.txt (cleaned
text) and golden/<name>.explain.jsonl (one line per removal, with rule id).

pytest compares and never writes; ``pytest --update-golden`` is the only
writer. A mismatch shows a unified diff (capped, white space made visible)
and writes what the tool produced to tests/.golden-obtained/ for a diff tool.
The format and the diff live in :mod:`cleaner.golden`, which also backs
``cleaner golden update|check`` for users' own corpora.
"""

from __future__ import annotations

from pathlib import Path

from cleaner import clean_text
from cleaner import golden as lib

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
GOLDEN = ROOT / "golden"
OBTAINED = ROOT / "tests" / ".golden-obtained"
MAX_DIFF_LINES = lib.MAX_DIFF_LINES
FIX = "run `pytest --update-golden`, then review `git diff golden/` line by line"
visible = lib.visible
diff = lib.diff


def seed_names() -> list[str]:
    return sorted(p.stem for p in SEEDS.glob("*.txt"))


def expected_files() -> set[str]:
    return {f"{n}{suffix}" for n in seed_names() for suffix in (".txt", ".explain.jsonl")}


def render(name: str) -> dict[str, str]:
    """What the tool produces for one seed: file name -> content."""
    return lib.render_result(name, clean_text((SEEDS / f"{name}.txt").read_text(encoding="utf-8")))


def update() -> tuple[int, int, int]:
    """Write every golden file; delete unused ones. Returns (updated, created, deleted)."""
    samples = [lib.Sample(n, "") for n in seed_names()]
    counts = lib.update(samples, GOLDEN, lambda s: render(s.name))
    return counts["updated"], counts["created"], counts["deleted"]
