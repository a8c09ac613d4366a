"""The cross-document template pass: lines many documents of one source
share are removed (TMPL001, with the count that made them template), long
prose never is, and the result does not depend on document order."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from cleaner import Cleaner, Config
from cleaner.cli import main
from cleaner.template import TemplateCounts

BODY = "Officials said on {day} that the {thing} would reopen after repairs that took most of the year to finish."
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
THINGS = [
    "bridge",
    "library",
    "pool",
    "station",
    "museum",
    "park",
    "market",
    "school",
    "clinic",
    "theatre",
    "tower",
    "port",
]
PROSE = "Example Media has reported on the city for over a century, and its newsroom is owned by its readers and staff."


def corpus() -> list[dict[str, str]]:
    docs = []
    for n, thing in enumerate(THINGS):
        text = "\n".join(
            [
                BODY.format(day=DAYS[n % 7], thing=thing),
                "Weekend picks for families",
                f"The {thing} had been closed since the storm, and residents had asked for it to reopen soon.",
                "Our city desk picks",
                PROSE,
            ]
        )
        docs.append({"id": f"site-{n}", "url": f"https://www.site.example/{n}", "text": text})
    for n in range(3):
        other = f"{BODY.format(day='Monday', thing=THINGS[n])}\nOur city desk picks\n{PROSE}"
        docs.append({"id": f"other-{n}", "url": f"https://other.example/{n}", "text": other})
    return docs


def run(tmp_path: Path, docs: list[dict[str, str]], name: str) -> tuple[dict[str, str], dict]:
    src = tmp_path / f"{name}.jsonl"
    src.write_text("".join(json.dumps(d) + "\n" for d in docs), encoding="utf-8")
    out = tmp_path / f"{name}.out.jsonl"
    assert main(["clean", str(src), "-o", str(out), "--language", "en", "--dedup", "off"]) == 0
    texts = {r["id"]: r["text"] for r in map(json.loads, out.read_text(encoding="utf-8").splitlines())}
    return texts, json.loads((tmp_path / f"{name}.out.report.json").read_text())


def test_template_lines_go_per_source_and_prose_stays(tmp_path: Path) -> None:
    texts, report = run(tmp_path, corpus(), "a")
    for n in range(12):
        assert "Our city desk picks" not in texts[f"site-{n}"]
        assert "Weekend picks for families" not in texts[f"site-{n}"]
        assert PROSE in texts[f"site-{n}"]  # long prose is never template
    for n in range(3):  # too few documents on other.example: nothing is template there
        assert "Our city desk picks" in texts[f"other-{n}"]
    assert report["counts"]["lines_removed.TMPL001"] == 24
    assert report["templates"]["lines"] == 2 and report["rules"]["TMPL001"]["category"] == "template"


def test_shuffled_input_gives_the_same_output_per_document(tmp_path: Path) -> None:
    docs = corpus()
    first, _ = run(tmp_path, docs, "ordered")
    random.Random(7).shuffle(docs)
    second, _ = run(tmp_path, docs, "shuffled")
    assert first == second


def test_removal_names_the_count(tmp_path: Path) -> None:
    counts = TemplateCounts()
    for d in corpus():
        counts.add(d["url"].split("/")[2].removeprefix("www."), d["text"])
    template = counts.learn().lines_for("site.example")
    result = Cleaner(Config(language="en")).clean(corpus()[0]["text"], template=template)
    tmpl = [r for r in result.removals if r.rule == "TMPL001"]
    assert [(r.text, r.detail) for r in tmpl] == [
        ("Weekend picks for families", "template: in 12 documents of this source"),
        ("Our city desk picks", "template: in 12 documents of this source"),
    ]


def test_template_pass_can_be_switched_off(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps(d) + "\n" for d in corpus()), encoding="utf-8")
    assert main(["clean", str(src), "-o", str(tmp_path / "o.jsonl"), "--no-templates", "--language", "en"]) == 0
    rows = [json.loads(x) for x in (tmp_path / "o.jsonl").read_text().splitlines()]
    assert all("Our city desk picks" in r["text"] for r in rows)


def test_tallies_merged_in_steps_count_exactly(monkeypatch: pytest.MonkeyPatch) -> None:
    # Many small tallies, merged as the stack grows: the same template lines
    # as the plain dictionary count, in any document order.
    from cleaner import template

    items = [(f"site{n % 3}.org", f"Menu\nStory {n} of the day.\nFooter {n % 4}\nShared by all") for n in range(200)]
    reference = template.TemplateCounts()
    for source, text in items:
        reference.add(source, text)
    monkeypatch.setattr(template, "TALLY_DOCS", 7)
    shuffled = items[:]
    random.Random(4).shuffle(shuffled)
    for docs in (items, shuffled):
        assert template.learn_templates(docs, 5, 0.2) == reference.learn(5, 0.2)
