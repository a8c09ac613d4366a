"""The fault matrix: every bad, hostile or huge input ends with nothing lost
(written, dropped with a reason, or rejected with a reason) and at most a
one-line message; no traceback, no hang."""

from __future__ import annotations

import gzip
import io
import json
import os
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cleaner import Cleaner, Config, RulePackError, clean_text
from cleaner.cli import main
from cleaner.errors import EXIT_DATA, EXIT_USAGE
from cleaner.io.writers import atomic_file

ARTICLE = "The council met on Monday and voted to close the old bridge for two years of repairs."


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(argv)
    return code, capsys.readouterr().err


def read(path: Path) -> list[dict]:
    return [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines()] if path.exists() else []


def accounted(report: Path) -> dict[str, int]:
    acc = json.loads(report.read_text())["accounting"]
    assert acc["in"] == acc["written"] + acc["dropped"] + acc["rejected"]
    return acc


def clean_jsonl(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    raw: bytes,
    name: str = "in.jsonl",
    extra: list[str] | None = None,
) -> tuple[list[dict], list[dict], dict[str, int]]:
    src = tmp_path / name
    src.write_bytes(raw)
    argv = [
        "clean",
        str(src),
        "-o",
        str(tmp_path / "out.jsonl"),
        "--report",
        str(tmp_path / "r.json"),
        "--dedup",
        "off",
    ]
    code, err = run(argv + (extra or []), capsys)
    assert code == 0, err
    assert all(line.startswith("cleaner: ") for line in err.splitlines()), err
    return read(tmp_path / "out.jsonl"), read(tmp_path / "out.rejects.jsonl"), accounted(tmp_path / "r.json")


# --- encodings -----------------------------------------------------------------


def test_invalid_utf8_in_a_jsonl_line_is_replaced_and_flagged(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    raw = b'{"id": "a", "text": "caf\xe9 ' + ARTICLE.encode() + b'"}\n'
    out, rejects, acc = clean_jsonl(tmp_path, capsys, raw)
    assert out[0]["text"].startswith("caf\ufffd ") and "invalid_utf8_replaced" in out[0]["flags"]
    assert (rejects, acc["written"]) == ([], 1)


def test_invalid_utf8_text_file_utf16_file_and_html(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "bad.txt").write_bytes(b"Caf\xe9 society. " + ARTICLE.encode())
    (folder / "utf16.txt").write_bytes(ARTICLE.encode("utf-16"))
    (folder / "page.html").write_bytes(
        b"<html><body><article><p>Caf\xe9 " + ARTICLE.encode() + b"</p></article></body></html>"
    )
    code, err = run(
        ["clean", str(folder), "-o", str(tmp_path / "out.jsonl"), "--report", str(tmp_path / "r.json")], capsys
    )
    assert code == 0, err
    got = {r["id"]: r for r in read(tmp_path / "out.jsonl")}
    assert "invalid_utf8_replaced" in got["bad.txt"]["flags"] and got["bad.txt"]["text"].startswith("Caf\ufffd")
    assert got["utf16.txt"]["text"] == ARTICLE and "decoded_utf16" in got["utf16.txt"]["flags"]
    assert "invalid_utf8_replaced" in got["page.html"]["flags"]
    assert accounted(tmp_path / "r.json")["written"] == 3


def test_mixed_line_endings_and_nul_bytes() -> None:
    text = f"Home\r\n{ARTICLE}\r{ARTICLE.replace('Monday', 'Friday')}\nShare this\x00 article\n"
    result = clean_text(text)
    assert result.text.splitlines()[0] == ARTICLE
    assert "\x00" not in result.text.splitlines()[0]


def test_nul_bytes_in_a_jsonl_record(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out, rejects, _ = clean_jsonl(
        tmp_path, capsys, json.dumps({"id": "n", "text": f"{ARTICLE}\x00\n{ARTICLE}"}).encode() + b"\n"
    )
    assert len(out) == 1 and not rejects


# --- records -------------------------------------------------------------------


def test_duplicate_ids_are_kept_flagged_and_counted(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    raw = (
        json.dumps({"id": "x", "text": ARTICLE}) + "\n" + json.dumps({"id": "x", "text": ARTICLE.upper()}) + "\n"
    ).encode()
    out, _, acc = clean_jsonl(tmp_path, capsys, raw)
    assert [r["id"] for r in out] == ["x", "x"] and "duplicate_id" in out[1]["flags"]
    assert json.loads((tmp_path / "r.json").read_text())["counts"]["docs_flagged.duplicate_id"] == 1
    assert acc["written"] == 2


def test_duplicate_ids_in_folder_output_do_not_overwrite_each_other(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = tmp_path / "in.jsonl"
    src.write_text(
        json.dumps({"id": "x", "text": ARTICLE}) + "\n" + json.dumps({"id": "x", "text": ARTICLE.upper()}) + "\n"
    )
    assert run(["clean", str(src), "-o", str(tmp_path / "out")], capsys)[0] == 0
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["x.txt", "x~2.txt"]


# --- files ---------------------------------------------------------------------


def test_binary_and_empty_files_in_a_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(ARTICLE)
    (folder / "empty.txt").write_bytes(b"")
    (folder / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    code, err = run(
        ["clean", str(folder), "-o", str(tmp_path / "out.jsonl"), "--report", str(tmp_path / "r.json")], capsys
    )
    assert code == 0, err
    assert {r["id"]: r.get("reason") for r in read(tmp_path / "out.jsonl")} == {
        "a.txt": None,
        "empty.txt": "empty input",
    }
    rejects = read(tmp_path / "out.rejects.jsonl")
    assert [(Path(r["where"]).name, r["reason"]) for r in rejects] == [("image.txt", "binary file, not text")]
    assert accounted(tmp_path / "r.json") == {"in": 3, "written": 2, "dropped": 0, "rejected": 1}


def test_empty_corpus(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out, rejects, acc = clean_jsonl(tmp_path, capsys, b"")
    assert (out, rejects, acc["in"]) == ([], [], 0)
    assert (tmp_path / "out.jsonl").read_bytes() == b""


def test_empty_folder_is_an_empty_corpus(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # It exited 3 ("no .txt or .html files in this folder").
    (tmp_path / "in").mkdir()
    for out in ("out.jsonl", "outdir"):
        code, err = run(["clean", str(tmp_path / "in"), "-o", str(tmp_path / out)], capsys)
        assert code == 0 and "0 documents in" in err, err
    assert (tmp_path / "out.jsonl").read_bytes() == b""


def test_dangling_symlink_in_a_folder_is_a_reject(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # It was skipped without being counted or rejected.
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(ARTICLE)
    (folder / "gone.txt").symlink_to(tmp_path / "nowhere.txt")
    code, err = run(
        ["clean", str(folder), "-o", str(tmp_path / "out.jsonl"), "--report", str(tmp_path / "r.json")], capsys
    )
    assert code == 0, err
    [reject] = read(tmp_path / "out.rejects.jsonl")
    assert reject["where"] == str(folder / "gone.txt")
    assert reject["reason"] == f"dangling symbolic link (to {tmp_path / 'nowhere.txt'})"
    assert accounted(tmp_path / "r.json") == {"in": 2, "written": 1, "dropped": 0, "rejected": 1}


@pytest.mark.parametrize("kind", ["gz", "zst"])
def test_truncated_compressed_input_keeps_the_readable_part(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], kind: str
) -> None:
    lines = "".join(
        json.dumps({"id": f"d{i}", "text": f"{ARTICLE} Number {i * 7919}."}) + "\n" for i in range(20000)
    ).encode()
    if kind == "gz":
        data = gzip.compress(lines)
    else:
        import zstandard

        data = zstandard.ZstdCompressor().compress(lines)
    out, rejects, acc = clean_jsonl(
        tmp_path, capsys, data[: len(data) // 2], name=f"in.jsonl.{kind}", extra=["--language", "en"]
    )
    assert 0 < len(out) < 20000 and [r["id"] for r in out] == [f"d{i}" for i in range(len(out))]
    assert len(rejects) == 1 and rejects[0]["reason"].startswith("input ends early: damaged or truncated after line ")
    assert acc["rejected"] == 1


def test_broken_warc_record(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=False)
    for n in range(2):
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
        page = f"<html><body><article><p>{ARTICLE} Page {n}.</p></article></body></html>".encode()
        writer.write_record(
            writer.create_warc_record(f"https://e.org/{n}", "response", payload=io.BytesIO(page), http_headers=headers)
        )
    data = buf.getvalue()
    second = data.index(b"WARC/1.", 10)
    broken = data[:second] + b"WARC/1.0\r\nWARC-Type: response\r\nContent-Length: 99999\r\n\r\n<html>cut"
    src = tmp_path / "crawl.warc"
    src.write_bytes(broken)
    code, err = run(
        ["clean", str(src), "-o", str(tmp_path / "out.jsonl"), "--report", str(tmp_path / "r.json")], capsys
    )
    assert code == 0, err
    assert len(read(tmp_path / "out.jsonl")) == 1
    acc = accounted(tmp_path / "r.json")
    assert acc["written"] == 1 and acc["rejected"] == 1


def _warc(n: int, gz: bool) -> bytes:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=gz)
    for i in range(n):
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
        page = f"<html><body><article><p>{ARTICLE} Page {i}.</p></article></body></html>".encode()
        record = writer.create_warc_record(
            f"https://e.org/{i}", "response", payload=io.BytesIO(page), http_headers=headers
        )
        writer.write_record(record)
    return buf.getvalue()


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("crawl.warc.gz", "input ends early: damaged or truncated WARC data after record 2 ("),
        ("crawl.warc", "input ends early: WARC record cut short ("),
    ],
)
def test_truncated_warc_keeps_the_whole_records_and_rejects_the_tail(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, reason: str
) -> None:
    # Through gzip.open, warcio stopped at once on a cut .warc.gz (0 documents
    # in, exit 0); a cut plain .warc lost its last record without a reject.
    src = tmp_path / name
    src.write_bytes(_warc(3, gz=name.endswith(".gz"))[:-150])
    out = tmp_path / "out.jsonl"
    code, err = run(["clean", str(src), "-o", str(out), "--report", str(tmp_path / "r.json")], capsys)
    assert code == 0, err
    assert [r["url"] for r in read(out)] == ["https://e.org/0", "https://e.org/1"]
    acc = accounted(tmp_path / "r.json")
    assert acc["written"] == 2 and acc["rejected"] == 1
    [reject] = read(tmp_path / "out.rejects.jsonl")
    assert reject["where"] == f"{src}:record 3" and reject["reason"].startswith(reason)


def test_whole_warc_gives_no_reject(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for gz in (True, False):
        src = tmp_path / f"crawl{gz}.warc{'.gz' if gz else ''}"
        src.write_bytes(_warc(3, gz=gz))
        out = tmp_path / f"out{gz}.jsonl"
        code, err = run(["clean", str(src), "-o", str(out)], capsys)
        assert code == 0 and "3 documents in, 3 written, 0 dropped, 0 rejected" in err, err


# --- size ----------------------------------------------------------------------


def test_huge_document_and_huge_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    paragraph = " ".join([ARTICLE] * 22)  # about 1,900 characters
    big_doc = "\n".join(f"{i}. {paragraph}" for i in range(26_000))  # about 50 MB
    one_line = "word " * 2_000_000  # a single 10 MB line
    raw = (
        json.dumps({"id": "doc", "text": big_doc}) + "\n" + json.dumps({"id": "line", "text": one_line}) + "\n"
    ).encode()
    out, _, acc = clean_jsonl(tmp_path, capsys, raw)
    assert [r["id"] for r in out] == ["doc", "line"] and acc["written"] == 2
    assert out[1]["text"] == one_line.rstrip() or len(out[1]["text"]) > 9_000_000


def test_many_tiny_documents(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    raw = "".join(json.dumps({"id": i, "text": "Hi."}) + "\n" for i in range(100_000)).encode()
    out, rejects, acc = clean_jsonl(tmp_path, capsys, raw, extra=["--language", "en"])
    assert (len(out), rejects, acc["written"]) == (100_000, [], 100_000)


# --- hostile HTML and rules -------------------------------------------------------


@pytest.mark.parametrize(
    "page",
    [
        "<div>" * 50_000 + ARTICLE + "</div>" * 50_000,
        f'<html><body><p title="{"x" * 5_000_000}">{ARTICLE}</p></body></html>',
        "<html><body><script>" + "var x = 1;" * 500_000 + f"</script><p>{ARTICLE}</p></body></html>",
    ],
    ids=["deep-nesting", "huge-attribute", "mostly-script"],
)
def test_hostile_html(tmp_path: Path, capsys: pytest.CaptureFixture[str], page: str) -> None:
    out, rejects, acc = clean_jsonl(tmp_path, capsys, json.dumps({"id": "h", "html": page}).encode() + b"\n")
    assert acc["in"] == 1 and len(out) + len(rejects) == 1
    assert "var x" not in (out[0]["text"] if out else "")


def test_catastrophic_regex_is_refused_at_load(tmp_path: Path) -> None:
    pack = tmp_path / "evil.toml"
    pack.write_text(
        '[[rule]]\nid = "EVIL001"\ncategory = "evil"\nwhy = "x"\nmatch = \'(a+)+$\'\naction = "drop-line"\n'
        'removes = ["aaaa"]\nkeeps = ["b"]\n',
        encoding="utf-8",
    )
    with pytest.raises(RulePackError) as info:
        Cleaner(Config(rules=(str(pack),)))
    assert str(info.value).startswith(f"{pack}: rule 'EVIL001': regex backtracks catastrophically on ")


# --- output ----------------------------------------------------------------------


def test_unwritable_output_is_a_one_line_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the output folder should be\n")  # unwritable even for root
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({"id": "a", "text": ARTICLE}) + "\n")
    code, err = run(["clean", str(src), "-o", str(blocker / "out.jsonl")], capsys)
    assert code == EXIT_DATA and err.startswith("cleaner: error: cannot write ") and err.count("\n") == 1
    assert blocker.read_text() == "a file where the output folder should be\n"


def test_side_files_in_missing_folders_are_written_and_unwritable_ones_fail_before_the_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({"id": "a", "text": ARTICLE}) + "\nnot json\n")
    out = tmp_path / "out.jsonl"
    side = ["--report", str(tmp_path / "r" / "x" / "r.json"), "--clusters", str(tmp_path / "c" / "c.json")]
    code, err = run(["clean", str(src), "-o", str(out), *side, "--rejects", str(tmp_path / "j" / "bad.jsonl")], capsys)
    assert code == 0, err
    for name in ("r/x/r.json", "r/x/r.html", "c/c.json", "c/c.csv", "j/bad.jsonl"):
        assert (tmp_path / name).is_file(), name
    blocker = tmp_path / "a-file"
    blocker.write_text("in the way\n")
    out.unlink()
    code, err = run(["clean", str(src), "-o", str(out), "--report", str(blocker / "r.json")], capsys)
    assert (code, err) == (
        EXIT_DATA,
        f"cleaner: error: cannot write {blocker / 'r.json'}: {blocker} is not a folder; choose another --report path\n",
    )
    assert not out.exists() and not (tmp_path / "out.jsonl.work").exists()


def test_disk_full_is_a_one_line_error_and_the_run_resumes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import cleaner.io.writers as writers

    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps({"id": i, "text": ARTICLE}) + "\n" for i in range(5)))

    def full(self: object, record: dict) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(writers.JsonlWriter, "write", full)
    code, err = run(["clean", str(src), "-o", str(tmp_path / "out.jsonl"), "--dedup", "off"], capsys)
    assert code == EXIT_DATA
    assert err == (
        f"cleaner: error: cannot write {tmp_path / 'out.jsonl'}: No space left on device; the output was not written; "
        f"the processed shards are kept in {tmp_path / 'out.jsonl.work'} (free some space and run the same command "
        "again with --resume)\n"
    )
    assert not (tmp_path / "out.jsonl").exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".out.jsonl")]
    monkeypatch.undo()
    code, err = run(["clean", str(src), "-o", str(tmp_path / "out.jsonl"), "--dedup", "off", "--resume"], capsys)
    assert code == 0, err
    assert len(read(tmp_path / "out.jsonl")) == 5


def test_html_input_never_touches_the_network(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import socket

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"network access attempted: {args!r}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    page = (
        '<html><head><link rel="stylesheet" href="https://example.org/a.css">'
        '<meta http-equiv="refresh" content="0; url=https://example.org/"></head><body>'
        f'<img src="https://example.org/x.png"><iframe src="https://example.org/f"></iframe><p>{ARTICLE}</p>'
        '<script src="https://example.org/s.js"></script></body></html>'
    )
    record = {"id": "n", "html": page, "url": "https://example.org/story"}
    out, _, acc = clean_jsonl(tmp_path, capsys, json.dumps(record).encode() + b"\n")
    assert out[0]["text"] == ARTICLE and acc["written"] == 1


def test_lone_surrogate_escapes_become_replacement_characters(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # "\ud83d" without its pair parses, but cannot be written as UTF-8: the
    # record is kept with U+FFFD and a flag, not a crash of the whole run.
    raw = (
        b'{"id": "a", "text": "The mayor said \\ud83d today that the bridge would close for two years."}\n'
        b'{"id": "b", "text": "A pair \\ud83d\\ude00 is one character, and this line is fine as it is."}\n'
        b'{"id": "c", "text": "Upper-case hex \\uDE00 is the same escape, and a lone one all the same."}\n'
    )
    out, rejects, acc = clean_jsonl(tmp_path, capsys, raw)
    assert acc["in"] == 3 and not rejects
    a, b, c = out
    assert a["text"] == "The mayor said \ufffd today that the bridge would close for two years."
    assert a["flags"] == c["flags"] == ["lone_surrogates_replaced"]
    assert "\U0001f600" in b["text"] and "flags" not in b
    assert c["text"] == "Upper-case hex \ufffd is the same escape, and a lone one all the same."


@given(st.text(alphabet=st.sampled_from(list("ab1 .,-\u00a0\t\n—é_\u3000x'")), max_size=40))
def test_count_words_counts_tokens_with_a_word_character(text: str) -> None:
    # The token regex is written not to backtrack on long runs of symbols
    # (a line of 10,000 dots took 1.5 s); it still counts what it did.
    from cleaner.page import _CJK_RE, count_words

    if not _CJK_RE.search(text):
        assert count_words(text) == sum(1 for tok in text.split() if re.search(r"\w", tok))


def test_durable_atomic_file_syncs_before_the_rename(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Shards and the manifest are written durably: the data is synced to
    disk before the file appears under its name; a failed write leaves no
    file and no temporary behind."""
    target = tmp_path / "shard.pkl"
    synced: list[bool] = []
    monkeypatch.setattr(os, "fsync", lambda fd: synced.append(target.exists()))
    with atomic_file(target, "wb", durable=True) as fh:
        fh.write(b"data")
    assert synced == [False] and target.read_bytes() == b"data"
    with pytest.raises(RuntimeError), atomic_file(tmp_path / "other.pkl", "wb", durable=True) as fh:
        fh.write(b"half")
        raise RuntimeError("killed")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["shard.pkl"]


def test_deeply_nested_html_keeps_its_text_and_an_unreadable_page_says_why(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """libxml2 stops at 255 levels unless told otherwise: a page nested 300
    deep keeps its text (the fallback renderer walks without recursion);
    one nested beyond what the parser reads is written empty with a reason
    that says so, not 'empty input'."""
    sentence = "The council met on Monday and voted to close the old bridge to all traffic for two years."

    def nested(depth: int) -> str:
        return "<html><body>" + "<div>" * depth + f"<p>{sentence}</p>" + "</div>" * depth + "</body></html>"

    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps({"id": str(d), "html": nested(d)}) + "\n" for d in (300, 5000)))
    assert main(["clean", str(src), "-o", str(tmp_path / "out.jsonl")]) == 0
    out = {r["id"]: r for r in map(json.loads, (tmp_path / "out.jsonl").read_text().splitlines())}
    assert out["300"]["text"] == sentence
    assert (out["5000"]["text"], out["5000"]["reason"]) == ("", "no text found in the HTML")


@pytest.mark.parametrize("umask", [0o022, 0o002])
def test_output_files_get_the_permissions_open_would_give(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], umask: int
) -> None:
    # atomic_file used mkstemp, which makes files 0600 whatever the umask.
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({"id": "a", "text": ARTICLE}) + "\nnot json\n", encoding="utf-8")
    pages = tmp_path / "pages"
    pages.mkdir()
    (pages / "one.txt").write_text(ARTICLE, encoding="utf-8")
    old = os.umask(umask)
    try:
        assert run(["clean", str(src), "-o", str(tmp_path / "out.jsonl")], capsys)[0] == 0
        assert run(["clean", str(pages), "-o", str(tmp_path / "folder")], capsys)[0] == 0
    finally:
        os.umask(old)
    written = [tmp_path / "out.jsonl", tmp_path / "out.rejects.jsonl", tmp_path / "out.report.json"]
    written += [tmp_path / "folder" / "one.txt"]
    assert {p.name: oct(p.stat().st_mode & 0o777) for p in written} == {p.name: oct(0o666 & ~umask) for p in written}


def test_atomic_file_keeps_the_mode_of_the_file_it_replaces(tmp_path: Path) -> None:
    target = tmp_path / "x.txt"
    target.write_text("old")
    target.chmod(0o640)
    with atomic_file(target) as fh:
        fh.write("new")
    assert target.read_text() == "new" and target.stat().st_mode & 0o777 == 0o640


def test_folder_output_shortens_long_ids(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # A long URL as the id ended the run with "File name too long" after all
    # the cleaning: safe_relpath never shortened a name part.
    src = tmp_path / "in.jsonl"
    urls = [f"https://e.org/{'story-' * 80}{n}" for n in range(2)]
    src.write_text("".join(json.dumps({"url": u, "text": ARTICLE}) + "\n" for u in urls), encoding="utf-8")
    code, err = run(["clean", str(src), "-o", str(tmp_path / "out"), "--id-field", "url"], capsys)
    assert code == 0, err
    names = sorted(p.name for p in (tmp_path / "out" / "https%3A" / "e.org").iterdir())
    assert len(names) == 2 and all(len(n.encode()) <= 255 and n.endswith(".txt") for n in names)
    assert names[0] != names[1] and names[0].startswith("story-story-")


def test_overwriting_a_folder_output_replaces_it_whole(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """--overwrite into a folder output left the files of the earlier run
    that this run did not write (a document dropped since): the folder is
    now replaced whole, keeping its mode; a folder holding anything but
    .txt files is not a cleaner output and is refused, untouched."""
    src, out = tmp_path / "pages", tmp_path / "out"
    src.mkdir()
    for name in ("a", "b"):
        (src / f"{name}.txt").write_text(ARTICLE, encoding="utf-8")
    assert run(["clean", str(src), "-o", str(out)], capsys)[0] == 0
    out.chmod(0o750)
    (src / "b.txt").unlink()
    assert run(["clean", str(src), "-o", str(out), "--overwrite"], capsys)[0] == 0
    assert sorted(p.name for p in out.iterdir()) == ["a.txt"] and out.stat().st_mode & 0o777 == 0o750
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []
    (out / "notes.md").write_text("mine")
    code, err = run(["clean", str(src), "-o", str(out), "--overwrite"], capsys)
    assert code == EXIT_USAGE and "the folder holds notes.md, which is no cleaned text" in err
    assert (out / "notes.md").read_text() == "mine"
