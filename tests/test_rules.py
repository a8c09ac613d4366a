"""Every example of every rule and heuristic, one test each: the test id
names the pack, the rule and the example (``en/share.toml/SHARE001/removes[0]``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from cleaner.clean import run_one
from cleaner.examples import check_example
from cleaner.heuristics import REGISTRY
from cleaner.rulepack import default_rules_dir, load_rules

RULES_DIR = default_rules_dir()


def _label(source: str) -> str:
    path = Path(source)
    return path.relative_to(RULES_DIR).as_posix() if path.is_relative_to(RULES_DIR) else "heuristics"


def _cases() -> list[Any]:
    items = [*load_rules().rules, *REGISTRY.values()]
    cases = []
    for item in items:
        for kind in ("removes", "keeps", "misses"):
            for n, example in enumerate(getattr(item, kind)):
                marks = [pytest.mark.xfail(reason="known miss", strict=True)] if kind == "misses" else []
                cases.append(
                    pytest.param(item, example, kind, id=f"{_label(item.source)}/{item.id}/{kind}[{n}]", marks=marks)
                )
    return cases


@pytest.mark.parametrize(("item", "example", "kind"), _cases())
def test_example(item: Any, example: Any, kind: str) -> None:
    problem = check_example(lambda text: run_one(item, text), example, "removes" if kind == "misses" else kind)
    assert problem is None, problem


def test_every_rule_has_examples_both_ways() -> None:
    for item in [*load_rules().rules, *REGISTRY.values()]:
        assert item.removes and item.keeps, item.id
        assert item.why.strip(), item.id
