"""名单.html and a 公告 printed by headless Chromium: A4, few pages, the header on every page."""

import shutil
import subprocess
from pathlib import Path

import pytest

from overload.publish.templating import render_document
from tests import documents

CHROMIUM = next((shutil.which(n) for n in ("chromium", "chromium-browser", "google-chrome")
                 if shutil.which(n)), None)
PDFTOTEXT = shutil.which("pdftotext")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None or PDFTOTEXT is None,
    reason="needs headless Chromium and pdftotext (apt-get install chromium poppler-utils)")
A4_LANDSCAPE = (841.92, 594.96)


def print_pdf(html: bytes, folder: Path, name: str) -> Path:
    source, target = folder / f"{name}.html", folder / f"{name}.pdf"
    source.write_bytes(html)
    assert CHROMIUM is not None
    subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                    "--disable-background-networking", "--no-pdf-header-footer",
                    f"--user-data-dir={folder / 'profile'}", f"--print-to-pdf={target}", source.as_uri()],
                   check=True, capture_output=True, timeout=120)
    return target


def pages(pdf: Path) -> list[str]:
    """The text of each page (pdftotext separates pages with form feeds)."""
    assert PDFTOTEXT is not None
    text = subprocess.run([PDFTOTEXT, "-layout", str(pdf), "-"], check=True, capture_output=True,
                          text=True).stdout
    return [page for page in text.split("\f") if page.strip()]


def page_size(pdf: Path) -> tuple[float, float]:
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
    line = next(x for x in info.splitlines() if x.startswith("Page size"))
    width, _, height = line.split(":")[1].split()[:3]
    return float(width), float(height)


def test_a_twelve_subject_list_prints_on_at_most_two_a4_landscape_pages(tmp_path: Path) -> None:
    pdf = print_pdf(render_document("list", "html", documents.the_list(count=12)), tmp_path, "list12")
    printed = pages(pdf)
    assert len(printed) <= 2
    assert page_size(pdf) == A4_LANDSCAPE
    assert f"共 {len(printed)} 页" in printed[-1].replace("\u3000", " ")


def test_a_sixty_subject_list_repeats_its_header_and_numbers_every_page(tmp_path: Path) -> None:
    pdf = print_pdf(render_document("list", "html", documents.the_list(count=60)), tmp_path, "list60")
    printed = pages(pdf)
    assert 2 <= len(printed) <= 10  # not one page per two rows
    for number, page in enumerate(printed, 1):
        assert "认定依据" in page and "公布截止" in page, f"page {number} has no header row"
        assert f"第 {number} 页" in page


def test_a_listing_prints_at_a4_with_its_annex_header_on_every_annex_page(tmp_path: Path) -> None:
    pdf = print_pdf(render_document("listing", "html", documents.listing(count=40)), tmp_path, "listing")
    printed = pages(pdf)
    assert page_size(pdf) in (A4_LANDSCAPE, A4_LANDSCAPE[::-1])
    annex = [page for page in printed if "附件" in page or "批次" in page][1:]
    assert annex and all("认定依据" in page for page in annex)
    assert "（印章）" in printed[0]


def test_a_draft_prints_its_mark_on_every_page(tmp_path: Path) -> None:
    html = render_document("list", "html", documents.the_list(draft=True, count=40))
    pdf = print_pdf(html, tmp_path, "draft")
    for page in pages(pdf):
        assert "草稿" in page and "不得对外发布" in page
