"""Names that came from outside (file names, a row's keys), made safe to print and to store.

A station chooses its file names and an exporter its keys: a newline in a name would forge a
line of the watcher's output, an ANSI escape would repaint the operator's terminal, a byte that
is not UTF-8 (a surrogate once decoded) cannot be stored by either database. Such characters are
written as escapes (`\\n`, `\\x1b`, `\\udcff`); every other character, Chinese included, is
kept as it is.
"""

import re

# C0 and C1 controls, DEL, line and paragraph separators, bidirectional overrides and isolates
# (they reorder what a terminal shows), and lone surrogates (undecodable bytes of a file name).
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def printable(text: str) -> str:
    """`text` with every control, reordering or undecodable character escaped."""
    if text.isprintable() and text.isascii():
        return text
    return _UNSAFE.sub(_escape, text)


def _escape(match: re.Match[str]) -> str:
    return repr(match.group())[1:-1]
