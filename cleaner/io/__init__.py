"""Readers and writers. Readers yield :class:`~cleaner.doc.Doc`; writers
take them. Formats: text and HTML files and folders of them (recursive),
JSONL (also ``.gz`` and ``.zst``, streamed), Parquet (row-group batches,
other columns passed through), WARC (``.warc``/``.warc.gz``, HTML response
records), and ``-`` for stdin/stdout (JSONL by default).

Output files appear atomically: they are written under a temporary name
and renamed when complete, so a failed run leaves no half-written file.
"""

from cleaner.io.formats import STDIO, check_output, input_format, output_kind
from cleaner.io.readers import read_docs
from cleaner.io.records import ADDED_FIELDS, Fields, doc_record, dump_json_line, safe_relpath
from cleaner.io.writers import atomic_file, open_writer

__all__ = [
    "ADDED_FIELDS",
    "STDIO",
    "Fields",
    "atomic_file",
    "check_output",
    "doc_record",
    "dump_json_line",
    "input_format",
    "open_writer",
    "output_kind",
    "read_docs",
    "safe_relpath",
]
