"""A KCST officer sets up a new agreement only through screens, gives it chapters that no Kent
fixture has (Purpose, Signatories as a list), takes it through sign-off and downloads its PDF."""

import io

import pypdf
import pytest

from agreements.models import Version

from .conftest import assert_accessible, make_user, sign_in

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


def write_paragraph(page, chapter_link: str, text: str) -> None:
    page.get_by_role("link", name=f"Change {chapter_link}", exact=True).click()
    add_row(page, "Paragraph", "paragraphs", {"html": text})
    submit(page, "Save")


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
    add_row(page, "Chapter", "chapters", {"order": "0", "title": "Foreword", "key": "foreword"})
    add_row(page, "Chapter", "chapters", {"order": "1", "label": "1", "title": "Purpose of the Agreement"})
    add_row(page, "Chapter", "chapters", {"order": "2", "label": "2", "title": "Signatories",
                                          "generated": "Signatories"})
    add_row(page, "Signatory", "signatories", {"order": "1", "text": "Chief Constable, Kent Police"})
    add_row(page, "Signatory", "signatories", {"order": "0", "text": "Leader, Kent County Council"})
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    assert_accessible(page, preload=False)
    submit(page, "Save and continue editing")
    assert page.get_by_text("was changed successfully").is_visible()

    write_paragraph(page, "Foreword", "Community safety is everyone's business.")
    page.goto(version_page)
    write_paragraph(page, "1. Purpose of the Agreement", "This agreement sets the county's priorities.")
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
    text = " ".join(" ".join(p.extract_text().split()) for p in pypdf.PdfReader(io.BytesIO(pdf.body())).pages)
    assert text.index("Purpose of the Agreement") < text.rindex("Signatories")
    assert text.index("Leader, Kent County Council") < text.index("Chief Constable, Kent Police")
    assert "This agreement sets the county's priorities." in text
    assert version.transitions.get(to_status="agreed").minute == "RESOLVED: agreed"
