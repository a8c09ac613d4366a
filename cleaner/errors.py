"""Domain exceptions. The library raises these; the CLI turns them into one
line (``cleaner: error: ...``) and an exit code."""

from __future__ import annotations

#: Exit code for a command line that cannot be run as given.
EXIT_USAGE = 2
#: Exit code for input data or rule packs that cannot be used.
EXIT_DATA = 3
#: Exit code for a run stopped by Ctrl-C (128 + SIGINT).
EXIT_INTERRUPTED = 130


class CleanerError(Exception):
    """Base class of every error the cleaner raises on purpose."""

    exit_code = EXIT_DATA


class UsageError(CleanerError):
    """The command or configuration asks for something impossible."""

    exit_code = EXIT_USAGE


class RulePackError(CleanerError):
    """A rule pack is invalid. The message names the file and the rule id."""

    exit_code = EXIT_DATA


class InputError(CleanerError):
    """An input file or record cannot be read."""

    exit_code = EXIT_DATA


class ReplayError(CleanerError):
    """A list of removals does not fit the text it is applied to."""

    exit_code = EXIT_DATA


class Interrupted(CleanerError):
    """The run was stopped (Ctrl-C); the message says what was kept."""

    exit_code = EXIT_INTERRUPTED
