"""One exception family, so the CLI can turn any of them into a one-line message and exit code."""


def first_line(error: BaseException) -> str:
    """The first line of an error's message (drivers append SQL and hints on further lines)."""
    lines = str(error).strip().splitlines()
    return lines[0] if lines else type(error).__name__


class OverloadError(Exception):
    """Base of every error the engine raises on purpose; the CLI prints it without a traceback."""

    exit_code = 2


class FeedFileError(OverloadError):
    """A feed file cannot be read at all (missing, not UTF-8, unknown extension)."""


class UnknownRulebookError(OverloadError):
    """The rulebook id asked for is not shipped in `rules/`."""


class RulebookError(OverloadError):
    """A rulebook is malformed, or durable-rules lost a posted fact."""


class UnknownSubjectError(OverloadError):
    """No event in the log mentions the subject asked about."""

    exit_code = 1


class StorageError(OverloadError):
    """The database cannot be opened or written."""


class RefusedError(OverloadError):
    """An operator action the law does not allow now (late objection, early repair, ...)."""

    exit_code = 1
