"""The PDF's tags as a screen reader and a PDF/UA validator read them: header cells with their
scope, running headers and footers as artifacts, one element per paragraph, list and table
however many pages it crosses, links named by their words. Checked on every PDF we write."""

import io

import pdfua
import pikepdf
import pypdf
import pytest
from django.test import Client
from django.urls import reverse

from documents.pdf import PDF_OPTIONS, html_to_pdf

from .annual_review_cast import agreement, kcst_2017, review  # noqa: F401 (the fixtures)
from .pdf_structure import assert_tagged_for_pdf_ua, header_cell_faults, struct_elements, unheld_marked_content
from .test_monitoring_pdf import report_pdf  # noqa: F401 (the fixture)

pytestmark = pytest.mark.django_db


def page_texts(content: bytes) -> list[str]:
    return [" ".join(page.extract_text().split()) for page in pypdf.PdfReader(io.BytesIO(content)).pages]


def test_the_draft_edition_is_tagged_for_pdf_ua(rendered_draft):
    assert_tagged_for_pdf_ua(rendered_draft["pdf"], page_texts(rendered_draft["pdf"]))


def test_a_published_edition_as_downloaded_is_tagged_for_pdf_ua(django_db_blocker):
    with django_db_blocker.unblock():
        content = b"".join(Client().get("/kent/1.0/pdf/").streaming_content)
    assert_tagged_for_pdf_ua(content, page_texts(content))


def test_the_monitoring_report_is_tagged_for_pdf_ua(report_pdf):  # noqa: F811
    assert_tagged_for_pdf_ua(report_pdf, page_texts(report_pdf))


def rendered_elements(pages, tags: tuple[str, ...]) -> set[int]:
    """The HTML elements with these tags that the layout shows, on however many pages."""
    return {
        id(box.element)
        for page in pages.pages
        for box in page._page_box.descendants()
        if box.element is not None and box.element_tag in tags
    }


def test_an_element_crossing_a_page_break_is_one_structure_element(rendered_draft):
    with pikepdf.open(io.BytesIO(rendered_draft["pdf"])) as pdf:
        elements = list(struct_elements(pdf))
        tags = [str(element.S) for element in elements]
        rows_per_table = [
            sum(1 for part in struct_elements_under(table) if part.S == "/TR") for table in elements if table.S == "/Table"
        ]
    pages = rendered_draft["pages"]
    assert tags.count("/Table") == len(rendered_elements(pages, ("table",)))
    assert tags.count("/P") == len(rendered_elements(pages, ("p",)))
    assert tags.count("/L") == len(rendered_elements(pages, ("ul", "ol")))
    assert len(rendered_draft["document"].version_rows) + 1 in rows_per_table  # its head and 1.0 to 8.0


def struct_elements_under(element):
    for kid in element.K:
        if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
            yield kid
            yield from struct_elements_under(kid)


def test_a_link_is_described_by_its_words_not_its_target(rendered_draft):
    with pikepdf.open(io.BytesIO(rendered_draft["pdf"])) as pdf:
        contents_page = [str(a.Contents) for a in pdf.pages[4].obj.Annots]
    assert "Foreword" in contents_page and "1. Introduction" in contents_page
    assert not any(description.startswith("chapter-") for description in contents_page)


def test_weasyprint_alone_leaves_what_the_post_processing_mends(rendered_draft):
    """If WeasyPrint starts doing this itself, the post-processing in pdf_tags can go."""
    with pikepdf.open(io.BytesIO(rendered_draft["pages"].write_pdf(**PDF_OPTIONS))) as pdf:
        assert header_cell_faults(pdf) and unheld_marked_content(pdf)


def test_the_pdfua_checker_finds_nothing(rendered_draft, tmp_path):
    """pdfua checks a subset of PDF/UA-1's machine-checkable rules; it found WeasyPrint's headers
    without /Scope before pdf_tags."""
    path = tmp_path / "kent-8.0.pdf"
    path.write_bytes(rendered_draft["pdf"])
    report = pdfua.validate(str(path))
    assert [(f.rule_id, f.message) for f in report.findings] == []


def test_a_link_to_a_part_the_document_lacks_does_not_stop_the_pdf():
    """KCST may link to "#somewhere" that no longer exists: WeasyPrint drops that link (and logs it),
    and the links after it keep their own descriptions."""
    content = html_to_pdf(
        '<html lang="en"><head><title>Links</title></head><body><p><a href="#gone">Gone</a> and '
        '<a href="#here">the part that is here</a>.</p><h1 id="here">Here</h1></body></html>'
    )
    with pikepdf.open(io.BytesIO(content)) as pdf:
        assert [str(a.Contents) for a in pdf.pages[0].obj.Annots] == ["the part that is here"]


def pages_of(pdf: pikepdf.Pdf, element) -> list[int]:
    """The pages (1-based) an element's content is drawn on."""
    found, stack = set(), [element]
    while stack:
        node = stack.pop()
        if isinstance(node, pikepdf.Array):
            stack.extend(node)
        elif isinstance(node, pikepdf.Dictionary):
            if "/Pg" in node:
                found.add(pdf.pages.index(pikepdf.Page(node.Pg)) + 1)
            if "/K" in node:
                stack.append(node.K)
    return sorted(found)


def test_the_version_control_table_is_one_table_element_across_its_pages(rendered_draft):
    with pikepdf.open(io.BytesIO(rendered_draft["pdf"])) as pdf:
        version_table, *others = [element for element in struct_elements(pdf) if element.S == "/Table"]
        rows = sum(1 for part in struct_elements_under(version_table) if part.S == "/TR")
        spans = pages_of(pdf, version_table)
        after = min(pages_of(pdf, others[0]))
    assert rows == len(rendered_draft["document"].version_rows) + 1  # its head, then 1.0 to 8.0
    assert len(spans) > 1 and max(spans) < after


def test_the_annual_reviews_pdfs_are_tagged_for_pdf_ua(review, kcst_2017):  # noqa: F811
    """The review document and its report: the other PDFs the application writes."""
    client = Client()
    client.force_login(kcst_2017)
    for which in ("review_pdf", "report_pdf"):
        url = reverse(f"annual_review:{which}", args=[review.agreement.slug, review.cycle.label])
        content = client.get(url).content
        assert_tagged_for_pdf_ua(content, page_texts(content))
