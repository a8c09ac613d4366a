"""cleaner: turn scraped web text into a clean corpus, explaining every removal.

>>> from cleaner import clean_text
>>> result = clean_text("Share this article\\nThe council voted to close the bridge for repairs on Monday.")
>>> result.text
'The council voted to close the bridge for repairs on Monday.'
>>> [(r.line, r.rule) for r in result.removals]
[(1, 'SHARE001')]
"""

from cleaner.clean import Cleaner, apply_removals, clean_text
from cleaner.config import Config
from cleaner.doc import CleanResult, Doc, Removal
from cleaner.errors import CleanerError, InputError, RulePackError, UsageError

__all__ = [
    "CleanResult",
    "Cleaner",
    "CleanerError",
    "Config",
    "Doc",
    "InputError",
    "Removal",
    "RulePackError",
    "UsageError",
    "apply_removals",
    "clean_text",
]
__version__ = "0.1.0"
