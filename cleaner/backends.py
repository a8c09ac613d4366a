"""Where the work runs: in this process or a local worker pool
(:func:`cleaner.runner.process_stream`), or on a ``dask.distributed``
cluster.

A :class:`Backend` is what a run needs of one: the per-document stream
(documents in, :class:`DocResult` out, in input order) and the two corpus
passes, the template count and the grouping of dedup band keys into
candidate pairs. The local backend runs the passes in this process; the
dask backend runs them on the cluster (:mod:`cleaner.dask_corpus`) and
gets back only their small results. Reading the input, writing the
shards, union-find, verifying the candidate pairs and writing the output
stay with the caller, so the output is byte-identical whichever backend ran.

Dask is an optional dependency (``pip install 'cleaner[dask]'``), imported
only when the dask backend is asked for.
"""

from __future__ import annotations

import importlib
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from typing import Any

import numpy as np

from cleaner import dask_corpus, lsh
from cleaner.batching import batches
from cleaner.clean import Cleaner
from cleaner.doc import Doc
from cleaner.errors import CleanerError, UsageError
from cleaner.runner import (
    CHUNK_DOCS,
    IN_FLIGHT_PER_WORKER,
    DocResult,
    Processor,
    RunSpec,
    WorkerPool,
    process_stream,
)
from cleaner.template import Templates

BACKENDS = ("local", "dask")
#: Workers of the LocalCluster that ``--backend dask`` starts without ``--scheduler``.
DASK_LOCAL_WORKERS = 2
#: How long to wait for the scheduler to answer, and for it to have a worker.
CONNECT_TIMEOUT = 20
MISSING_DASK = "--backend dask needs dask[distributed]: pip install 'cleaner[dask]'"

#: ``process(docs, spec, cleaner)`` -> results in input order.
Stream = Callable[[Iterable[Doc], RunSpec, "Cleaner | None"], Iterator[DocResult]]
#: ``learn(items, min_docs, min_share)``: template lines of ``(source, text)`` documents.
LearnTemplates = Callable[[Iterable[tuple[str, str]], int, float], Templates]
#: ``candidates(sigs, bands, rows)``: the pairs of :func:`cleaner.lsh.band_candidates`, at once or in batches.
Candidates = Callable[[np.ndarray, int, int], "np.ndarray | Iterable[np.ndarray]"]


@dataclass(frozen=True)
class Backend:
    """The per-document stream and the corpus passes of one backend, and
    ``warm_up(spec)``: start the workers for ``spec`` ahead of the stream (the
    caller knows the input is large enough) so that they load the rules
    while the template pass runs; a no-op where workers are already up."""

    process: Stream
    learn_templates: LearnTemplates
    candidates: Candidates
    warm_up: Callable[[RunSpec], None] = lambda spec: None


def require_dask() -> Any:
    """The ``distributed`` module, or a :class:`UsageError` naming the install."""
    try:
        return importlib.import_module("distributed")
    except ImportError:
        raise UsageError(MISSING_DASK) from None


@contextmanager
def open_backend(backend: str, workers: int = 1, scheduler: str | None = None) -> Iterator[Backend]:
    """``backend``, ready to use inside the ``with`` block (for dask:
    connected to ``scheduler``, or to a LocalCluster of ``workers``
    processes started here and stopped after)."""
    if backend == "local":
        with WorkerPool(workers) as pool:
            yield Backend(
                process=lambda docs, spec, cleaner: process_stream(docs, spec, workers, cleaner, pool),
                learn_templates=pool.learn_templates,
                candidates=lsh.band_candidate_batches,
                warm_up=pool.start,
            )
        return
    if backend != "dask":
        raise UsageError(f"unknown backend {backend!r}; choose from {', '.join(BACKENDS)}")
    with dask_client(scheduler, workers) as client:
        window = max(2, sum(client.nthreads().values()) * IN_FLIGHT_PER_WORKER)
        yield Backend(
            process=lambda docs, spec, cleaner: dask_process_stream(docs, spec, client, window),
            learn_templates=lambda items, min_docs, min_share: dask_corpus.learn_templates(
                client, items, min_docs, min_share, window
            ),
            candidates=lambda sigs, bands, rows: dask_corpus.band_candidates(client, sigs, bands, rows),
        )


@contextmanager
def dask_client(scheduler: str | None, workers: int = DASK_LOCAL_WORKERS) -> Iterator[Any]:
    """A ``distributed.Client`` of the scheduler at ``scheduler``, or of a
    LocalCluster (``workers`` processes, one thread each, no dashboard)."""
    distributed = require_dask()
    with ExitStack() as stack:
        if scheduler is None:
            cluster = stack.enter_context(
                distributed.LocalCluster(
                    n_workers=workers,
                    threads_per_worker=1,
                    processes=True,
                    dashboard_address=None,
                    # no dashboard, and its health/metrics server on a free port, not 8787
                    scheduler_kwargs={"dashboard_address": ":0"},
                )
            )
            client = stack.enter_context(distributed.Client(cluster))
        else:
            try:
                client = stack.enter_context(distributed.Client(scheduler, timeout=CONNECT_TIMEOUT))
            except (OSError, TimeoutError, ValueError) as exc:
                raise CleanerError(
                    f"cannot reach the Dask scheduler at {scheduler}: {exc}; "
                    "start one with `dask scheduler` and pass the address it prints"
                ) from None
            try:
                client.wait_for_workers(1, timeout=CONNECT_TIMEOUT)
            except TimeoutError:
                raise CleanerError(
                    f"the Dask scheduler at {scheduler} has no workers after {CONNECT_TIMEOUT} s; "
                    f"start some with `dask worker {scheduler}`"
                ) from None
        yield client


def dask_process_stream(docs: Iterable[Doc], spec: RunSpec, client: Any, window: int) -> Iterator[DocResult]:
    """Process documents on the cluster of ``client`` in chunks, at most
    ``window`` chunks in flight, yielding the results in input order (the
    contract of :func:`cleaner.runner.process_stream`). The spec (with the
    template lines) goes to every worker once, not with every chunk."""
    in_flight: deque[Any] = deque()
    shared = client.scatter(spec, broadcast=True, hash=False)
    for chunk in batches(docs, CHUNK_DOCS):
        in_flight.append(client.submit(process_chunk, shared, chunk, pure=False))
        if len(in_flight) >= window:
            yield from _take(in_flight.popleft())
    while in_flight:
        yield from _take(in_flight.popleft())


def _take(future: Any) -> list[DocResult]:
    results: list[DocResult] = future.result()
    future.release()  # the scheduler may forget it now
    return results


# --- on the workers ---------------------------------------------------------------

_LOCAL = threading.local()


def process_chunk(spec: RunSpec, docs: list[Doc]) -> list[DocResult]:
    """Process one chunk on a worker. The worker builds its
    :class:`Processor` (rules loaded, compiled) once per spec and thread and
    reuses it for every later chunk of the run (the scattered spec is the
    same object each time, so the check is cheap however many template
    lines it carries)."""
    cached: tuple[RunSpec, Processor] | None = getattr(_LOCAL, "processor", None)
    if cached is None or (cached[0] is not spec and cached[0] != spec):
        cached = (spec, Processor(spec))
        _LOCAL.processor = cached
    return cached[1].process(docs)
