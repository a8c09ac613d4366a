"""Rule and heuristic examples: what they mean and how they are checked.

An example is one of:

* a single line (a string without a line break). In ``removes`` the rule
  must take something out of it; in ``keeps`` it must leave it untouched.
* a document (a string with line breaks). In ``removes``, the lines that
  start with ``"- "`` are the ones the rule must drop (the marker is taken
  off before cleaning) and every other line must stay as it is. In
  ``keeps``, nothing may be removed.
* a table ``{text = "...", result = "..."}``: cleaning ``text`` with the
  rule alone must give exactly ``result``.

>>> expected_output("- Home\\nBody text.\\n- Share")
('Home\\nBody text.\\nShare', 'Body text.')
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from cleaner.page import assemble, split_lines

DROP_MARK = "- "


def expected_output(example: str) -> tuple[str, str]:
    """For a document example, the input text and the expected output."""
    lines = split_lines(example)
    plain = [ln[len(DROP_MARK) :] if ln.startswith(DROP_MARK) else ln for ln in lines]
    dropped: list[str | None] = ["x" if ln.startswith(DROP_MARK) else None for ln in lines]
    return "\n".join(plain), assemble(plain, dropped)


def check_example(clean: Callable[[str], str], example: Any, kind: str) -> str | None:
    """Run ``clean`` (a text -> text function using one rule only) on one
    example of the given kind (``removes``, ``keeps`` or ``misses``).
    Returns a description of the contradiction, or ``None`` when the
    example holds. ``misses`` are held to the ``removes`` standard (they are
    known failures, so they are expected to return a contradiction)."""
    if isinstance(example, dict):
        got = clean(example["text"])
        if got != example["result"]:
            return f"{example['text']!r} gave {got!r}, expected {example['result']!r}"
        return None
    if "\n" not in example:
        got = clean(example)
        if kind == "keeps" and got != example:
            return f"must keep {example!r} but gave {got!r}"
        if kind != "keeps" and got == example:
            return f"must remove something from {example!r} but kept it"
        return None
    text, want = expected_output(example)
    if kind == "keeps":
        want = assemble(split_lines(text), [None] * len(split_lines(text)))
    got = clean(text)
    if got != want:
        return f"document example gave\n{got!r}\nexpected\n{want!r}"
    return None
