"""Seeds against their golden files (see tests/golden_files.py)."""

from __future__ import annotations

import golden_files as gf
import pytest


@pytest.fixture(scope="session", autouse=True)
def maybe_update(request: pytest.FixtureRequest) -> None:
    if request.config.getoption("--update-golden"):
        updated, created, deleted = gf.update()
        print(f"\ngolden: {updated} updated, {created} created, {deleted} deleted; review with `git diff golden/`")


@pytest.mark.parametrize("name", gf.seed_names())
def test_seed_matches_golden(name: str) -> None:
    for fname, obtained in gf.render(name).items():
        path = gf.GOLDEN / fname
        assert path.exists(), f"golden/{fname} is missing: {gf.FIX}"
        expected = path.read_text(encoding="utf-8")
        if obtained != expected:
            gf.OBTAINED.mkdir(parents=True, exist_ok=True)
            (gf.OBTAINED / fname).write_text(obtained, encoding="utf-8")
            pytest.fail(
                f"golden/{fname} differs (obtained output in tests/.golden-obtained/{fname}); {gf.FIX}\n"
                + gf.diff(expected, obtained, fname)
            )


def test_no_unused_golden_files() -> None:
    unused = sorted(p.name for p in gf.GOLDEN.iterdir() if p.name not in gf.expected_files())
    assert not unused, f"golden files without a seed: {', '.join(unused)}; {gf.FIX}"


def test_seed_count() -> None:
    assert len(gf.seed_names()) == 5
