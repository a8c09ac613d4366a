"""Removals replay: applying them to the input reproduces the output."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cleaner import Removal, apply_removals, clean_text
from cleaner.errors import ReplayError

JUNKY = [
    "Home",
    "HomeNewsPutin: talks go on",
    "Share this articleComments",
    "ADVERTISEMENT",
    "By\u00a0Euronews with\u00a0AFP",
    "READ\u00a0 Some other headline",
    "You May Also Like",
    "Leave a Reply",
    "Chinese President Xi Jinping",
    "Chinese President Xi JinpingCarlos Garcia Rollins / Reuters",
    "Saturday, May 27, 2023",
    "8.4 C",
    "The council met on Monday and voted to close the old bridge for repairs.",
    "Officials said the work would take two years and cost more than expected.",
    "",
    "  ",
]
lines = st.lists(st.one_of(st.sampled_from(JUNKY), st.text(max_size=60)), max_size=30)


@settings(max_examples=300, deadline=None)
@given(lines, st.sampled_from(["\n", "\r\n"]))
def test_replay_reproduces_output(parts: list[str], newline: str) -> None:
    text = newline.join(parts)
    result = clean_text(text)
    assert apply_removals(text, result.removals) == result.text
    # and through JSON, as the explain files store them
    stored = [Removal.from_json(json.loads(json.dumps(r.to_json()))) for r in result.removals]
    assert apply_removals(text, stored) == result.text


@settings(max_examples=200, deadline=None)
@given(lines)
def test_cleaning_is_deterministic_and_idempotent_on_kept_text(parts: list[str]) -> None:
    text = "\n".join(parts)
    assert clean_text(text) == clean_text(text)


def test_replay_rejects_removals_that_do_not_fit() -> None:
    with pytest.raises(ReplayError, match="removal says 'Nope'"):
        apply_removals("Home\nText", [Removal(line=1, rule="NAV001", text="Nope")])
    with pytest.raises(ReplayError, match="the text has 2 lines"):
        apply_removals("Home\nText", [Removal(line=5, rule="NAV001", text="Home")])


def test_span_removal_on_fused_crumb() -> None:
    text = "HomeNewsPutin: We will not create a military alliance with China\nPutin spoke on Sunday in Moscow to reporters and officials."
    result = clean_text(text)
    span = [r for r in result.removals if r.is_span]
    assert span and span[0].text == "HomeNews" and (span[0].start, span[0].end) == (0, 8)
    assert apply_removals(text, result.removals) == result.text
