"""The PDF prints what the source prints, as it prints it: Chapters 6 and 7 and Appendices C and E
of the April 2024 draft, word for word and sign for sign ("&", colons, "6.1.", the diagram's key
and the includes-lists), read in the order of the PDF's structure, and in italics where the source
has italics."""

import difflib
import io
import re

import pypdf

import pytest

from agreements.models import Agreement, Version
from documents.pdf import render_pdf

from . import sources
from .pdf_structure import reading_text

pytestmark = pytest.mark.django_db


def normalised(text: str) -> str:
    """Whitespace flattened; the source's markup (list dashes, *italics*, <i>) and the PDF's list
    bullets and line-end hyphen breaks ("cross- cutting") left out. A page number after "page" or
    "p." is a cross-reference's: ours is the true page (test_cross_references), not the source's."""
    text = re.sub(r"</?i>|\*", "", text)
    text = re.sub(r"\b(page |p\.)\d+", r"\1N", text)
    text = re.sub(r"(?m)^\s*- ", "", text).replace("•", " ")
    text = re.sub(r"(\w-)\s+(\w)", r"\1\2", text)
    return " ".join(text.split())


@pytest.fixture(scope="module")
def printed(rendered_draft) -> str:
    return " ".join(reading_text(rendered_draft["pdf"]))


def printed_section(printed: str, heading: str, until: str) -> str:
    start = printed.rindex(heading + " ")  # past the contents page's entry
    return printed[start:printed.index(until, start)]


@pytest.mark.parametrize("heading, until, source_until", [
    ("6. County Priorities", "7. Leads", "\n7. Leads\n"),
    ("7. Leads", "8. Links to Plans", "\n8. Links to Plans\n"),
    ("Appendix C: Horizon Scanning", "Appendix D: Police", "\nAppendix D: Police"),
    ("Appendix E: Kent CSA Priorities and Cross-Cutting Themes", "Contact", "Kent Fire & Rescue Service"),
])
def test_the_chapter_prints_the_source_text(printed, heading, until, source_until):
    source = sources.between(sources.draft_2024(), f"\n{heading}\n", source_until)
    ours, theirs = normalised(printed_section(printed, heading, until)), normalised(f"{heading} {source}")
    assert difflib.SequenceMatcher(None, ours, theirs, autojunk=False).ratio() == 1.0, (
        [op for op in difflib.SequenceMatcher(None, ours, theirs, autojunk=False).get_opcodes() if op[0] != "equal"][:5]
    )


# The source marks italics *thus* (bold is **thus**) or <i>thus</i>.
SOURCE_ITALICS = re.compile(r"(?<![*\w])\*([^*\n]+)\*(?!\*)|<i>(.+?)</i>")


def italic_text(content: bytes) -> str:
    """Everything the PDF draws in an italic face, without whitespace."""
    drawn = []

    def visit(text, cm, tm, font, size):
        if font and "Italic" in str(font.get("/BaseFont", "")):
            drawn.append(text)

    for page in pypdf.PdfReader(io.BytesIO(content)).pages:
        page.extract_text(visitor_text=visit)
    return "".join("".join(drawn).split())


def test_what_the_source_prints_in_italics_the_pdf_prints_in_italics(rendered_draft):
    source = sources.draft_2024()
    phrases = [italic or i for italic, i in SOURCE_ITALICS.findall(source)]
    assert "inc. statutory guidance on Domestic Abuse duties" in phrases
    printed = italic_text(rendered_draft["pdf"])
    assert [phrase for phrase in phrases if "".join(phrase.split()) not in printed] == []


def test_the_web_page_keeps_the_italics_and_the_colons(client, kent, kcst):
    html = client.get("/kent/1.0/").content.decode()
    assert "<h3>Political:-</h3>" in html
    assert "<h4>Recently enacted legislation has introduced a number of statutory duties and opportunities including:</h4>" in html
    client.force_login(kcst)
    html = client.get("/kent/8.0/").content.decode()
    assert "<h3>Political:</h3>" in html
    assert "<li>Domestic Abuse Act 2021; <em>inc. statutory guidance on Domestic Abuse duties</em></li>" in html


def test_paragraph_numbers_print_in_the_agreements_style(printed):
    """Kent's documents number "6.1."; an agreement set to "1.1" gets 6.1 with no dot."""
    assert "6.1. This section sets out the key priorities" in printed
    Agreement.objects.filter(slug="kent").update(paragraph_numbers=Agreement.ParagraphNumbers.PLAIN)
    plain = " ".join(reading_text(render_pdf(Version.objects.get(agreement__slug="kent", number="8.0"))))
    assert "6.1 This section sets out the key priorities" in plain
