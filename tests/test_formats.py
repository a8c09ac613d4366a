"""Every input kind end to end, with small real samples built from the dev
pages: HTML (JSONL field, files, folders, WARC), JSONL .gz/.zst, Parquet."""

from __future__ import annotations

import gzip
import io
import json
import sys
from pathlib import Path

import pytest

from cleaner.cli import main
from cleaner.errors import EXIT_DATA, EXIT_USAGE

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT.parent / "shared" / "bench" / "quality-dev"
needs_bench = pytest.mark.skipif(not BENCH.is_dir(), reason=f"dev pages not found at {BENCH}")
ARTICLE = "The council met on Monday and voted to close the old bridge for two years of repairs."


def dev_pages(n: int = 3) -> list[tuple[str, str, str]]:
    """(id, html, text) of the first ``n`` dev pages in id order."""
    ids = sorted(p.name.split(".")[0] for p in (BENCH / "html").glob("*.html.gz"))[:n]
    return [
        (
            i,
            gzip.decompress((BENCH / "html" / f"{i}.html.gz").read_bytes()).decode("utf-8"),
            (BENCH / "text" / f"{i}.txt").read_text(encoding="utf-8"),
        )
        for i in ids
    ]


def clean(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def records(path: Path) -> list[dict]:
    opener = gzip.open if path.name.endswith(".gz") else open
    if path.name.endswith(".zst"):
        import zstandard

        opener = zstandard.open
    with opener(path, "rt", encoding="utf-8") as fh:
        return [json.loads(line) for line in fh]


@needs_bench
def test_jsonl_with_html_field(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pages = dev_pages()
    src = tmp_path / "in.jsonl"
    src.write_text(
        "".join(json.dumps({"id": i, "html": h, "src": "dev"}) + "\n" for i, h, _ in pages), encoding="utf-8"
    )
    code, _, err = clean(["clean", str(src), "-o", str(tmp_path / "out.jsonl")], capsys)
    assert code == 0, err
    got = records(tmp_path / "out.jsonl")
    assert [r["id"] for r in got] == [i for i, _, _ in pages]
    for r, (_, html, _) in zip(got, pages, strict=True):
        assert r["extracted_by"] == "trafilatura"
        assert r["html"] == html and r["src"] == "dev"  # passed through unchanged
        assert r["text"] and "<" not in r["text"][:200]
        assert set(r["metadata"]) <= {"title", "author", "date", "sitename", "url"} and r["metadata"].get("title")


@needs_bench
def test_html_files_and_recursive_folders(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pages = dev_pages(2)
    (tmp_path / "in" / "sub").mkdir(parents=True)
    (tmp_path / "in" / "a.html").write_text(pages[0][1], encoding="utf-8")
    (tmp_path / "in" / "sub" / "b.htm").write_text(pages[1][1], encoding="utf-8")
    (tmp_path / "in" / "sub" / "c.txt").write_text(f"Share this article\n{ARTICLE}\n", encoding="utf-8")
    code, _, err = clean(["clean", str(tmp_path / "in"), "-o", str(tmp_path / "out")], capsys)
    assert code == 0, err
    written = sorted(p.relative_to(tmp_path / "out").as_posix() for p in (tmp_path / "out").rglob("*.txt"))
    assert written == ["a.html.txt", "sub/b.htm.txt", "sub/c.txt"]
    assert (tmp_path / "out" / "sub" / "c.txt").read_text(encoding="utf-8") == ARTICLE + "\n"
    code, _, _ = clean(["clean", str(tmp_path / "in" / "a.html"), "-o", str(tmp_path / "one.jsonl")], capsys)
    assert code == 0 and records(tmp_path / "one.jsonl")[0]["extracted_by"] == "trafilatura"


def test_html_without_main_text_falls_back_to_plain_rendering(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    page = '<html><body><ul><li><a href="/a">Home</a></li><li><a href="/b">Weekend picks for families</a></li></ul></body></html>'
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({"id": "x", "html": page}) + "\n", encoding="utf-8")
    assert clean(["clean", str(src), "-o", str(tmp_path / "o.jsonl"), "--no-heuristics"], capsys)[0] == 0
    rec = records(tmp_path / "o.jsonl")[0]
    assert rec["extracted_by"] == "fallback"
    assert rec["text"] == "Weekend picks for families"  # "Home" is taken by NAV001


@pytest.mark.parametrize("suffix", [".jsonl.gz", ".jsonl.zst"])
def test_compressed_jsonl_in_and_out(tmp_path: Path, capsys: pytest.CaptureFixture[str], suffix: str) -> None:
    plain = tmp_path / "in.jsonl"
    plain.write_text(json.dumps({"id": "a", "text": f"ADVERTISEMENT\n{ARTICLE}"}) + "\n", encoding="utf-8")
    assert clean(["clean", str(plain), "-o", str(tmp_path / f"mid{suffix}")], capsys)[0] == 0
    mid = records(tmp_path / f"mid{suffix}")
    assert mid[0]["text"] == ARTICLE
    # compressed input, detected by name; output compression follows the output name
    src = tmp_path / f"in{suffix}"
    if suffix == ".jsonl.gz":
        src.write_bytes(gzip.compress(plain.read_bytes()))
    else:
        import zstandard

        src.write_bytes(zstandard.ZstdCompressor().compress(plain.read_bytes()))
    assert clean(["clean", str(src), "-o", str(tmp_path / "out.jsonl")], capsys)[0] == 0
    assert records(tmp_path / "out.jsonl")[0]["text"] == ARTICLE


def test_gzip_output_is_byte_identical_across_runs(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({"id": "a", "text": ARTICLE}) + "\n", encoding="utf-8")
    clean(["clean", str(src), "-o", str(tmp_path / "1.jsonl.gz")], capsys)
    clean(["clean", str(src), "-o", str(tmp_path / "2.jsonl.gz")], capsys)
    assert (tmp_path / "1.jsonl.gz").read_bytes() == (tmp_path / "2.jsonl.gz").read_bytes()


@needs_bench
def test_parquet_in_and_out_passes_columns_through(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    pages = dev_pages(3)
    table = pa.table({"id": [i for i, _, _ in pages], "text": [t for _, _, t in pages], "crawl": [7, 8, 9]})
    pq.write_table(table, tmp_path / "in.parquet", row_group_size=2)
    code, _, err = clean(["clean", str(tmp_path / "in.parquet"), "-o", str(tmp_path / "out.parquet")], capsys)
    assert code == 0, err
    out = pq.read_table(tmp_path / "out.parquet").to_pylist()
    assert [r["id"] for r in out] == [i for i, _, _ in pages] and [r["crawl"] for r in out] == [7, 8, 9]
    assert all(0 < len(r["text"]) < len(t) for r, (_, _, t) in zip(out, pages, strict=True))
    assert clean(["clean", str(tmp_path / "in.parquet"), "-o", str(tmp_path / "as.jsonl")], capsys)[0] == 0
    assert [r["text"] for r in records(tmp_path / "as.jsonl")] == [r["text"] for r in out]


def test_parquet_output_keeps_every_field_of_every_record(tmp_path: Path) -> None:
    # The schema used to come from the first row of the first 1,024-row batch:
    # a field missing there was dropped, a cleaner field first seen in a
    # later batch raised ArrowInvalid, and an int/str field raised too.
    import pyarrow.parquet as pq

    from cleaner.io import Fields, open_writer

    rows = [{"id": f"d{i}", "text": "t", "lines_removed": 0, "words_removed": 0} for i in range(1100)]
    for i, row in enumerate(rows):
        if i:
            row["src"] = f"s{i}"  # not in the first row
        if i >= 1030:
            row["flags"] = ["removal_budget"]  # first seen in the second batch
        row["n"] = i if i % 2 else str(i)  # int here, str there
        if i == 1050:
            row["late"] = {"k": 1.5}  # one record only, in the second batch
    with open_writer(str(tmp_path / "o.parquet"), "parquet", Fields()) as writer:
        for row in rows:
            writer.write(row)
    got = pq.read_table(tmp_path / "o.parquet").to_pylist()
    assert [r["id"] for r in got] == [f"d{i}" for i in range(1100)]
    assert got[0]["src"] is None and got[5]["src"] == "s5"
    assert got[0]["flags"] is None and got[1099]["flags"] == ["removal_budget"]
    assert [r["n"] for r in got[:3]] == ["0", "1", "2"]  # no common type: written as strings
    assert got[1050]["late"] == {"k": 1.5} and got[1049]["late"] is None


def test_parquet_output_of_mixed_types_from_the_cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "in.jsonl"
    recs = [{"id": "a", "text": ARTICLE, "n": 1}, {"id": "b", "text": ARTICLE, "n": "x", "extra": [1]}]
    src.write_text("".join(json.dumps(r) + "\n" for r in recs), encoding="utf-8")
    code, _, err = clean(["clean", str(src), "-o", str(tmp_path / "o.parquet"), "--dedup", "off"], capsys)
    assert code == 0, err
    import pyarrow.parquet as pq

    got = pq.read_table(tmp_path / "o.parquet").to_pylist()
    assert [(r["n"], r["extra"]) for r in got] == [("1", None), ("x", [1])]


@needs_bench
def test_warc_html_responses_and_skipped_records(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    pages = dev_pages(2)
    path = tmp_path / "crawl.warc.gz"
    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        for n, (_, html, _) in enumerate(pages):
            url = f"https://example.org/{n}"
            writer.write_record(
                writer.create_warc_record(url, "request", payload=io.BytesIO(b"GET / HTTP/1.1\r\n\r\n"))
            )
            headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
            writer.write_record(
                writer.create_warc_record(url, "response", payload=io.BytesIO(html.encode()), http_headers=headers)
            )
        img = StatusAndHeaders("200 OK", [("Content-Type", "image/png")], protocol="HTTP/1.1")
        writer.write_record(
            writer.create_warc_record(
                "https://example.org/x.png", "response", payload=io.BytesIO(b"\x89PNG"), http_headers=img
            )
        )
    report = tmp_path / "r.json"
    code, _, err = clean(["clean", str(path), "-o", str(tmp_path / "o.jsonl"), "--report", str(report)], capsys)
    assert code == 0, err
    got = records(tmp_path / "o.jsonl")
    assert [r["url"] for r in got] == ["https://example.org/0", "https://example.org/1"]
    assert all(r["metadata"]["url"] == r["url"] and r["metadata"]["warc_date"] for r in got)
    counts = json.loads(report.read_text())["counts"]
    assert counts["docs_in"] == 3 and counts["docs_written"] == 2 and counts["docs_dropped.not_html"] == 1


def test_stdin_html_and_text(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    page = f"<html><body><article><p>{ARTICLE}</p><p>{ARTICLE.replace('Monday', 'Friday')}</p></article></body></html>"
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(page.encode())))
    code, out, _ = clean(["clean", "-", "-o", "-", "--input-format", "html"], capsys)
    assert code == 0 and json.loads(out)["text"].startswith(ARTICLE)


def test_format_is_sniffed_from_content(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "export.data"
    src.write_text(json.dumps({"id": "a", "text": f"Home\n{ARTICLE}"}) + "\n", encoding="utf-8")
    assert clean(["clean", str(src), "-o", str(tmp_path / "o.jsonl")], capsys)[0] == 0
    assert records(tmp_path / "o.jsonl")[0]["text"] == ARTICLE


def test_mixed_up_format_is_a_one_line_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({"id": "a", "text": ARTICLE}) + "\n", encoding="utf-8")
    code, _, err = clean(["clean", str(src), "-o", str(tmp_path / "o.jsonl"), "--input-format", "parquet"], capsys)
    assert code == EXIT_DATA
    assert err.startswith(f"cleaner: error: {src}: not a readable Parquet file (") and err.count("\n") == 1
    code, _, err = clean(["clean", str(src), "-o", str(tmp_path / "o.csv")], capsys)
    assert (code, err) == (
        EXIT_USAGE,
        f"cleaner: error: {tmp_path / 'o.csv'}: output must be a folder, a .jsonl(.gz/.zst) or .parquet file, or - (stdout)\n",
    )


@pytest.mark.parametrize(
    ("name", "data", "argv", "message"),
    [
        (
            "in.jsonl",
            gzip.compress(b'{"id": "a", "text": "x"}\n'),
            [],
            "this is gzip-compressed data but its name does not end in .gz; rename it in.jsonl.gz",
        ),
        (
            "in.jsonl.gz",
            b'{"id": "a", "text": "x"}\n',
            [],
            "its name ends in .gz but it is not gzip-compressed (it looks like JSONL); rename it in.jsonl",
        ),
        (
            "in.jsonl",
            b'{"id": "a", "text": "x"}\n',
            ["--input-format", "warc"],
            "not a WARC file (it looks like JSONL; use --input-format jsonl)",
        ),
        (
            "in.warc",
            b"WARC/1.0\r\nWARC-Type: warcinfo\r\nContent-Length: 0\r\n\r\n\r\n\r\n",
            ["--input-format", "parquet"],
            "not a readable Parquet file (it looks like a WARC file; use --input-format warc)",
        ),
        (
            "in.jsonl",
            b"WARC/1.0\r\nWARC-Type: warcinfo\r\nContent-Length: 0\r\n\r\n\r\n\r\n",
            [],
            "not JSONL (it looks like a WARC file; use --input-format warc)",
        ),
        (
            "in.jsonl",
            '{"id": "a", "text": "x"}\n'.encode("utf-16"),
            [],
            "this is UTF-16 text; JSONL must be UTF-8 (convert it: iconv -f UTF-16 -t UTF-8)",
        ),
    ],
)
def test_a_file_that_is_not_what_its_name_says_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, data: bytes, argv: list[str], message: str
) -> None:
    # These gave 190 garbage rejects, 1 reject, or pages of warcio warnings
    # and 3 fake documents, all with exit 0.
    src = tmp_path / name
    src.write_bytes(data)
    code, out, err = clean(["clean", str(src), "-o", str(tmp_path / "o.jsonl"), *argv], capsys)
    assert (code, out, err) == (EXIT_DATA, "", f"cleaner: error: {src}: {message}\n")
    assert not (tmp_path / "o.jsonl").exists()


def test_compressed_stdin_is_refused_with_the_fix(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(gzip.compress(b'{"id": 1}\n'))))
    code, _, err = clean(["clean", "-", "-o", "-", "--input-format", "jsonl"], capsys)
    assert (code, err) == (
        EXIT_DATA,
        "cleaner: error: stdin: this is gzip-compressed data; decompress it first (zcat)\n",
    )


def test_jsonl_output_escapes_unicode_line_separators(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # U+0085, U+2028 and U+2029 are legal raw inside JSON strings, but
    # str.splitlines() and JavaScript break lines on them: written raw they
    # would split one record into two for such readers.
    text = f"{ARTICLE}\x85tail\u2028more\u2029end"
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({"id": "a", "text": text}) + "\n", encoding="utf-8")
    code, _, err = clean(["clean", str(src), "-o", str(tmp_path / "out.jsonl"), "--language", "en"], capsys)
    assert code == 0, err
    raw = (tmp_path / "out.jsonl").read_text(encoding="utf-8")
    assert len(raw.splitlines()) == 1 and "\\u0085" in raw and "\\u2028" in raw and "\\u2029" in raw
    assert json.loads(raw)["text"] == text
