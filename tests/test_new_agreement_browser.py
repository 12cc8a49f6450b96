"""A KCST officer sets up a new agreement only through screens, gives it chapters that no Kent
fixture has (Purpose, Signatories as a list, an appendix with a table and notes), writes its text
with the editor, takes it through sign-off and downloads its PDF."""

import io

import pypdf
import pytest
from playwright.sync_api import expect

from agreements.models import Version

from .conftest import assert_accessible, make_user, sign_in
from .editor_steps import insert_table, start_typing

pytestmark = pytest.mark.django_db(transaction=True)


def submit(page, name: str) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name=name, exact=True).click()


def add_row(page, inline: str, prefix: str, values: dict) -> None:
    """Click the inline's "Add another" and fill the new row, found by its place in the table."""
    page.get_by_role("button", name=f"Add another {inline}").click()
    row = page.locator(f"#{prefix}-group tr.dynamic-{prefix}").last
    for field, value in values.items():
        cell = row.locator(f"td.field-{field}")
        if cell.locator("select").count():
            cell.locator("select").select_option(label=value)
        else:
            cell.locator("input, textarea").fill(value)


def open_chapter_editor(page, document: str, chapter: str) -> None:
    page.goto(document)
    page.get_by_role("link", name=f"Edit the chapter {chapter}:").click()


def write_paragraph(page, document: str, chapter: str, text: str) -> None:
    """From the draft's page, a paragraph added at the end of the chapter with the editor."""
    open_chapter_editor(page, document, chapter)
    page.get_by_role("link", name="Add a paragraph at the end").click()
    start_typing(page)
    page.keyboard.type(text)
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("saved.")


NOTES = ("Kent Police, recorded crime 2010-11.", "Kent Police, detections 2010-11.", "Office for National Statistics, 2011.")


def write_appendix(page, document: str) -> None:
    """Appendix A: three notes, then a paragraph referring to each and a two-column table."""
    for note in NOTES:
        open_chapter_editor(page, document, "Appendix A: Crime by District")
        page.get_by_role("link", name="Add a note").click()
        page.get_by_role("textbox", name="Note").fill(note)
        page.get_by_role("button", name="Save the note").click()
        expect(page.get_by_role("status")).to_contain_text("Note saved.")
    page.get_by_role("link", name="Add a paragraph at the end").click()
    start_typing(page)
    for words, number in (("Crimes recorded", 1), (", detected", 2), (" and residents", 3)):
        page.keyboard.type(words)
        page.get_by_role("button", name=f"Insert the reference to note {number}").click()
    page.keyboard.type(" by district:")
    insert_table(page, ("District", "Crimes"), ("Ashford", "9,120"))
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("saved.")


def superscripts(pdf_page, line: str) -> list[str]:
    """The numbers printed smaller than, and above, the line of text starting with `line`."""
    runs = []  # (text, font size, top): y grows downwards in WeasyPrint's text matrix

    def visit(text, cm, tm, font, size):
        if text.strip():
            runs.append((text.strip(), size, tm[5]))

    pdf_page.extract_text(visitor_text=visit)
    body = next(r for r in runs if r[0].startswith(line))
    return [r[0] for r in runs if r[0].isdigit() and r[1] < body[1] and r[2] < body[2]]


def take_step(page, step: str, **fields) -> None:
    page.get_by_role("link", name=step).click()
    for label, value in fields.items():
        page.get_by_label(label).fill(value)
    submit(page, step)
    assert page.locator(".messagelist").count(), page.content()


def test_kcst_sets_up_an_agreement_through_screens_and_publishes_it(page, live_kent):
    kcst = make_user("kcst-new", "KCST staff", is_staff=True)
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, live_kent, kcst)
    page.goto(f"{live_kent.url}/admin/agreements/agreement/add/")
    page.get_by_label("Name of the new agreement").fill("Kent Community Safety Agreement 2011-14")
    page.get_by_label("County or area it covers").fill("Kent")
    page.get_by_label("Short name for addresses").fill("kent-2011")
    page.get_by_label("Effective year").fill("2011")
    submit(page, "Set up the edition")
    version_page = page.url

    add_row(page, "Change note", "change_notes", {"text": "First edition of the three-year agreement"})
    add_row(page, "Chapter", "chapters", {"order": "0", "title": "Foreword", "kind": "Foreword"})
    add_row(page, "Chapter", "chapters", {"order": "1", "label": "1", "title": "Purpose of the Agreement"})
    add_row(page, "Chapter", "chapters", {"order": "2", "label": "2", "title": "Signatories",
                                          "generated": "Signatories"})
    add_row(page, "Chapter", "chapters", {"order": "3", "label": "A", "title": "Crime by District"})
    add_row(page, "Signatory", "signatories", {"order": "1", "text": "Chief Constable, Kent Police"})
    add_row(page, "Signatory", "signatories", {"order": "0", "text": "Leader, Kent County Council"})
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    assert_accessible(page, preload=False)
    submit(page, "Save and continue editing")
    assert page.get_by_text("was changed successfully").is_visible()

    page.get_by_role("link", name="Read the document and edit its text").click()
    page.wait_for_url("**/kent-2011/1.0/")
    document = page.url
    write_paragraph(page, document, "Foreword", "Community safety is everyone's business.")
    write_paragraph(page, document, "1. Purpose of the Agreement", "This agreement sets the county's priorities.")
    write_appendix(page, document)
    page.goto(version_page)
    assert page.get_by_text("Done: The edition has a foreword").is_visible()

    take_step(page, "Send to the Working Group for review")
    take_step(page, "Send to the KCSP for consultation")
    take_step(page, "Record the KCSP's agreement", **{
        "Date of the KCSP meeting": "2011-03-10", "Minute reference or resolution": "RESOLVED: agreed"})
    take_step(page, "Publish")
    assert page.get_by_text("Version 1.0 is now Published.").is_visible()

    version = Version.objects.get(agreement__slug="kent-2011", number="1.0")
    pdf = page.request.get(f"{live_kent.url}/kent-2011/1.0/pdf/")
    assert pdf.status == 200
    pages = pypdf.PdfReader(io.BytesIO(pdf.body())).pages
    text = " ".join(" ".join(p.extract_text().split()) for p in pages)
    headings = ("Foreword", "1. Purpose of the Agreement", "2. Signatories", "Appendix A: Crime by District")
    at = [text.rindex(heading) for heading in headings]  # the last: the contents list names them too
    assert at == sorted(at), at
    assert text.index("Leader, Kent County Council") < text.index("Chief Constable, Kent Police")
    assert "This agreement sets the county's priorities." in text
    assert "District Crimes Ashford 9,120" in text
    appendix = next(p for p in pages if "Crimes recorded" in p.extract_text())
    assert superscripts(appendix, "Crimes recorded") == ["1", "2", "3"]
    notes = [text.index(note) for note in NOTES]
    assert notes == sorted(notes) and notes[0] > text.rindex("District Crimes Ashford 9,120")
    assert version.transitions.get(to_status="agreed").minute == "RESOLVED: agreed"
