"""From the act's contexts to the files of its two folders, named as the contract says.

The act (publication.py) decides what is issued and builds one context per document; this module
turns them into `public` and `private` file maps for `output.write_output`. Every document passes
the required-part check on the way (templating.render_document, word.word_document).
"""

from pathlib import Path
from typing import Any

from overload.publish.output import file_part
from overload.publish.sheet import list_csv, list_json
from overload.publish.templating import render_document
from overload.publish.word import word_document
from overload.publish.xlsx import list_xlsx

PUBLIC_TITLES = {"announcement": "公示", "listing": "公告", "correction": "更正公告", "removal": "移出公告"}
PRIVATE_TITLES = {"notice": "告知书", "repair": "信用修复决定书"}


def public_files(list_context: dict[str, Any], documents: list[tuple[str, dict[str, Any]]],
                 changes_context: dict[str, Any] | None, templates: Path | None = None) -> dict[str, bytes]:
    """名单 in four formats, each 公示/公告/更正公告/移出公告 in HTML and Markdown, 变更说明.md.

    `documents` pairs a kind of PUBLIC_TITLES with its context; changes.json stays the act's own.
    """
    files = {
        "名单.html": render_document("list", "html", list_context, templates),
        "名单.md": render_document("list", "md", list_context, templates),
        "名单.csv": list_csv(list_context),
        "名单.json": list_json(list_context),
        "名单.xlsx": list_xlsx(list_context),
    }
    for kind, context in documents:
        stem = f"{PUBLIC_TITLES[kind]}-{file_part(context['document_no'] or '草稿')}"
        files[f"{stem}.html"] = render_document(kind, "html", context, templates)
        files[f"{stem}.md"] = render_document(kind, "md", context, templates)
    if changes_context is not None:
        files["变更说明.md"] = render_document("changes", "md", changes_context, templates)
    return files


def private_files(documents: list[tuple[str, dict[str, Any]]],
                  templates: Path | None = None) -> dict[str, bytes]:
    """Each 告知书 and 信用修复决定书 in HTML (to print) and Word (to edit and seal).

    A draft has no document number: its files are numbered by their order instead.
    """
    files: dict[str, bytes] = {}
    for order, (kind, context) in enumerate(documents, 1):
        stem = f"{PRIVATE_TITLES[kind]}-{file_part(context['document_no'] or f'草稿{order:04d}')}"
        files[f"{stem}.html"] = render_document(kind, "html", context, templates)
        files[f"{stem}.docx"] = word_document(kind, context, templates)
    return files
