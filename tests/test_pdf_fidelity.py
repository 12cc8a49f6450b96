"""The PDF prints what the source prints, as it prints it: Chapters 6 and 7 and Appendix E of the
April 2024 draft, word for word and sign for sign ("&", colons, "6.1.", the diagram's key and the
includes-lists), read in the order of the PDF's structure."""

import difflib
import re

import pytest

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
    ("Appendix E: Kent CSA Priorities and Cross-Cutting Themes", "Contact", "Kent Fire & Rescue Service"),
])
def test_the_chapter_prints_the_source_text(printed, heading, until, source_until):
    source = sources.between(sources.draft_2024(), f"\n{heading}\n", source_until)
    ours, theirs = normalised(printed_section(printed, heading, until)), normalised(f"{heading} {source}")
    assert difflib.SequenceMatcher(None, ours, theirs, autojunk=False).ratio() == 1.0, (
        [op for op in difflib.SequenceMatcher(None, ours, theirs, autojunk=False).get_opcodes() if op[0] != "equal"][:5]
    )
