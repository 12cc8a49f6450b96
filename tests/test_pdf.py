"""The PDF, read back: its text, metadata, bookmarks, DRAFT marks and layout.

The draft (8.0) is laid out once for the whole session (conftest's rendered_draft), through the same
two steps render_pdf takes, keeping WeasyPrint's pages to measure; the published 1.0 through the download.
"""

import io
import re

import pikepdf
import pypdf
import pytest
from django.test import Client
from weasyprint.formatting_structure import boxes

from documents.pdf import BASE_URL, StaticFileFetcher

from . import sources

# The renders happen once, in module fixtures; the mark makes pytest-django create the database.
pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def draft_pdf(rendered_draft) -> pypdf.PdfReader:
    return pypdf.PdfReader(io.BytesIO(rendered_draft["pdf"]))


@pytest.fixture(scope="module")
def published_download(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        return Client().get("/kent/1.0/pdf/")


@pytest.fixture(scope="module")
def published_pdf(published_download) -> pypdf.PdfReader:
    return pypdf.PdfReader(io.BytesIO(b"".join(published_download.streaming_content)))


def flat(text: str) -> str:
    return " ".join(text.split())


def pages_text(reader: pypdf.PdfReader) -> list[str]:
    return [flat(page.extract_text()) for page in reader.pages]


def section_text(reader: pypdf.PdfReader, heading: str, until: str) -> str:
    """The text of the pages from the bookmark `heading` up to the page of the bookmark `until`."""
    pages = {
        item.title: reader.get_destination_page_number(item)
        for item in reader.outline if not isinstance(item, list)
    }
    return " ".join(pages_text(reader)[pages[heading]:pages[until]])


def test_weasyprint_reads_static_files_from_disk_and_nothing_else():
    fetcher = StaticFileFetcher()
    stylesheet = fetcher.fetch(f"{BASE_URL}static/css/print.css")
    assert stylesheet.read().startswith(b"/* The edition on paper") and stylesheet.content_type == "text/css"
    for url in (
        "https://example.org/static/css/print.css",
        "http://127.0.0.1:8000/static/css/print.css",
        f"{BASE_URL}admin/",
        f"{BASE_URL}static/../csa_site/settings.py",
        "file:///etc/passwd",
    ):
        with pytest.raises(ValueError):
            fetcher.fetch(url)


def test_weasyprint_reports_no_problem(rendered_draft):
    assert [r.getMessage() for r in rendered_draft["log"]] == []  # not even a warning


def test_it_is_an_a4_pdf(draft_pdf):
    box = draft_pdf.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)
    assert len(draft_pdf.pages) > 20


def test_the_version_control_rows_are_1_0_to_8_0(draft_pdf):
    text = section_text(draft_pdf, "Version Control", "Contents")
    rows = sources.version_control_rows()
    assert list(rows) == [f"{n}.0" for n in range(1, 9)]
    starts = []
    for number, (month_year, *changes) in rows.items():
        match = re.search(rf"\b{re.escape(number)} {month_year} ", text)
        assert match, number
        starts.append(match.start())
        assert sources.words(text[match.end():])[:len(changes)] == changes, number
    assert starts == sorted(starts)


def test_the_leads_table_is_printed(draft_pdf):
    text = section_text(draft_pdf, "7. Leads", "8. Links to Plans")
    assert "Priority Lead" in text
    for lead in sources.leads_table().values():
        assert flat(lead) in text
    assert "Safeguarding Vulnerable People TBC" in text


def test_the_appendix_a_counts_are_printed_in_descending_order(draft_pdf):
    text = section_text(draft_pdf, "Appendix A: Strategic Assessments (2023-24)", "Appendix B: Crime Data Summary")
    assert "Please note the details below are draft and may be subject to change." in text
    positions = []
    for name, count in sources.appendix_a():
        positions.append(text.index(f"{name} {count}"))
    assert positions == sorted(positions)
    assert "Other focus areas identified include: food and fuel / cost of living crisis" in text


def test_the_appendix_e_lists_are_printed(draft_pdf):
    text = section_text(draft_pdf, "Appendix E: Kent CSA Priorities and Cross-Cutting Themes", "Contact")
    for heading, lines in sources.appendix_e().items():
        for line in lines:
            line = re.sub(r"</?i>", "", line)
            assert flat(line) in text, (heading, line)
    assert "Kent CSA Priorities" in text and "Kent CSA Cross-Cutting Themes" in text
    assert "Making Kent Safer (2022 – 2025) – Kent PCC's Priorities:" in text


def test_the_diagram_is_drawn_from_the_data(draft_pdf):
    text = section_text(draft_pdf, "6. County Priorities", "7. Leads")
    assert "Kent CSA priorities" in text and "Cross-cutting themes, addressed within every priority" in text
    assert "Kent PCC's priorities from Making Kent Safer 2022-2025 (grey)" in text
    assert "Safeguarding Vulnerable People includes: Child Sexual Exploitation" in text


def test_the_metadata_give_the_title_and_language(rendered_draft):
    with pikepdf.open(io.BytesIO(rendered_draft["pdf"])) as pdf:
        assert str(pdf.docinfo["/Title"]) == "Kent Community Safety Agreement 8.0, April 2024 (draft)"
        assert str(pdf.Root.Lang) == "en-GB"
        assert pdf.Root.MarkInfo.Marked is True
        assert "/StructTreeRoot" in pdf.Root
        assert bool(pdf.Root.ViewerPreferences.DisplayDocTitle)
        with pdf.open_metadata() as xmp:
            assert xmp["pdfuaid:part"] == "1"


def structure_tags(pdf: pikepdf.Pdf) -> set[str]:
    found, stack, seen = set(), [pdf.Root.StructTreeRoot], set()
    while stack:
        node = stack.pop()
        if isinstance(node, pikepdf.Array):
            stack.extend(node)
            continue
        if not isinstance(node, pikepdf.Dictionary) or node.objgen in seen:
            continue
        if node.objgen != (0, 0):
            seen.add(node.objgen)
        if "/S" in node:
            found.add(str(node.S))
        if "/K" in node:
            stack.append(node.K)
    return found


def test_headings_and_tables_are_tagged(rendered_draft):
    with pikepdf.open(io.BytesIO(rendered_draft["pdf"])) as pdf:
        tags = structure_tags(pdf)
    assert {"/H1", "/H2", "/H3", "/P", "/L", "/LI", "/Table", "/TH", "/TD", "/Figure", "/Caption"} <= tags


def outline_titles(reader: pypdf.PdfReader) -> list[str]:
    return [item.title for item in reader.outline if not isinstance(item, list)]


def test_every_chapter_and_appendix_has_a_bookmark(draft_pdf, rendered_draft):
    sections = [s.heading for s in rendered_draft["document"].sections]
    assert outline_titles(draft_pdf) == ["Version Control", "Contents", *sections]
    assert "Appendix E: Kent CSA Priorities and Cross-Cutting Themes" in sections


def test_the_contents_give_each_chapters_page(draft_pdf):
    contents = section_text(draft_pdf, "Contents", "Foreword")
    for item in draft_pdf.outline:
        if not isinstance(item, list) and item.title not in ("Version Control", "Contents", "Contact"):
            page = draft_pdf.get_destination_page_number(item) + 1
            assert re.search(rf"{re.escape(item.title)} ?\.+ ?{page}\b", contents), item.title


def test_every_page_of_the_draft_says_draft(draft_pdf):
    for number, text in enumerate(pages_text(draft_pdf), start=1):
        # The watermark, painted first as the page background; then the running header, or on
        # the cover the word in large type.
        assert text.startswith("DRAFT "), number
        assert text.count("DRAFT") >= 2, number


def test_no_page_of_a_published_edition_says_draft(published_download, published_pdf):
    assert published_download.status_code == 200
    assert published_download["Content-Disposition"] == 'attachment; filename="kent-csa-1.0.pdf"'
    for number, text in enumerate(pages_text(published_pdf), start=1):
        assert "DRAFT" not in text, number
    assert outline_titles(published_pdf)[2:4] == ["Foreword", "1. Introduction"]


def content_box(page):
    html = page._page_box.children[0]
    return html.content_box_x(), html.content_box_x() + html.width


def test_no_table_or_figure_runs_past_the_margins(rendered_draft):
    for number, page in enumerate(rendered_draft["pages"].pages, start=1):
        left, right = content_box(page)
        for box in page._page_box.children[0].descendants():
            if getattr(box, "element_tag", None) in ("table", "th", "td", "figure", "svg"):
                assert left - 0.5 <= box.position_x, (number, box.element_tag)
                assert box.position_x + box.margin_width() <= right + 0.5, (number, box.element_tag)


def test_no_heading_is_left_alone_at_the_foot_of_a_page(rendered_draft):
    for number, page in enumerate(rendered_draft["pages"].pages, start=1):
        html = page._page_box.children[0]
        lines = [box for box in html.descendants() if isinstance(box, boxes.LineBox)]
        for heading in html.descendants():
            if getattr(heading, "element_tag", None) in ("h2", "h3", "h4") and isinstance(heading, boxes.BlockBox):
                bottom = heading.position_y + heading.margin_height()
                assert any(line.position_y >= bottom - 1 for line in lines), (number, heading.element_tag)
