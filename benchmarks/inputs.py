"""Throughput of each input kind, end to end through `cleaner clean`.

Builds one corpus per kind from the dev pages repeated ``--repeat`` times
(unique ids), in a temporary folder, and prints docs/s and MB/s (input
bytes, uncompressed) for each, in one run on the same pages:

    python benchmarks/inputs.py --repeat 3
"""

from __future__ import annotations

import argparse
import gzip
import io
import json
import sys
import tempfile
import time
from collections.abc import Callable
from contextlib import redirect_stderr
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from cleaner.cli import main as cleaner_main  # noqa: E402

DEFAULT_BENCH = HERE.parent.parent / "shared" / "bench" / "quality-dev"
Page = tuple[str, str, str]  # id, text, html


def load(bench: Path, repeat: int) -> list[Page]:
    base = []
    for p in sorted((bench / "text").glob("*.txt")):
        html = gzip.decompress((bench / "html" / f"{p.stem}.html.gz").read_bytes()).decode("utf-8", "replace")
        base.append((p.stem, p.read_text(encoding="utf-8"), html))
    return [(f"{i}-{r}", t, h) for r in range(repeat) for i, t, h in base]


def jsonl_bytes(pages: list[Page], field: str) -> bytes:
    key = 1 if field == "text" else 2
    return "".join(json.dumps({"id": p[0], field: p[key]}) + "\n" for p in pages).encode("utf-8")


def build(kind: str, pages: list[Page], tmp: Path) -> Path:
    import zstandard

    builders: dict[str, Callable[[], Path]] = {}

    def folder() -> Path:
        (tmp / "txt").mkdir()
        for i, t, _ in pages:
            (tmp / "txt" / f"{i}.txt").write_text(t, encoding="utf-8")
        return tmp / "txt"

    def write(name: str, data: bytes) -> Path:
        (tmp / name).write_bytes(data)
        return tmp / name

    def parquet() -> Path:
        import pyarrow as pa
        import pyarrow.parquet as pq

        pq.write_table(pa.table({"id": [p[0] for p in pages], "text": [p[1] for p in pages]}), tmp / "in.parquet")
        return tmp / "in.parquet"

    def warc() -> Path:
        from warcio.statusandheaders import StatusAndHeaders
        from warcio.warcwriter import WARCWriter

        with (tmp / "in.warc.gz").open("wb") as fh:
            writer = WARCWriter(fh, gzip=True)
            for i, _, h in pages:
                headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
                rec = writer.create_warc_record(
                    f"https://example.org/{i}", "response", payload=io.BytesIO(h.encode()), http_headers=headers
                )
                writer.write_record(rec)
        return tmp / "in.warc.gz"

    builders = {
        "txt folder": folder,
        "jsonl": lambda: write("in.jsonl", jsonl_bytes(pages, "text")),
        "jsonl.gz": lambda: write("in.jsonl.gz", gzip.compress(jsonl_bytes(pages, "text"))),
        "jsonl.zst": lambda: write("in.jsonl.zst", zstandard.ZstdCompressor().compress(jsonl_bytes(pages, "text"))),
        "parquet": parquet,
        "jsonl html": lambda: write("html.jsonl", jsonl_bytes(pages, "html")),
        "warc.gz html": warc,
    }
    return builders[kind]()


KINDS = ("txt folder", "jsonl", "jsonl.gz", "jsonl.zst", "parquet", "jsonl html", "warc.gz html")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bench", type=Path, default=DEFAULT_BENCH, help="benchmark folder (default: %(default)s)")
    parser.add_argument("--repeat", type=int, default=2, help="copies of the 181 dev pages (default: 2)")
    args = parser.parse_args()
    pages = load(args.bench, args.repeat)
    print(f"input kinds, {len(pages)} documents (dev pages x {args.repeat}), one worker")
    print(f"{'input':14} {'docs/s':>8} {'MB/s':>7}")
    for kind in KINDS:
        with tempfile.TemporaryDirectory() as d:
            tmp = Path(d)
            src = build(kind, pages, tmp)
            mb = sum(len((p[2] if "html" in kind else p[1]).encode()) for p in pages) / 1e6
            start = time.perf_counter()
            with redirect_stderr(io.StringIO()):
                code = cleaner_main(["clean", str(src), "-o", str(tmp / "out.jsonl")])
            seconds = time.perf_counter() - start
            if code != 0:
                print(f"{kind:14} failed with exit code {code}")
                continue
            print(f"{kind:14} {len(pages) / seconds:8,.0f} {mb / seconds:7.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
