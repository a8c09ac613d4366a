"""Guards that keep one bad regex or one huge line from stalling a run.

* At load time every rule regex is probed with strings built to trigger
  catastrophic backtracking (``(a+)+$`` on ``aaaa…!``); a regex that takes
  longer than ``PROBE_SECONDS`` of CPU on any of them is refused, with the rule id.
* While cleaning, the rule matching of each line runs under a time limit
  (``LINE_SECONDS``, a timer signal: Python's ``re`` can be interrupted). A
  line that hits it is kept, not matched, and the document is flagged
  ``rule_timeout``. The timer needs the main thread of a process; elsewhere
  (a library call in a worker thread) only the load-time probe applies.
* Lines longer than ``MAX_RULE_LINE_CHARS`` are not matched by line rules at
  all (no menu, byline or prompt is that long); heuristics still see them.

>>> probe_regex(r"(a+)+$") is not None
True
>>> probe_regex(r"(?i)share( this)?") is None
True
"""

from __future__ import annotations

import re
import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

PROBE_SECONDS = 0.25
#: The wall-clock stop of a probe, in multiples of ``PROBE_SECONDS``.
PROBE_WALL_FACTOR = 20
LINE_SECONDS = 2.0
MAX_RULE_LINE_CHARS = 20_000
_PROBE_CHARS = "a1 .-xA_/"
PROBES = tuple(c * n + tail for c in _PROBE_CHARS for n in (24, 26) for tail in ("\x00", "!"))


class MatchTimeout(Exception):
    """A regex ran past its time limit."""


def _can_time() -> bool:
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raise :class:`MatchTimeout` in the block after ``seconds`` (main
    thread only; elsewhere the block runs unguarded)."""
    if not _can_time():
        yield
        return

    def expire(signum: int, frame: object) -> None:
        raise MatchTimeout

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def probe_regex(pattern: str) -> str | None:
    """``None`` when ``pattern`` stays fast on the probe strings, else a
    description of the string that made it backtrack."""
    compiled = re.compile(pattern)
    for probe in PROBES:
        # CPU time, not wall time: on a busy machine a fast regex may wait
        # its turn for longer than the limit (a spurious refusal, seen
        # under load); the wall-clock alarm only stops one that never ends.
        start = time.thread_time()
        try:
            with time_limit(PROBE_SECONDS * PROBE_WALL_FACTOR):
                compiled.search(probe)
                compiled.fullmatch(probe)
        except MatchTimeout:
            return f"backtracks catastrophically on {probe[:12]!r}... (over {PROBE_SECONDS * PROBE_WALL_FACTOR:g} s)"
        if time.thread_time() - start > PROBE_SECONDS:
            return f"backtracks catastrophically on {probe[:12]!r}... ({time.thread_time() - start:.2f} s of CPU)"
    return None
