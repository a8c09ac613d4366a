"""Clean a corpus end to end: read -> process (N workers) -> shards ->
corpus pass (dedup) -> write, with every document accounted for.

This is what ``cleaner clean`` runs; the CLI only turns flags into a
:class:`Job`. Phase 1 processes the input into shards in a work folder
(``OUT.work/``, see :mod:`cleaner.shards`); phase 2 reads the shards back in
order, collects dedup signatures, clusters, and writes the output, the
rejects, the duplicates side file and the cluster report. Same input and
options give byte-identical output for any number of workers, and after an
interruption and ``--resume``.
"""

from __future__ import annotations

import dataclasses
import json
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cleaner.backends import Backend, Candidates, LearnTemplates, open_backend
from cleaner.clean import Cleaner
from cleaner.config import Config
from cleaner.corpus import check_accounting, reject_record
from cleaner.dedup import DedupConfig, Deduper, write_clusters_csv, write_clusters_json
from cleaner.doc import Doc
from cleaner.io import Fields, doc_record, open_writer, read_docs
from cleaner.io.formats import read_once
from cleaner.report import Report
from cleaner.runlog import note_documents
from cleaner.runner import CHUNK_DOCS, IN_FLIGHT_PER_WORKER, DocResult, RunSpec, flag_duplicate_ids
from cleaner.runs import largest_clusters
from cleaner.shards import SHARD_DOCS, Shard, WorkDir, fingerprint
from cleaner.template import MIN_DOCS, MIN_SHARE, Templates, source_of

#: ``progress(docs, what)``: the documents, shown going by (``what``: which pass).
Progress = Callable[[Iterator[Doc], str], Iterator[Doc]]
#: Documents per worker the input must have before the template pass starts
#: the workers (as many as the pool's first window takes, so an input that
#: would not start the pool does not start it early).
WARM_UP_DOCS = CHUNK_DOCS * IN_FLIGHT_PER_WORKER


@dataclass
class Job:
    """One ``cleaner clean`` run."""

    input: str
    input_format: str
    output: str
    output_kind: str
    fields: Fields = field(default_factory=Fields)
    config: Config = field(default_factory=Config)
    keep_langs: frozenset[str] | None = None
    drop_empty: bool = False
    dedup: DedupConfig | None = None
    dedup_mode: str = "flag"
    workers: int = 1
    resume: bool = False
    overwrite: bool = False
    work_dir: Path | None = None
    rejects: Path | None = None
    duplicates: Path | None = None
    clusters: Path | None = None
    shard_docs: int = SHARD_DOCS
    #: Where phase 1 and the corpus passes run: ``local`` (this process or
    #: ``workers`` processes) or ``dask`` (the cluster at ``scheduler``, or a
    #: LocalCluster of ``workers`` processes). The output is the same either way.
    backend: str = "local"
    scheduler: str | None = None
    #: The cross-document template pass: off, or the documents a line must
    #: be in (and the share of its source's documents) to be template.
    templates: bool = True
    template_min_docs: int = MIN_DOCS
    template_min_share: float = MIN_SHARE

    def spec(self, templates: Templates | None = None) -> RunSpec:
        sketch = (self.dedup.num_perm, self.dedup.n, self.dedup.seed) if self.dedup else None
        return RunSpec(
            config=self.config,
            keep_langs=self.keep_langs,
            drop_empty=self.drop_empty,
            sketch=sketch,
            templates=templates,
            source=self.input,
        )

    def options(self) -> dict[str, Any]:
        """Everything that shapes the output (for the resume fingerprint),
        in a form that is the same in every process (see :func:`canonical`)."""
        return canonical(
            {
                "spec": self.spec(),
                "templates": [self.templates, self.template_min_docs, self.template_min_share],
                "fields": self.fields,
                "format": self.input_format,
                "dedup": self.dedup,
                "mode": self.dedup_mode,
            }
        )


def canonical(value: Any) -> Any:
    """``value`` as plain JSON data that does not depend on the process:
    dataclasses become dicts, tuples lists, and sets sorted lists (a set's
    order, and so its ``repr``, changes with string hash randomisation).

    >>> canonical(Fields(id="url"))
    {'id': 'url', 'text': 'text', 'html': 'html'}
    >>> canonical({"disable": frozenset({"share", "EDGE001"}), "n": (1, 2)})
    {'disable': ['EDGE001', 'share'], 'n': [1, 2]}
    """
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: canonical(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, (set, frozenset)):
        return sorted((canonical(v) for v in value), key=lambda v: json.dumps(v, sort_keys=True, default=str))
    if isinstance(value, (list, tuple)):
        return [canonical(v) for v in value]
    if isinstance(value, dict):
        return {str(k): canonical(v) for k, v in value.items()}
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return repr(value)


def run(job: Job, cleaner: Cleaner | None = None, progress: Progress | None = None) -> Report:
    """Run the job; returns the report (written by the caller)."""
    cleaner = cleaner or Cleaner(job.config)  # validates every pack before a document is read
    with open_backend(job.backend, job.workers, job.scheduler) as backend:  # before OUT.work/ exists
        return _run(job, cleaner, progress, backend)


def _run(job: Job, cleaner: Cleaner, progress: Progress | None, backend: Backend) -> Report:
    # The packs' content, not only their paths: an edited pack must not resume.
    packs = sorted((pack.path, pack.sha256) for pack in cleaner.ruleset.packs)
    fp = fingerprint(job.input, {**job.options(), "packs": packs})
    if job.work_dir is not None:
        # Kept when the run fails (an interruption, a full disk): --resume carries on from it.
        work = WorkDir(job.work_dir, fp, job.shard_docs)
        report = _run_in(work, job, cleaner, progress, backend)
        work.remove()
        return report
    # A run to stdout cannot be resumed: its temporary folder goes whatever happens.
    work = WorkDir.temporary(fp, job.shard_docs)
    try:
        return _run_in(work, job, cleaner, progress, backend)
    finally:
        work.remove()


def _run_in(work: WorkDir, job: Job, cleaner: Cleaner, progress: Progress | None, backend: Backend) -> Report:
    skip = work.start(job.resume, job.overwrite)
    started = time.perf_counter()
    if not work.complete:
        docs: Iterator[Doc] = flag_duplicate_ids(read_docs(job.input, job.input_format, job.fields))
        if progress is not None:  # before the skip: it reads the documents done before an interruption too
            docs = progress(docs, "cleaning" if not _counts_templates(job) else "pass 2/2, cleaning")
        docs = _skip(docs, skip)
        clock = time.perf_counter()
        templates = _learn_templates(job, backend.learn_templates, lambda: backend.warm_up(job.spec()), progress)
        template_seconds = time.perf_counter() - clock
        _process_into_shards(backend.process(docs, job.spec(templates), cleaner), work, job.fields)
    else:
        templates, template_seconds = None, 0.0
    report = Report()
    report.timings["templates"] = template_seconds
    if templates is not None:
        report.info["templates"] = {
            "sources": len(templates.docs),
            "sources_with_templates": len(templates.by_source),
            "lines": templates.size(),
            "min_docs": job.template_min_docs,
            "min_share": job.template_min_share,
        }
    _assemble(job, work, report, backend.candidates)
    report.timings["total"] = time.perf_counter() - started
    check_accounting(report)
    if job.resume and skip:
        report.info["resumed_after_docs"] = skip
    return report


def _counts_templates(job: Job) -> bool:
    """Whether the run learns template lines: it reads the input twice, so
    not from stdin or a pipe (``/dev/stdin``, ``<(...)``), which give their
    documents once (the second pass would find none)."""
    return job.templates and not read_once(job.input)


def _learn_templates(
    job: Job, learn: LearnTemplates, warm_up: Callable[[], None], progress: Progress | None = None
) -> Templates | None:
    """The first pass: count, per source, the documents each short line is
    in (text documents only; HTML is left to trafilatura). Not possible on
    stdin or a pipe, which can be read only once. Once the pass has read enough
    documents for the worker pool to start, ``warm_up()`` starts it, so the
    workers load their rules while the pass goes on."""
    if not _counts_templates(job):
        return None
    docs = read_docs(job.input, job.input_format, job.fields)
    if progress is not None:
        docs = progress(docs, "pass 1/2, template lines")
    docs = _calling_at(docs, WARM_UP_DOCS * job.workers, warm_up)
    items = (
        (source_of(doc.fields, doc.metadata, job.input), doc.text)
        for doc in docs
        if doc.status == "kept" and doc.html is None
    )
    return learn(items, job.template_min_docs, job.template_min_share)


def _calling_at(docs: Iterator[Doc], n: int, call: Callable[[], None]) -> Iterator[Doc]:
    """``docs``, calling ``call()`` once the ``n``-th has been read."""
    for i, doc in enumerate(docs, 1):
        if i == n:
            call()
        yield doc


def _skip(docs: Iterator[Doc], n: int) -> Iterator[Doc]:
    """Drop the first ``n`` documents (done before an interruption); they
    are still read, so the input is checked to be the same stream."""
    for i, doc in enumerate(docs):
        if i >= n:
            yield doc


def _process_into_shards(results: Iterable[DocResult], work: WorkDir, fields: Fields) -> None:
    shard = Shard()
    counts: Counter[str] = Counter()
    for result in results:
        counts.update(result.counts)
        shard.examples.extend(result.examples)
        for name, seconds in result.timings.items():
            shard.timings[name] = shard.timings.get(name, 0.0) + seconds
        if result.reject is not None:
            shard.rejects.append(result.reject)
        shard.entries.append(_entry(result, fields))
        if len(shard.entries) >= work.shard_docs:
            shard.counts = dict(counts)
            work.add(shard)
            shard, counts = Shard(), Counter()
    shard.counts = dict(counts)
    if shard.entries:
        work.add(shard, last=True)
    else:
        work.finish()


def _entry(result: DocResult, fields: Fields) -> tuple[str, dict[str, Any] | None, Any, dict[str, Any]]:
    """What a shard keeps of a document: status, output or reject record,
    dedup sketch, and the few facts the report lists documents by."""
    doc = result.doc
    note: dict[str, Any] = {"id": doc.id, "status": doc.status, "reason": doc.reason, "flags": doc.flags}
    note.update(words_in=doc.words_in, words_removed=doc.words_removed)
    if doc.status == "kept":
        return ("kept", doc_record(doc, fields), result.sketch, note)
    if doc.status == "rejected":
        return ("rejected", reject_record(doc), None, note)
    return (doc.status, None, None, note)


def _read_shards(job: Job, work: WorkDir, report: Report, deduper: Deduper | None) -> Iterator[Doc]:
    """The first read of the shards: their report shares go into ``report``
    and their sketches into ``deduper``; the documents' notes are yielded
    for the report's lists of notable documents."""
    n = 0
    for shard in work.shards():
        report.merge(shard.counts, shard.examples, shard.timings)
        for reject in shard.rejects:
            report.add_reject(reject)
        start = time.perf_counter()
        for status, record, sketch, note in shard.entries:
            if deduper is not None and status == "kept":
                assert record is not None
                deduper.add_sketch(n, str(record[job.fields.id]), sketch, record)
                n += 1
            yield Doc(text="", **note)
        if deduper is not None:
            report.timings["dedup"] += time.perf_counter() - start


def _assemble(job: Job, work: WorkDir, report: Report, candidates: Candidates) -> None:
    """Phase 2: the report and dedup from the shards, then the output."""
    deduper = Deduper(job.dedup, candidates=candidates) if job.dedup else None
    for _ in note_documents(_read_shards(job, work, report, deduper), report):
        pass
    marks = deduper.finish() if deduper is not None else {}
    start = time.perf_counter()
    with ExitStack() as stack:
        write = stack.enter_context(open_writer(job.output, job.output_kind, job.fields)).write
        sinks: dict[str, Callable[[dict[str, Any]], None]] = {}

        def sink(name: str, path: Path | None) -> Callable[[dict[str, Any]], None] | None:
            if path is None:
                return None
            if name not in sinks:
                sinks[name] = stack.enter_context(open_writer(str(path), "jsonl", Fields())).write
            return sinks[name]

        index = 0
        for shard in work.shards():
            for status, record, _, _ in shard.entries:
                if status == "rejected":
                    out = sink("rejects", job.rejects)
                    if out is not None and record is not None:
                        out(record)
                    continue
                if status != "kept" or record is None:
                    continue
                record = {**record, **marks.get(index, {})}
                index += 1
                if "duplicate_of" in record:
                    report.count("docs_flagged.near_dup")
                    if job.dedup_mode == "drop":
                        report.count("docs_dropped.duplicate")
                        copies = sink("duplicates", job.duplicates)
                        if copies is not None:
                            copies(record)
                        continue
                write(record)
                report.count("docs_written")
    report.timings["write"] += time.perf_counter() - start
    if job.rejects is not None and "rejects" in sinks:
        report.info["rejects_file"] = str(job.rejects)
    if deduper is not None:
        _dedup_report(job, deduper, report)


def _dedup_report(job: Job, deduper: Deduper, report: Report) -> None:
    clusters = deduper.clusters()
    report.count("dup_clusters", len(clusters))
    report.info["dedup"] = {
        "mode": job.dedup_mode,
        "params": deduper.params(),
        "s_curve": [[j, round(p, 4)] for j, p in deduper.s_curve()],
        "clusters": len(clusters),
        "copies": sum(len(c.copies) for c in clusters),
        "largest": largest_clusters(clusters),
    }
    if job.clusters is not None:
        job.clusters.parent.mkdir(parents=True, exist_ok=True)
        write_clusters_json(clusters, job.clusters.with_suffix(".json"))
        write_clusters_csv(clusters, job.clusters.with_suffix(".csv"))
