"""Pages as a designer would set them: none left nearly empty except where a chapter ends, no list
item or table row cut alone from its list, and, when the agreement asks for it, each chapter on a
right-hand page with "This page is intentionally blank" where one is left empty."""

import io

import pypdf
import pytest

from agreements.models import Agreement, Version
from documents.pdf import document_html, lay_out, write_pdf

from .pdf_structure import without

pytestmark = pytest.mark.django_db

MM = 72 / 25.4
TOP, BOTTOM = 842 - 24 * MM, 22 * MM  # the page's content area (print.css's @page margins)


def body_pages(content: bytes) -> pypdf.PdfReader:
    """The PDF without its artifacts (running header and footer, watermark): the body's text alone."""
    return without(content, ("/Artifact",))


def filled(page: pypdf.PageObject) -> float:
    """How far down the content area the page's lowest line of text reaches, 0 to 1."""
    baselines = []

    def visit(text, cm, tm, font, size):
        if text.strip():
            baselines.append(pypdf.mult(tm, cm)[5])

    page.extract_text(visitor_text=visit)
    return (TOP - min(baselines)) / (TOP - BOTTOM) if baselines else 0.0


def chapter_starts(reader: pypdf.PdfReader) -> set[int]:
    return {reader.get_destination_page_number(item) for item in reader.outline if not isinstance(item, list)}


def test_no_page_is_less_than_40_percent_filled_unless_it_ends_a_chapter(rendered_draft):
    reader = body_pages(rendered_draft["pdf"])
    starts = chapter_starts(reader)
    last = len(reader.pages) - 1
    thin = [
        (number + 1, round(filled(page), 2)) for number, page in enumerate(reader.pages)
        if number + 1 not in starts and number != last and filled(page) < 0.4
    ]
    assert thin == []


def test_no_list_item_or_table_row_is_cut_alone_from_its_list(rendered_draft):
    items: dict[int, list[int]] = {}  # a list's or table body's id: how many of its items each page holds
    for page in rendered_draft["pages"].pages:
        for box in page._page_box.descendants():
            if box.element is not None and box.element_tag in ("ul", "ol", "tbody") and hasattr(box, "children"):
                kids = {id(kid.element) for kid in box.children if kid.element_tag in ("li", "tr")}
                if kids:
                    items.setdefault(id(box.element), []).append(len(kids))
    cut = [counts for counts in items.values() if len(counts) > 1 and min(counts) < 2]
    assert cut == []


def test_chapters_start_on_a_right_hand_page_when_the_agreement_asks():
    Agreement.objects.filter(slug="kent").update(chapters_on_right=True)
    content = write_pdf(lay_out(document_html(Version.objects.get(agreement__slug="kent", number="8.0"))))
    reader, body = pypdf.PdfReader(io.BytesIO(content)), body_pages(content)
    chapters = [
        reader.get_destination_page_number(item) + 1 for item in reader.outline
        if not isinstance(item, list) and item.title not in ("Version Control", "Contents")
    ]
    assert chapters and all(page % 2 == 1 for page in chapters), chapters
    blank = [number for number, page in enumerate(reader.pages, start=1)
             if "This page is intentionally blank" in " ".join(page.extract_text().split())]
    assert blank and all(number + 1 in chapters for number in blank)
    assert all(body.pages[number - 1].extract_text().strip() == "" for number in blank)


def test_the_diagram_keeps_with_its_caption(rendered_draft):
    """The diagram and its key lines are on one page (text before it may fill the page above: the
    test on fill shows it leaves no page nearly empty)."""
    pages_of = {"priorities-diagram": set(), "priorities-diagram-caption": set()}
    for number, page in enumerate(rendered_draft["pages"].pages):
        for box in page._page_box.descendants():
            if box.element is not None and box.element.get("id") in pages_of:
                pages_of[box.element.get("id")].add(number)
    assert len(pages_of["priorities-diagram"]) == 1
    assert pages_of["priorities-diagram-caption"] == pages_of["priorities-diagram"]
