"""A chapter's notes: numbered references in the text and the numbered notes after the chapter, in
the page and in the PDF, carried forward by a refresh and by export and import."""

import io

import pypdf
import pytest

from documents.diff import compare
from documents.data import build_document
from agreements.footnotes import note_numbers
from agreements.interchange import edition_to_dict, load_edition
from agreements.models import Agreement, Footnote
from documents.pdf import render_pdf
from agreements.refresh import start_next_refresh

from .conftest import mark_published


@pytest.fixture
def noted(draft):
    """Appendix B of 8.0 with three notes, referred to out of the order they were written in."""
    chapter = draft.chapters.get(key="appendix-b")
    ons = Footnote.objects.create(chapter=chapter, key="note-ons", html="Office for National Statistics, 2024.")
    police = Footnote.objects.create(chapter=chapter, key="note-police", html="<em>Kent Police</em> crime data.")
    Footnote.objects.create(chapter=chapter, key="note-unused", html="A note nothing refers to yet.")
    paragraph = chapter.paragraphs.first()
    paragraph.html = f"Recorded crime rose{police.reference} while surveys fell{ons.reference}."
    paragraph.save()
    return draft


def test_notes_are_numbered_by_first_reference_then_the_rest_in_order():
    assert note_numbers(["a", "b", "c"], ["x[^c] y[^a]", "z[^c] [^missing]"]) == {"c": 1, "a": 2, "b": 3}
    assert note_numbers(["Ref_2", "ref-1"], ["x[^ref-1] y[^Ref_2]"]) == {"ref-1": 1, "Ref_2": 2}  # any slug


def test_the_document_numbers_references_and_lists_the_notes(noted):
    section = next(s for s in build_document(noted).sections if s.key == "appendix-b")
    assert [(n.number, n.html, n.referred) for n in section.notes] == [
        (1, "<p><em>Kent Police</em> crime data.</p>", True),
        (2, "<p>Office for National Statistics, 2024.</p>", True),
        (3, "<p>A note nothing refers to yet.</p>", False),
    ]
    text = (section.before + section.after)[0]
    assert text.text == "Recorded crime rose[1] while surveys fell[2]."


def test_an_unknown_reference_shows_as_written(draft):
    paragraph = draft.chapters.get(key="appendix-b").paragraphs.first()
    paragraph.html = "See the source[^note-gone]."
    paragraph.save()
    section = next(s for s in build_document(draft).sections if s.key == "appendix-b")
    assert "See the source[^note-gone]." in section.before[0].html


def test_the_pdf_prints_superscript_numbers_and_the_notes(noted):
    reader = pypdf.PdfReader(io.BytesIO(render_pdf(noted)))
    page = next(p for p in reader.pages if "Recorded crime rose" in p.extract_text())
    runs = []  # (text, font size, top): y grows downwards in WeasyPrint's text matrix

    def visit(text, cm, tm, font, size):
        if text.strip():
            runs.append((text.strip(), size, tm[5]))

    page.extract_text(visitor_text=visit)
    body = next(r for r in runs if r[0].startswith("Recorded crime rose"))
    for number in ("1", "2"):
        reference = next(r for r in runs if r[0] == number)
        assert reference[1] < body[1] and reference[2] < body[2], f"reference {number} is not superscript"
    text = " ".join(page.extract_text().split())
    assert "Notes" in text
    police = text.index("Kent Police crime data.")
    ons = text.index("Office for National Statistics, 2024.")
    unused = text.index("A note nothing refers to yet.")
    assert police < ons < unused
    markers = [r[0] for r in runs if r[0] in ("1.", "2.", "3.")]
    assert markers == ["1.", "2.", "3."]


def test_a_refresh_carries_the_notes_forward(kent, noted, kcst):
    mark_published(noted)
    new = start_next_refresh(kent, by=kcst)
    notes = Footnote.objects.filter(chapter__version=new, chapter__key="appendix-b")
    assert [(n.key, n.html) for n in notes] == [
        ("note-ons", "Office for National Statistics, 2024."),
        ("note-police", "<em>Kent Police</em> crime data."),
        ("note-unused", "A note nothing refers to yet."),
    ]
    section = next(s for s in build_document(new).sections if s.key == "appendix-b")
    assert [n.number for n in section.notes] == [1, 2, 3]


def test_export_then_import_keeps_the_notes(noted):
    data = edition_to_dict(noted)
    chapter = next(c for c in data["chapters"] if c["key"] == "appendix-b")
    assert [n["key"] for n in chapter["notes"]] == ["note-ons", "note-police", "note-unused"]
    other = Agreement.objects.create(slug="elsewhere", name="Elsewhere CSA", area="Elsewhere")
    copy = load_edition(other, data)
    original = next(s for s in build_document(noted).sections if s.key == "appendix-b")
    restored = next(s for s in build_document(copy).sections if s.key == "appendix-b")
    assert [(n.number, n.key, n.html) for n in restored.notes] == [(n.number, n.key, n.html) for n in original.notes]
    assert restored.before[0].html == original.before[0].html


def test_the_review_shows_a_note_added_and_one_reworded(kent, noted, kcst):
    mark_published(noted)
    new = start_next_refresh(kent, by=kcst)
    chapter = new.chapters.get(key="appendix-b")
    reworded = chapter.footnotes.get(key="note-ons")
    reworded.html = "Office for National Statistics, March 2024."
    reworded.save()
    Footnote.objects.create(chapter=chapter, key="note-new", html="A new source.")
    changes = [(c.what, c.kind, c.key, c.new) for c in compare(noted, new).changes]
    assert changes == [
        ("note", "changed", "note-ons", "Office for National Statistics, March 2024."),
        ("note", "added", "note-new", "A new source."),
    ]
