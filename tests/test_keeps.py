"""The keeps-corpus: real article sentences that mention share, read,
comment, dates, names ... must survive every pack and the heuristics."""

from __future__ import annotations

from pathlib import Path

import pytest

from cleaner import Cleaner, Config

KEEPS = [
    line
    for line in (Path(__file__).parent / "data" / "keeps.txt").read_text(encoding="utf-8").splitlines()
    if line.strip() and not line.startswith("#")
]


def test_corpus_is_big_enough() -> None:
    assert len(KEEPS) >= 200


@pytest.fixture(scope="module")
def rules_only() -> Cleaner:
    return Cleaner(Config(heuristics=False))


def test_each_sentence_survives_every_pack(rules_only: Cleaner) -> None:
    lost = [(s, rules_only.clean(s).removals[0].rule) for s in KEEPS if rules_only.clean(s).text != s]
    assert not lost, "article sentences removed by rules:\n" + "\n".join(f"{rule}: {s}" for s, rule in lost)


def test_sentences_survive_as_a_document() -> None:
    text = "\n\n".join(KEEPS)
    result = Cleaner(Config()).clean(text)
    removed = [(r.rule, r.text) for r in result.removals]
    assert not removed, "article sentences removed in context:\n" + "\n".join(f"{rule}: {t}" for rule, t in removed)
