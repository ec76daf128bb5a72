"""Office files as reproducible bytes: the same log and act give byte-identical .xlsx and .docx.

openpyxl and python-docx stamp each zip member, and openpyxl the document's "modified" property,
with the wall clock. The archive is rewritten here with one fixed member time and both document
dates set to the act's date, members kept in the order the libraries wrote them (the content
types first, as Office expects).
"""

import io
import re
import zipfile
from datetime import date

_FIXED = (1980, 1, 1, 0, 0, 0)
_STAMPS = re.compile(rb"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:\2>)")


def reproducible(data: bytes, on: date) -> bytes:
    """The same archive with fixed member times and the document dated `on`."""
    stamp = f"{on.isoformat()}T00:00:00Z".encode()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = _STAMPS.sub(lambda m: m.group(1) + stamp + m.group(3), content)
            member = zipfile.ZipInfo(info.filename, date_time=_FIXED)
            member.compress_type = zipfile.ZIP_DEFLATED
            member.external_attr = 0o644 << 16
            target.writestr(member, content)
    return out.getvalue()
