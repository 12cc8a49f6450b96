"""Cross-references as data: the text refers to a part by its key ([>diagram], [>leads]); the PDF
prints the page that part starts on, the web page links to it; KCST's editor offers them."""

import io
import re

import pikepdf
import pypdf
import pytest
from django.urls import reverse

from documents.cross_references import link_cross_references, targets
from documents.data import build_document
from documents.pdf import render_pdf
from agreements.models import Paragraph, Version

from .pdf_structure import reading_text

pytestmark = pytest.mark.django_db


def cross_references(content: bytes) -> list[tuple[int, str, int]]:
    """(page the reference is on, what it prints, page its target starts on) for each one."""
    reader = pypdf.PdfReader(io.BytesIO(content))
    destinations = {name: reader.get_destination_page_number(dest) for name, dest in reader.named_destinations.items()}
    found = []
    with pikepdf.open(io.BytesIO(content)) as pdf:
        for number, page in enumerate(pdf.pages):
            for annotation in page.obj.get("/Annots", []):
                description = str(annotation.get("/Contents", ""))
                if ", page " in description:
                    printed = description.rsplit(", page ", 1)[1]
                    found.append((number, printed, destinations[str(annotation.Dest)]))
    return found


def test_every_cross_reference_prints_the_page_its_target_starts_on(rendered_draft):
    content = rendered_draft["pdf"]
    found = set(cross_references(content))  # a link may take more than one annotation
    assert len(found) == 2  # Appendix D's and Appendix E's, both to the diagram
    texts = [" ".join(page.extract_text().split()) for page in pypdf.PdfReader(io.BytesIO(content)).pages]
    with pikepdf.open(io.BytesIO(content)) as pdf:
        figure_page = next(
            pdf.pages.index(pikepdf.Page(element.Pg))
            for element in _elements(pdf.Root.StructTreeRoot) if element.get("/S") == "/Figure"
        )
    for page, printed, target in found:
        assert printed == str(target + 1) == str(figure_page + 1)
    assert re.search(rf"in the diagram on p\.{figure_page + 1} of the Community Safety Agreement", " ".join(texts))
    assert re.search(rf"As highlighted on page {figure_page + 1}, Appendix E", " ".join(texts))
    assert "p.20" not in " ".join(texts) and "page 22" not in " ".join(texts)


def _elements(node):
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, pikepdf.Array):
            stack.extend(item)
        elif isinstance(item, pikepdf.Dictionary) and "/K" in item:
            yield item
            stack.append(item.K)


def seen(html: str) -> str:
    """The page's words as a sighted reader sees them: without what only the PDF prints or only a
    screen reader hears."""
    html = re.sub(r'<span class="(?:print-only|visually-hidden)">[^<]*</span>', "", html)
    return " ".join(re.sub(r"<[^>]+>", "", html).split())


def test_the_web_page_links_the_reference_to_its_target(client, kcst, draft):
    client.force_login(kcst)
    html = client.get(f"/kent/{draft.number}/").content.decode()
    assert html.count('<a class="cross-reference" href="#priorities-diagram"') == 2
    assert '<figure class="diagram" id="priorities-diagram"' in html
    assert 'As highlighted <span class="print-only">on page </span><a class="cross-reference" href="#priorities-diagram"' in html


def test_the_web_page_says_where_a_page_reference_points_not_p_and_a_link(client, kcst, draft):
    """A web page has no page numbers: "on p.[>diagram]" reads "above" (or "below") there, as a link
    that names the diagram to a screen reader; the PDF keeps "on p." and the number."""
    Paragraph(html="<p>The priorities are drawn in the diagram on page [>diagram].</p>").add_to(
        draft.chapters.get(key="introduction"))
    client.force_login(kcst)
    html = client.get(f"/kent/{draft.number}/").content.decode()
    words = seen(html)
    assert "included in the diagram above of the Community Safety Agreement" in words
    assert "As highlighted above, Appendix E has been included" in words
    assert "The priorities are drawn in the diagram below." in words
    assert not re.search(r"\b(p\.|page)\s*(<[^>]+>\s*)*<a class=\"cross-reference\"", re.sub(
        r'<span class="print-only">[^<]*</span>', "", html))
    assert '<span class="visually-hidden"> (the priorities diagram)</span>' in html


def test_an_unknown_reference_stays_as_written(kent):
    document = build_document(Version.objects.get(agreement__slug="kent", number="8.0"))
    known = targets(document)
    assert {"diagram", "leads", "appendix-e"} <= set(known)
    assert link_cross_references("<p>See [>no-such-part].</p>", known) == "<p>See [>no-such-part].</p>"
    assert 'href="#chapter-leads"' in link_cross_references("<p>See [>leads].</p>", known)


def test_the_editor_offers_the_references(client, kcst, draft):
    client.force_login(kcst)
    paragraph = Paragraph.objects.filter(chapter__version=draft, chapter__key="plans").first()
    response = client.get(reverse("edit_paragraph", args=["kent", draft.number, paragraph.pk]))
    html = response.content.decode()
    assert 'data-insert-reference="[&gt;diagram]"' in html
    assert 'data-insert-reference="[&gt;appendix-e]"' in html
    assert 'data-insert-reference="[&gt;table-leads]"' in html
    assert 'data-insert-reference="[&gt;version-control-table]"' in html


def test_the_editor_offers_each_numbered_paragraph_by_its_printed_number(client, kcst, draft):
    numbered = Paragraph.objects.filter(chapter__version=draft, chapter__key="introduction", style="numbered").first()
    unnumbered = Paragraph(html="<p>A quotation, printed without a number.</p>", style="plain")
    unnumbered.add_to(numbered.chapter)
    client.force_login(kcst)
    html = client.get(reverse("edit_paragraph", args=["kent", draft.number, numbered.pk])).content.decode()
    assert f'<li>paragraph {numbered.printed_number()} <code>[&gt;{numbered.key}]</code>' in html
    assert f"[&gt;{unnumbered.key}]" not in html
    # The reference written in the text links to that paragraph on the page.
    page = link_cross_references(f"<p>See [>{numbered.key}].</p>", targets(build_document(draft)))
    assert f'href="#paragraph-{numbered.printed_number().replace(".", "-")}"' in page


def starts(reading: list[str], words: str) -> int:
    """The first page (1-based) whose text, read without artifacts, holds these words."""
    return next(number for number, text in enumerate(reading, start=1) if words in text)


def test_a_reference_to_a_table_prints_the_page_the_table_starts_on(draft):
    """KCST refer to the leads table, the version-control table and a table of their own; the PDF
    prints the page each starts on, as pypdf reads it."""
    Paragraph(html=(
        "<p>The leads are listed in the table on page [>table-leads]; every version is in the table on "
        "page [>version-control-table].</p>"
    )).add_to(draft.chapters.get(key="introduction"))
    # Its own words run onto the next page, so the table starts a page after the paragraph does.
    own = Paragraph(html="<p>Partners meet to agree the plan." + " They meet to agree the plan." * 250 + "</p>"
                    "<table><tr><th>Partner meeting</th></tr><tr><td>Every quarter</td></tr></table>")
    own.add_to(draft.chapters.get(key="governance"))
    Paragraph(html=f"<p>Meetings are set out in the table on page [>table-{own.key}].</p>").add_to(
        draft.chapters.get(key="introduction"))
    reading = reading_text(render_pdf(draft))
    text = " ".join(reading)
    leads, versions = re.search(
        r"The leads are listed in the table on page (\d+); every version is in the table on page (\d+)\.", text
    ).groups()
    meetings = re.search(r"Meetings are set out in the table on page (\d+)\.", text).group(1)
    # A table's head is read once, where the table starts: a head repeated on later pages is an artifact.
    assert int(leads) == starts(reading, "Priority Lead Domestic Abuse")
    assert int(versions) == starts(reading, "Version Date Changes 1.0")
    assert int(meetings) == starts(reading, "Partner meeting Every quarter") > starts(reading, "Partners meet to agree")
