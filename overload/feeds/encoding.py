"""Which encoding a CSV file is in: a BOM, else UTF-8 if the whole file is, else GB18030.

Excel on Chinese Windows saves "CSV" in the ANSI code page, GBK, of which GB18030 is a superset;
"CSV UTF-8" adds a BOM. Text that is valid UTF-8 is almost never meant as GB18030 while GBK text
is almost never valid UTF-8, so strict UTF-8 is tried first. A file neither decodes as a whole
(a GBK file with one damaged row, say) takes the one under which fewer lines are bad; those rows
are quarantined. JSON Lines is always UTF-8 (feed contract): only CSV is detected.
"""

import codecs
from typing import BinaryIO

from overload import reasons
from overload.errors import FeedFileError
from overload.i18n import _

UTF8, GB18030 = "utf-8", "gb18030"
BOMS = ((codecs.BOM_UTF8, UTF8), (b"\x84\x31\x95\x33", GB18030))
_UTF16 = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
_CHUNK = 1 << 20


def named(name: str) -> str:
    """The codec's canonical name for an encoding given with `--encoding`, or FeedFileError.
    Only encodings that write ASCII as ASCII can be read line by line (not UTF-16)."""
    try:
        canonical = codecs.lookup(name).name
    except LookupError:
        raise FeedFileError(_("--encoding: unknown encoding {name}").format(name=repr(name))) from None
    probe = 'type,"a"\r\n'
    try:
        same = probe.encode(canonical) == probe.encode("ascii")
    except (UnicodeError, LookupError):
        same = False
    if not same:
        raise FeedFileError(_("--encoding: {encoding} cannot be read line by line; save the "
                              "file as CSV UTF-8 (or GB18030)").format(encoding=canonical))
    return UTF8 if canonical == "utf-8-sig" else canonical


def detect(handle: BinaryIO, label: str) -> tuple[str, int]:
    """(encoding, length of the BOM to skip) of the file open in `handle`, left at its start."""
    head = handle.read(4)
    handle.seek(0)
    for bom, encoding in BOMS:
        if head.startswith(bom):
            return encoding, len(bom)
    if head.startswith(_UTF16):
        raise FeedFileError(reasons.file_error(label, reasons.UTF16))
    for encoding in (UTF8, GB18030):
        if _decodes(handle, encoding):
            return encoding, 0
    return _fewer_bad_lines(handle), 0


def _decodes(handle: BinaryIO, encoding: str) -> bool:
    """Whether the whole file decodes strictly, read in bounded chunks."""
    decoder = codecs.getincrementaldecoder(encoding)()
    try:
        while chunk := handle.read(_CHUNK):
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
        return True
    except UnicodeDecodeError:
        return False
    finally:
        handle.seek(0)


def _fewer_bad_lines(handle: BinaryIO) -> str:
    bad = {UTF8: 0, GB18030: 0}
    while line := handle.readline(_CHUNK):
        if line.isascii():
            continue
        for encoding in bad:
            try:
                line.decode(encoding)
            except UnicodeDecodeError:
                bad[encoding] += 1
    handle.seek(0)
    return GB18030 if bad[GB18030] < bad[UTF8] else UTF8
