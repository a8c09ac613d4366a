"""The views on a run: report.json + report.html next to every output,
``cleaner report`` (re-render, --compare), ``explain --html``, ``rules list
--stats`` and ``cleaner golden update|check``."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from cleaner.cli import main
from cleaner.errors import EXIT_DATA, EXIT_USAGE
from cleaner.report_html import render_report
from cleaner.runs import find_report

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
ARTICLE = "The council met on Monday and voted to close the old bridge for two years of repairs."


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def demo_corpus(path: Path) -> Path:
    """The seeds, a re-wrapped copy, an exact copy, a German page, a page that is all junk."""
    texts = [p.read_text(encoding="utf-8") for p in SEEDS]
    records = [{"id": p.stem, "text": t} for p, t in zip(SEEDS, texts, strict=True)]
    records += [
        {"id": "rewrapped", "text": "Home\nWorld\nShare this article\nBy Staff Reporter\n" + texts[2]},
        {"id": "exact", "text": texts[4]},
        {"id": "blank", "text": "ADVERTISEMENT\nShare this article"},
    ]
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def demo_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One run over the demo corpus: in.jsonl -> out.jsonl (+ out.report.json/html)."""
    tmp = tmp_path_factory.mktemp("run")
    src = demo_corpus(tmp / "in.jsonl")
    assert main(["clean", str(src), "-o", str(tmp / "out.jsonl"), "--language", "en"]) == 0
    return tmp


def test_clean_writes_json_and_html_beside_a_jsonl_output(demo_run: Path) -> None:
    report = json.loads((demo_run / "out.report.json").read_text(encoding="utf-8"))
    html = (demo_run / "out.report.html").read_text(encoding="utf-8")
    assert html == render_report(report)  # the page is a pure function of report.json
    assert report["run"] == {"id_field": "id", "input": "in.jsonl", "output": "out.jsonl", "text_field": "text"}
    assert report["docs"]["over_budget"] == [{"id": "blank", "share": 1.0, "words_in": 4, "words_removed": 4}]
    assert [c["keeper"]["id"] for c in report["dedup"]["largest"]] == [SEEDS[2].stem, SEEDS[4].stem]
    for key in ("docs_in", "words_removed", "lines_in", "bytes_out"):
        value = report["counts"][key]
        assert f'data-count="{key}" data-value="{value}">{value:,}<' in html
    assert "http://" not in html.replace("http://www.w3.org/2000/svg", "") and "https://" not in html
    assert "<script src" not in html and "<link" not in html


def test_report_html_is_deterministic_and_escapes(demo_run: Path) -> None:
    report = json.loads((demo_run / "out.report.json").read_text(encoding="utf-8"))
    report["examples"]["SHARE001"][0]["text"] = "<script>alert(1)</script>"
    first = render_report(report)
    assert first == render_report(json.loads(json.dumps(report)))
    assert "<script>alert(1)" not in first and "&lt;script&gt;alert(1)" in first


def test_report_paths_for_folder_and_stdout(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({"id": "a", "text": f"Share this article\n{ARTICLE}"}) + "\n", encoding="utf-8")
    args = ["--dedup", "off", "--language", "en"]
    assert run(["clean", str(src), "-o", str(tmp_path / "out"), *args], capsys)[0] == 0
    assert (tmp_path / "out.report.json").is_file() and (tmp_path / "out.report.html").is_file()
    assert run(["clean", str(src), "-o", "-", *args], capsys)[0] == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.jsonl", "out", "out.report.html", "out.report.json"]
    assert run(["clean", str(src), "-o", "-", "--report", str(tmp_path / "r.json"), *args], capsys)[0] == 0
    assert (tmp_path / "r.json").is_file() and (tmp_path / "r.html").is_file()


def test_existing_report_is_not_overwritten(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({"id": "a", "text": ARTICLE}) + "\n", encoding="utf-8")
    (tmp_path / "out.report.html").write_text("mine", encoding="utf-8")
    code, _, err = run(["clean", str(src), "-o", str(tmp_path / "out.jsonl"), "--dedup", "off"], capsys)
    assert (code, err) == (
        EXIT_USAGE,
        f"cleaner: error: {tmp_path / 'out.report.html'}: already exists; remove it or pass --overwrite\n",
    )
    assert not (tmp_path / "out.jsonl").exists() and (tmp_path / "out.report.html").read_text() == "mine"
    code, _, _ = run(["clean", str(src), "-o", str(tmp_path / "out.jsonl"), "--dedup", "off", "--overwrite"], capsys)
    assert code == 0 and (tmp_path / "out.report.html").read_text() != "mine"


def test_report_rerenders_from_json_or_output(demo_run: Path, capsys: pytest.CaptureFixture[str]) -> None:
    html = demo_run / "out.report.html"
    expected = html.read_text(encoding="utf-8")
    html.unlink()
    code, _, err = run(["report", str(demo_run / "out.jsonl")], capsys)
    assert code == 0 and err == f"cleaner: wrote {html}\n"
    assert html.read_text(encoding="utf-8") == expected
    assert find_report(str(demo_run / "out.report.json")) == demo_run / "out.report.json"
    code, _, err = run(["report", str(demo_run / "nope.jsonl")], capsys)
    assert code == 3 and err.startswith(f"cleaner: error: {demo_run / 'nope.jsonl'}: no report.json found")


def test_compare_shows_rule_deltas_and_changed_documents(demo_run: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = demo_run / "in.jsonl"
    b = demo_run / "b.jsonl"
    assert run(["clean", str(src), "-o", str(b), "--language", "en", "--disable", "SHARE001"], capsys)[0] == 0
    code, out, err = run(["report", "--compare", str(demo_run / "out.jsonl"), str(b)], capsys)
    assert code == 0, err
    assert re.search(r"^  SHARE001   lines 8 -> 0 \(-8\), words \d+ -> 0 \(-\d+\), docs \d -> 0 \(-\d\)$", out, re.M), (
        out
    )
    assert "documents: 8 in both, " in out
    assert "changed: blank\n  @@ -0,0 +1 @@\n  +Share this article\n" in out
    page = (demo_run / "b.compare.html").read_text(encoding="utf-8")
    assert 'data-rule="SHARE001"' in page and "Share this article" in page
    assert err == f"cleaner: wrote {demo_run / 'b.compare.html'}\n"


def test_compare_without_outputs_says_so(demo_run: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    a, b = tmp_path / "a.report.json", tmp_path / "b.report.json"
    shutil.copy(demo_run / "out.report.json", a)
    data = json.loads(a.read_text())
    data["counts"]["lines_removed.NAV001"] = 99
    b.write_text(json.dumps(data), encoding="utf-8")
    code, out, _ = run(["report", "--compare", str(a), str(b), "--html", str(tmp_path / "c.html")], capsys)
    assert code == 0 and "  NAV001     lines " in out
    assert f"documents: not compared (no output found beside {a}, no output found beside {b})" in out
    assert (tmp_path / "c.html").is_file()


def test_rules_list_stats(demo_run: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["rules", "list", "--stats", str(demo_run / "out.report.json")], capsys)
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split() == ["rule", "category", "lines", "spans", "words", "docs", "why"]
    counts = json.loads((demo_run / "out.report.json").read_text())["counts"]
    share = next(line for line in lines if line.startswith("SHARE001 "))
    assert share.split()[2:6] == [
        str(counts["lines_removed.SHARE001"]),
        "0",
        str(counts["words_removed.SHARE001"]),
        str(counts["docs_touched.SHARE001"]),
    ]
    never = out.split("never fired in ", 1)[1]
    assert "SHARE001" not in never and "NAV201" in never  # a German rule on English pages


def test_explain_html(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    page = tmp_path / "page.txt"
    page.write_text(
        "HomeNewsPutin: We will not create a military alliance with China\nBy Euronews with AFP\n"
        "Russia and China are not building a military alliance, President Vladimir Putin said on Sunday.\n"
        "ADVERTISEMENT\nHe added that cooperation between the two armies was transparent and open.\n",
        encoding="utf-8",
    )
    out = tmp_path / "page.html"
    code, stdout, err = run(["explain", str(page), "--html", str(out)], capsys)
    assert (code, stdout, err) == (0, "", f"cleaner: wrote {out}\n")
    html = out.read_text(encoding="utf-8")
    assert '<div class="row removed" id="L4" data-line="4" data-status="removed" data-rule="ADS001"' in html
    assert "Ad slot labels" in html  # the rule's why
    assert '<mark class="span" data-rule="CRUMB001"' in html and "CRUMB001 removed “HomeNews”" in html


def test_html_pages_never_overwrite_their_input_and_create_missing_folders(
    demo_run: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    page = tmp_path / "page.txt"
    page.write_text(f"{ARTICLE}\n", encoding="utf-8")
    out, report = demo_run / "out.jsonl", demo_run / "out.report.json"
    before = {p: p.read_bytes() for p in (page, out, report)}
    for argv, target in (
        (["explain", str(page), "--html", str(page)], page),
        (["report", str(out), "--html", str(out)], out),
        (["report", str(out), "--html", str(report)], report),
        (["report", "--compare", str(out), str(out), "--html", str(out)], out),
    ):
        code, _, err = run(argv, capsys)
        assert (code, err) == (
            EXIT_USAGE,
            f"cleaner: error: {target}: --html would overwrite the input {target}; choose another --html path\n",
        )
    assert {p: p.read_bytes() for p in (page, out, report)} == before
    deep = tmp_path / "missing" / "dir" / "x.html"
    assert run(["explain", str(page), "--html", str(deep)], capsys)[0] == 0 and deep.is_file()
    code, _, err = run(["explain", str(page), "--html", str(page / "x.html")], capsys)  # a file as the folder
    assert code == EXIT_DATA and err.startswith(f"cleaner: error: cannot write {page / 'x.html'}: ")
    assert err.count("\n") == 1


def test_golden_update_then_check(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    samples, gold = tmp_path / "samples", tmp_path / "golden"
    samples.mkdir()
    for p in SEEDS[3:]:
        shutil.copy(p, samples / p.name)
    (samples / "page.html").write_text(f"<html><body><article><p>{ARTICLE}</p></article></body></html>", "utf-8")
    code, out, _ = run(["golden", "update", str(samples), str(gold)], capsys)
    assert (code, out) == (0, f"golden: 3 samples -> {gold}: 6 created, 0 updated, 0 deleted, 0 unchanged\n")
    assert (gold / "page.txt").read_text() == ARTICLE + "\n"
    code, out, _ = run(["golden", "check", str(samples), str(gold)], capsys)
    assert (code, out) == (0, f"golden: 3 samples match {gold}\n")
    (gold / "old.txt").write_text("x")  # a golden pair no sample gives any more
    (gold / "old.explain.jsonl").write_text("")
    (gold / "notes.txt").write_text("mine")  # no explain file: not a golden file, never touched
    (gold / "page.explain.jsonl").unlink()
    code, out, _ = run(["golden", "check", str(samples), str(gold), "--disable", "SHARE001"], capsys)
    assert code == 1
    name = SEEDS[4].stem
    assert f"differs: {gold / name}.explain.jsonl: which rules changed what\n" in out
    assert '\n  line 7: now removed by TEASE001 instead of SHARE001: "Share this articleComments"\n' in out
    code, out, _ = run(["golden", "check", str(samples), str(gold), "--no-heuristics"], capsys)
    assert code == 1
    assert '\n  line 1: EDGE001 no longer removes "Russia and China not building' in out
    assert f"differs: {gold / name}.txt: cleaned text (golden -> now)\n" in out
    assert f"missing: {gold / 'page.explain.jsonl'} (sample page has no golden file)\n" in out
    assert f"unused: {gold / 'old.txt'} (no sample gives this file)\n" in out
    assert f"unused: {gold / 'old.explain.jsonl'} (no sample gives this file)\n" in out
    assert "notes.txt" not in out
    assert out.endswith(
        f"golden: 4 differ, 1 missing, 2 unused; if the change is intended: run `cleaner golden update {samples} "
        f"{gold}` and review the change\n"
    )
    code, out, _ = run(["golden", "update", str(samples), str(gold)], capsys)
    assert code == 0 and "2 deleted" in out
    assert not (gold / "old.txt").exists() and (gold / "notes.txt").read_text() == "mine"


def test_golden_from_jsonl_and_refuses_the_samples_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "s.jsonl"
    src.write_text(json.dumps({"id": "a/b c", "text": f"ADVERTISEMENT\n{ARTICLE}"}) + "\n", encoding="utf-8")
    assert run(["golden", "update", str(src), str(tmp_path / "g")], capsys)[0] == 0
    assert sorted(p.name for p in (tmp_path / "g").iterdir()) == ["a_b_c.explain.jsonl", "a_b_c.txt"]
    code, _, err = run(["golden", "update", str(tmp_path), str(tmp_path / "g")], capsys)
    assert code == EXIT_USAGE and "must not be or contain the samples folder" in err
    code, _, err = run(["golden", "check", str(src), str(tmp_path / "none")], capsys)
    assert code == EXIT_USAGE and "no golden folder" in err
