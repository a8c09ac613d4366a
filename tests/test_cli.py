"""The CLI contract: ``cleaner clean in.jsonl -o out.jsonl`` and friends,
with whole error messages compared."""

from __future__ import annotations

import base64
import gzip
import io
import json
import os
import re
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from cleaner.cli import main
from cleaner.errors import EXIT_DATA, EXIT_USAGE
from cleaner.io import Fields, read_docs
from cleaner.io.readers import input_size

ROOT = Path(__file__).resolve().parent.parent
ARTICLE = "The council met on Monday and voted to close the old bridge for two years of repairs."


def run(
    argv: list[str],
    capsys: pytest.CaptureFixture[str],
    stdin: str | None = None,
    monkeypatch: pytest.MonkeyPatch | None = None,
) -> tuple[int, str, str]:
    if stdin is not None:
        assert monkeypatch is not None
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin.encode("utf-8")), encoding="utf-8"))
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def write_jsonl(path: Path, records: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_jsonl_contract(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    records = [
        {"id": "b", "text": f"ADVERTISEMENT\n{ARTICLE}", "url": "https://example.org/b", "meta": {"k": [1, 2]}},
        {"id": 7, "text": "Share this article\nHome"},
        {"id": "a", "text": ARTICLE},
    ]
    src = write_jsonl(tmp_path / "in.jsonl", records)
    code, out, err = run(["clean", str(src), "-o", str(tmp_path / "out.jsonl")], capsys)
    assert code == 0 and out == ""
    got = read_jsonl(tmp_path / "out.jsonl")
    assert [r["id"] for r in got] == ["b", 7, "a"]  # input order, same ids (types kept)
    assert got[0] == {
        "id": "b",
        "text": ARTICLE,
        "url": "https://example.org/b",
        "meta": {"k": [1, 2]},
        "lines_removed": 1,
        "words_removed": 1,
        "lang": "en",
        "lang_confidence": 1.0,
        "dup_cluster": got[0]["dup_cluster"],
        "dup_count": 1,
    }
    assert got[1] == {
        "id": 7,
        "text": "",
        "lines_removed": 2,
        "words_removed": 4,
        "reason": "empty after cleaning",
        "flags": ["removal_budget"],
        "lang": "und",
        "lang_confidence": 0.0,
    }
    assert got[2]["text"] == ARTICLE and got[2]["lines_removed"] == 0
    # the same article twice: flagged as a copy of the first (dedup is on by default)
    assert (got[2]["duplicate_of"], got[2]["dup_cluster"], got[2]["dup_jaccard"]) == ("b", got[0]["dup_cluster"], 1.0)
    assert err.splitlines() == [
        "cleaner: 3 documents in, 3 written, 0 dropped, 0 rejected, 1 empty, 1 over the removal budget, "
        "removed 3 of 5 lines and 5 of 39 words (13%)",
        "cleaner: dedup (flag): 1 near-duplicates in 1 clusters; threshold 0.4, 32 bands x 4 rows, P(candidate) "
        "J=0.2: 0.05, J=0.3: 0.23, J=0.4: 0.56, J=0.5: 0.87, J=0.6: 0.99, J=0.7: 1.00, J=0.8: 1.00, J=0.9: 1.00",
        f"cleaner: report: {tmp_path / 'out.report.json'}, {tmp_path / 'out.report.html'}",
    ]


def test_jsonl_keys_sorted_and_output_deterministic(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = write_jsonl(tmp_path / "in.jsonl", [{"z": 1, "text": ARTICLE, "id": "x"}])
    run(["clean", str(src), "-o", str(tmp_path / "1.jsonl")], capsys)
    run(["clean", str(src), "-o", str(tmp_path / "2.jsonl")], capsys)
    first = (tmp_path / "1.jsonl").read_bytes()
    assert first == (tmp_path / "2.jsonl").read_bytes()
    assert list(json.loads(first)) == sorted(json.loads(first))


def test_drop_empty(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = write_jsonl(tmp_path / "in.jsonl", [{"id": "a", "text": "Home"}, {"id": "b", "text": ARTICLE}])
    code, _, _ = run(
        ["clean", str(src), "-o", str(tmp_path / "out.jsonl"), "--drop-empty", "--report", str(tmp_path / "r.json")],
        capsys,
    )
    assert code == 0
    assert [r["id"] for r in read_jsonl(tmp_path / "out.jsonl")] == ["b"]
    report = json.loads((tmp_path / "r.json").read_text())
    assert report["counts"]["docs_dropped.empty_after_cleaning"] == 1
    assert report["counts"]["docs_in"] == 2 and report["counts"]["docs_written"] == 1


def test_language_filter_and_fixed_language(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    german = "Der Stadtrat hat am Montag beschlossen, die alte Brücke für zwei Jahre zu schließen."
    src = write_jsonl(tmp_path / "in.jsonl", [{"id": "en", "text": ARTICLE}, {"id": "de", "text": german}])
    report = tmp_path / "r.json"
    code, _, _ = run(
        ["clean", str(src), "-o", str(tmp_path / "o.jsonl"), "--lang", "de", "--report", str(report)], capsys
    )
    assert code == 0
    assert [(r["id"], r["lang"]) for r in read_jsonl(tmp_path / "o.jsonl")] == [("de", "de")]
    counts = json.loads(report.read_text())["counts"]
    assert counts["docs_dropped.lang"] == 1 and counts["docs_lang.en"] == 1 and counts["docs_in"] == 2
    code, _, _ = run(["clean", str(src), "-o", str(tmp_path / "f.jsonl"), "--language", "en"], capsys)
    assert code == 0
    assert [r.get("lang") for r in read_jsonl(tmp_path / "f.jsonl")] == ["en", "en"]
    code, _, err = run(["clean", str(src), "-o", str(tmp_path / "g.jsonl"), "--language", "en", "--lang", "de"], capsys)
    assert (code, err) == (
        EXIT_USAGE,
        "cleaner: error: --lang filters on detected languages; it needs --language auto\n",
    )


def test_custom_fields(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = write_jsonl(tmp_path / "in.jsonl", [{"url": "u1", "body": f"Share this article\n{ARTICLE}"}])
    code, _, _ = run(
        ["clean", str(src), "-o", str(tmp_path / "o.jsonl"), "--id-field", "url", "--text-field", "body"], capsys
    )
    assert code == 0
    assert read_jsonl(tmp_path / "o.jsonl") == [
        {"url": "u1", "body": ARTICLE, "lines_removed": 1, "words_removed": 3, "lang": "en", "lang_confidence": 1.0}
    ]


def test_folder_in_folder_out(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["clean", str(ROOT / "seeds"), "-o", str(tmp_path / "out")], capsys)
    assert code == 0
    names = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert names == sorted(p.name for p in (ROOT / "seeds").glob("*.txt"))
    golden = (ROOT / "golden" / names[0]).read_text(encoding="utf-8")
    assert (tmp_path / "out" / names[0]).read_text(encoding="utf-8") == golden
    assert err.startswith("cleaner: 5 documents in, 5 written")


def test_stdin_to_stdout(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    code, out, _ = run(
        ["clean", "-", "-o", "-"],
        capsys,
        stdin=json.dumps({"id": "s", "text": f"Home\n{ARTICLE}"}) + "\n",
        monkeypatch=monkeypatch,
    )
    assert code == 0
    assert json.loads(out) == {
        "id": "s",
        "text": ARTICLE,
        "lines_removed": 1,
        "words_removed": 1,
        "lang": "en",
        "lang_confidence": 1.0,
    }


def test_plain_text_stdin(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    code, out, _ = run(
        ["clean", "-", "-o", "-", "--input-format", "text"],
        capsys,
        stdin=f"ADVERTISEMENT\n{ARTICLE}\n",
        monkeypatch=monkeypatch,
    )
    assert code == 0 and json.loads(out)["text"] == ARTICLE


@pytest.mark.parametrize(
    ("bad", "reason"),
    [
        ('{"id": "a"}', "record has no 'text' field (set the text field with --text-field, or give HTML in 'html')"),
        ('{"text": "x"}', "record has no 'id' field (set the id field with --id-field)"),
        ('{"id": "a", "text": 5}', "'text' must be a string, got int"),
        ("not json", "not valid JSON (Expecting value at column 1)"),
        ("[1, 2]", "expected a JSON object, got list"),
        (
            '{"id": "a", "text": "x", "lines_removed": 3}',
            "record already has field(s) lines_removed, which cleaner writes; rename them first",
        ),
    ],
)
def test_bad_records_are_rejected_with_their_bytes_and_the_rest_goes_on(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, bad: str, reason: str
) -> None:
    monkeypatch.chdir(tmp_path)
    good = json.dumps({"id": "good", "text": ARTICLE})
    Path("in.jsonl").write_text(f"{good}\n{bad}\n{good.replace('good', 'also')}\n", encoding="utf-8")
    code, out, err = run(["clean", "in.jsonl", "-o", "out.jsonl", "--dedup", "off"], capsys)
    assert (code, out) == (0, "")
    assert [r["id"] for r in read_jsonl(Path("out.jsonl"))] == ["good", "also"]
    assert read_jsonl(Path("out.rejects.jsonl")) == [
        {
            "where": "in.jsonl:2",
            "reason": reason,
            "raw": bad + "\n",
            "raw_base64": base64.b64encode((bad + "\n").encode()).decode(),
        }
    ]
    assert err.startswith("cleaner: 3 documents in, 2 written, 0 dropped, 1 rejected,")


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ["clean", "in.jsonl", "-o", "in.jsonl"],
            "in.jsonl: output would overwrite or sit inside the input in.jsonl; choose another output path",
        ),
        (
            ["clean", "in.jsonl", "-o", "exists.jsonl"],
            "exists.jsonl: output already exists; remove it or pass --overwrite",
        ),
        (["clean", "missing.jsonl", "-o", "o.jsonl"], "missing.jsonl: no such file or folder"),
        (["clean", "in.jsonl"], "the following arguments are required: -o/--output (see `cleaner clean --help`)"),
        (
            ["clean", "in.jsonl", "-o", "o.csv"],
            "o.csv: output must be a folder, a .jsonl(.gz/.zst) or .parquet file, or - (stdout)",
        ),
        (
            ["clean", "in.jsonl", "-o", "o.jsonl", "--disable", "NOPE001"],
            "--disable: unknown rule id or category NOPE001 (see `cleaner rules list`)",
        ),
        (
            ["clean", "in.jsonl", "-o", "o.jsonl", "--max-removal-share", "0"],
            "--max-removal-share must be above 0 and at most 1, got 0.0",
        ),
        (["clean", "in.jsonl", "-o", "o.jsonl", "--shard-docs", "0"], "--shard-docs must be at least 1, got 0"),
        (["clean", "in.jsonl", "-o", "o.jsonl", "--shard-docs", "-5"], "--shard-docs must be at least 1, got -5"),
        (
            ["clean", "in.jsonl", "-o", "o.jsonl", "--template-min-docs", "0"],
            "--template-min-docs must be at least 1, got 0",
        ),
        (
            ["clean", "in.jsonl", "-o", "o.jsonl", "--template-min-share", "2"],
            "--template-min-share must be between 0 and 1, got 2.0",
        ),
        (
            ["clean", "in.jsonl", "-o", "o.jsonl", "--template-min-share", "-0.1"],
            "--template-min-share must be between 0 and 1, got -0.1",
        ),
        (["clean", "in.jsonl", "-o", "o.jsonl", "--workers", "0"], "--workers must be at least 1, got 0"),
        (
            ["clean", "in.jsonl", "-o", "o.jsonl", "--lang", "en,EN"],
            "--lang takes lowercase language codes such as en,de (und: undetermined), got 'EN'",
        ),
        (
            ["clean", "in.jsonl", "-o", "o.jsonl", "--lang", ","],
            "--lang needs at least one language code such as en,de, got ','",
        ),
        (
            ["clean", "in.jsonl", "-o", "o.jsonl", "--lang", "xx"],
            "--lang: 'xx' is not a language the langdetect detector reports; use one of af, ar, bg, bn, ca, cs, cy, da, "
            "de, el, en, es, et, fa, fi, fr, gu, he, hi, hr, hu, id, it, ja, kn, ko, lt, lv, mk, ml, mr, ne, nl, no, pa, "
            "pl, pt, ro, ru, sk, sl, so, sq, sv, sw, ta, te, th, tl, tr, uk, und, ur, vi, zh",
        ),
    ],
)
def test_usage_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, argv: list[str], message: str
) -> None:
    monkeypatch.chdir(tmp_path)
    write_jsonl(Path("in.jsonl"), [{"id": "a", "text": ARTICLE}])
    Path("exists.jsonl").write_text("keep me\n")
    code, out, err = run(argv, capsys)
    assert (code, out, err) == (EXIT_USAGE, "", f"cleaner: error: {message}\n")
    assert Path("exists.jsonl").read_text() == "keep me\n"


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (
            ["--rejects", "in.jsonl", "--overwrite"],
            "in.jsonl: --rejects would overwrite or sit inside the input in.jsonl",
        ),
        (
            ["--duplicates", "in.jsonl", "--dedup", "drop", "--overwrite"],
            "in.jsonl: --duplicates would overwrite or sit inside the input in.jsonl",
        ),
        (
            ["--clusters", "in.csv", "--overwrite"],
            "in.json: --clusters would overwrite or sit inside the input in.json",
        ),
        (
            ["--report", "in.jsonl", "--overwrite"],
            "in.jsonl: --report would overwrite or sit inside the input in.jsonl",
        ),
        (["--report", "o.jsonl"], "o.jsonl: -o and --report would write the same file"),
        (["--rejects", "o.jsonl"], "o.jsonl: -o and --rejects would write the same file"),
        (["--duplicates", "o.jsonl", "--dedup", "drop"], "o.jsonl: -o and --duplicates would write the same file"),
        (["--rejects", "x.jsonl", "--report", "x.jsonl"], "x.jsonl: --rejects and --report would write the same file"),
        (["--clusters", "keep.txt"], "keep.json: already exists"),
    ],
)
def test_side_files_never_write_over_the_input_the_output_or_each_other(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, extra: list[str], message: str
) -> None:
    monkeypatch.chdir(tmp_path)
    write_jsonl(Path("in.jsonl"), [{"id": "a", "text": ARTICLE}])
    write_jsonl(Path("in.json"), [{"id": "a", "text": ARTICLE}])
    Path("keep.json").write_text("keep me\n")
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    src = "in.json" if "--clusters" in extra else "in.jsonl"  # --clusters in.csv writes in.json and in.csv
    code, out, err = run(["clean", src, "-o", "o.jsonl", *extra], capsys)
    assert (code, out) == (EXIT_USAGE, "")
    assert err.startswith(f"cleaner: error: {message}") and err.count("\n") == 1
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before


def test_unknown_command_is_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(["frobnicate"], capsys)
    assert (code, out) == (EXIT_USAGE, "")
    assert err.startswith("cleaner: error: argument COMMAND: invalid choice: 'frobnicate'")
    assert err.endswith("(see `cleaner --help`)\n") and err.count("\n") == 1


def test_overwrite_flag(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = write_jsonl(tmp_path / "in.jsonl", [{"id": "a", "text": ARTICLE}])
    (tmp_path / "o.jsonl").write_text("old\n")
    assert run(["clean", str(src), "-o", str(tmp_path / "o.jsonl"), "--overwrite"], capsys)[0] == 0
    assert read_jsonl(tmp_path / "o.jsonl")[0]["id"] == "a"


def test_bad_user_pack_fails_before_any_document(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pack = tmp_path / "bad.toml"
    pack.write_text('[[rule]]\nid = "X001"\n', encoding="utf-8")
    src = write_jsonl(tmp_path / "in.jsonl", [{"id": "a", "text": ARTICLE}])
    code, _, err = run(["clean", str(src), "-o", str(tmp_path / "o.jsonl"), "--rules", str(pack)], capsys)
    assert code == EXIT_DATA
    assert err == f"cleaner: error: {pack}: rule 'X001': missing key(s) category, why, action, removes, keeps\n"
    assert not (tmp_path / "o.jsonl").exists()


def test_hostile_ids_stay_inside_the_output_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = write_jsonl(
        tmp_path / "in.jsonl", [{"id": "../../escape", "text": ARTICLE}, {"id": "/abs/x", "text": ARTICLE}]
    )
    assert run(["clean", str(src), "-o", str(tmp_path / "out")], capsys)[0] == 0
    written = sorted(p.relative_to(tmp_path / "out").as_posix() for p in (tmp_path / "out").rglob("*.txt"))
    assert written == ["%2E%2E/%2E%2E/escape.txt", "abs/x.txt"]
    assert not (tmp_path.parent / "escape.txt").exists()


def test_explain_plain_and_json(capsys: pytest.CaptureFixture[str]) -> None:
    seed = ROOT / "seeds" / "004_fc0c689d801d240d.txt"
    code, out, _ = run(["explain", str(seed), "--color", "never"], capsys)
    assert code == 0
    lines = out.splitlines()
    assert lines[11] == "  12 - ADS001     ADVERTISEMENT"
    assert "\033[" not in out
    code, out, _ = run(["explain", str(seed), "--json"], capsys)
    rows = [json.loads(x) for x in out.splitlines()]
    assert len(rows) == len(seed.read_text(encoding="utf-8").split("\n"))
    assert rows[11] == {"line": 12, "rule": "ADS001", "status": "removed", "text": "ADVERTISEMENT"}
    code, out, _ = run(["explain", str(seed), "--color", "always"], capsys)
    assert "\033[31m" in out


def test_explain_and_clean_of_stdin_sniff_a_plain_text_page(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # `cat page.txt | cleaner explain -` failed with "got jsonl": stdin was
    # taken for JSONL without a look at its bytes.
    seed = ROOT / "seeds" / "004_fc0c689d801d240d.txt"
    page = seed.read_text(encoding="utf-8")
    code, out, err = run(["explain", "-", "--color", "never"], capsys, stdin=page, monkeypatch=monkeypatch)
    assert code == 0, err
    assert out == run(["explain", str(seed), "--color", "never"], capsys)[1]
    code, out, err = run(
        ["clean", "-", "-o", "-"], capsys, stdin=f"ADVERTISEMENT\n{ARTICLE}\n", monkeypatch=monkeypatch
    )
    assert code == 0 and json.loads(out)["text"] == ARTICLE, err


def test_rules_list_and_check(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["rules", "list"], capsys)
    assert code == 0
    ids = [line.split()[0] for line in out.splitlines()]
    assert "SHARE001" in ids and "EDGE001" in ids and "TMPL001" in ids and len(ids) == len(set(ids))
    code, out, _ = run(["rules", "check"], capsys)
    assert code == 0 and out.startswith("ok: ")


def test_rules_check_reports_bad_pack(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pack = tmp_path / "p.toml"
    pack.write_text(
        '[[rule]]\nid = "MY001"\ncategory = "mine"\nwhy = "x"\nmatch = "foo"\naction = "drop-line"\nremoves = ["bar"]\nkeeps = ["baz"]\n',
        encoding="utf-8",
    )
    code, _, err = run(["rules", "check", str(pack)], capsys)
    assert code == EXIT_DATA
    assert (
        err
        == f"cleaner: error: {pack}: rule 'MY001': removes[0] contradicts the rule: must remove something from 'bar' but kept it\n"
    )


@pytest.mark.parametrize("argv", [[], ["clean"], ["explain"], ["rules"], ["rules", "list"], ["rules", "check"]])
def test_every_command_has_help_with_an_example(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main([*argv, "--help"])
    out = capsys.readouterr().out
    assert info.value.code == 0
    assert "usage: cleaner" in out
    if argv:
        assert "examples:" in out


def test_console_script_runs_as_module(tmp_path: Path) -> None:
    src = write_jsonl(tmp_path / "in.jsonl", [{"id": "a", "text": f"Home\n{ARTICLE}"}])
    proc = subprocess.run(
        [sys.executable, "-m", "cleaner", "clean", str(src), "-o", "-"], capture_output=True, text=True, check=False
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["text"] == ARTICLE
    proc = subprocess.run(
        [sys.executable, "-m", "cleaner", "clean", "nope.jsonl", "-o", "-"],
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,
    )
    assert (proc.returncode, proc.stderr) == (EXIT_USAGE, "cleaner: error: nope.jsonl: no such file or folder\n")


def test_progress_shows_bytes_rate_time_left_and_documents(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = write_jsonl(tmp_path / "in.jsonl", [{"id": n, "text": f"Home\n{ARTICLE}"} for n in range(5)])
    code, _, err = run(["clean", str(src), "-o", str(tmp_path / "out.jsonl"), "--progress"], capsys)
    assert code == 0
    # the last refresh of each pass's bar: all of the input's bytes read, their rate, and the documents
    size = src.stat().st_size
    for what in ("pass 1/2, template lines", "pass 2/2, cleaning"):
        assert re.search(rf"{re.escape(what)}: 100%\|\S+\| {size}/{size} \[00:00<00:00, .*B/s, 5 docs\]", err), err


def test_progress_without_a_known_size_still_counts(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "in.jsonl.gz"
    src.write_bytes(gzip.compress(json.dumps({"id": 1, "text": ARTICLE}).encode() + b"\n"))
    code, _, err = run(["clean", str(src), "-o", str(tmp_path / "out.jsonl"), "--progress", "--no-templates"], capsys)
    assert code == 0 and re.search(r"cleaning: \d+\.?\d*B \[.*B/s, 1 doc\]", err), err


def test_no_progress_bar_off_a_terminal(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = write_jsonl(tmp_path / "in.jsonl", [{"id": 1, "text": ARTICLE}])
    code, _, err = run(["clean", str(src), "-o", str(tmp_path / "out.jsonl")], capsys)
    assert code == 0 and all(line.startswith("cleaner: ") for line in err.splitlines()), err


def test_documents_account_for_every_byte_of_their_input(tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    src.write_bytes(b'{"id": 1, "text": "caf\xc3\xa9"}\n{"id": 2}\nnot json\n{"id": 3, "text": "x"}')
    assert (
        sum(d.size for d in read_docs(str(src), "jsonl", Fields()))
        == src.stat().st_size
        == input_size(str(src), "jsonl")
    )
    folder = tmp_path / "pages"
    (folder / "a").mkdir(parents=True)
    (folder / "a" / "one.txt").write_text("Home\nStory one\n")
    (folder / "two.html").write_text("<p>Story two</p>")
    (folder / "skip.bin").write_bytes(b"\0" * 100)
    sizes = sum(d.size for d in read_docs(str(folder), "dir", Fields()))
    assert sizes == input_size(str(folder), "dir") == 15 + 16
    assert input_size(str(tmp_path / "x.jsonl.gz"), "jsonl") is None and input_size("-", "jsonl") is None


def test_a_pipe_given_as_a_path_loses_no_document(tmp_path: Path) -> None:
    # The template pass reads the input first; a pipe gives its documents once.
    records = "".join(json.dumps({"id": n, "text": f"Home\n{ARTICLE}"}) + "\n" for n in range(3))
    out = tmp_path / "out.jsonl"
    cmd = [sys.executable, "-m", "cleaner", "clean", "/dev/stdin", "-o", str(out), "--input-format", "jsonl"]
    proc = subprocess.run(cmd, input=records, capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    assert [r["id"] for r in read_jsonl(out)] == [0, 1, 2]
    assert "3 documents in, 3 written" in proc.stderr


def _many_records(n: int = 40) -> str:
    # More bytes than the format sniffer reads, so the sniffed start matters.
    return "".join(json.dumps({"id": f"d{i}", "text": ARTICLE, "pad": "x" * 3000}) + "\n" for i in range(n))


@pytest.mark.parametrize("kind", ["stdin", "fifo"])
def test_a_pipe_whose_format_is_sniffed_loses_no_bytes(tmp_path: Path, kind: str) -> None:
    # Sniffing the format reads the first bytes of the pipe; the reader must
    # still get them (it used to lose the first records, and hang on a FIFO).
    records, out = _many_records(), tmp_path / "out.jsonl"
    src = "/dev/stdin"
    if kind == "fifo":
        src = str(tmp_path / "fifo")
        os.mkfifo(src)
        writer = threading.Thread(target=lambda: Path(src).write_text(records, encoding="utf-8"), daemon=True)
        writer.start()
    cmd = [sys.executable, "-m", "cleaner", "clean", src, "-o", str(out)]
    proc = subprocess.run(
        cmd, input=records if kind == "stdin" else None, capture_output=True, text=True, cwd=ROOT, timeout=60
    )
    assert proc.returncode == 0, proc.stderr
    assert [r["id"] for r in read_jsonl(out)] == [f"d{i}" for i in range(40)]
    assert "40 documents in, 40 written" in proc.stderr


def test_progress_reads_the_whole_input_when_some_bytes_hold_no_document(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({"id": 1, "text": ARTICLE}) + "\n" + "\n" * 30, encoding="utf-8")
    pages = tmp_path / "pages"
    pages.mkdir()
    (pages / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (pages / "b.txt").write_bytes(b"\0\1\2" * 3000)  # binary: rejected
    for path in (src, pages):
        code, _, err = run(["clean", str(path), "-o", str(tmp_path / f"out-{path.name}"), "--progress"], capsys)
        assert code == 0 and re.search(r"cleaning: 100%\|\S+\| (\S+)/\1 ", err), err


def test_a_reader_that_stops_early_ends_the_run_quietly(tmp_path: Path) -> None:
    """`cleaner clean ... -o - | head`: when the reader of stdout goes away,
    the run stops with exit 0 and nothing on stderr (it said 'cannot
    write -: Broken pipe', exit 3), and leaves no temporary folder."""
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps({"id": str(n), "text": f"{ARTICLE} Item {n}."}) + "\n" for n in range(3000)))
    env = {**os.environ, "TMPDIR": str(tmp_path)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "cleaner", "clean", str(src), "-o", "-", "--workers", "1"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )
    assert proc.stdout is not None and proc.stderr is not None
    assert proc.stdout.read(100)
    proc.stdout.close()
    err = proc.stderr.read().decode()
    assert (proc.wait(), err) == (0, "")
    assert not list(tmp_path.glob("cleaner-run-*"))


def test_rejects_with_nowhere_to_go_are_said_to_be_lost(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Output to stdout has no OUT.rejects.jsonl beside it: without --rejects
    the rejected records are counted only, and stderr says so."""
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({"id": "a", "text": ARTICLE}) + "\nnot json\n")
    warning = "cleaner: warning: 1 rejected record(s) were counted but not saved; add --rejects PATH"
    code, out, err = run(["clean", str(src), "-o", "-"], capsys)
    assert code == 0 and warning in err and json.loads(out)["id"] == "a"
    code, _, err = run(["clean", str(src), "-o", "-", "--rejects", str(tmp_path / "bad.jsonl")], capsys)
    assert code == 0 and "warning" not in err and (tmp_path / "bad.jsonl").read_text().count("\n") == 1
