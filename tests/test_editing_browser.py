"""KCST opens the 8.0 draft, clicks Edit beside a paragraph, rewrites it in the editor and saves."""

import pytest
from playwright.sync_api import expect

from agreements.models import Footnote, Paragraph, Version

from .conftest import assert_accessible, make_user, sign_in
from .editor_steps import insert_table, start_typing

pytestmark = pytest.mark.django_db(transaction=True)

# The `page` fixture fails a test on any Content-Security-Policy violation in the console: the
# editor runs under the policy (no inline script or style).


def fits_1280(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= 1280


def test_kcst_edits_a_paragraph_with_the_editor_and_lands_back_at_it(page, live_kent):
    kcst = make_user("kcst-editor", "KCST staff", is_staff=True)
    draft = Version.objects.get(agreement__slug="kent", number="8.0")
    target = Paragraph.objects.filter(chapter__version=draft, chapter__key="priorities").order_by("order")[1]
    Footnote.objects.create(chapter=target.chapter, key="note-source", html="Kent County Council, 2024.")
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, live_kent, kcst)

    page.goto(f"{live_kent.url}/kent/8.0/")
    page.get_by_role("link", name="Edit paragraph 6.2", exact=True).click()
    # The editor pages checked with axe-core and for width: this one (the editor itself) and,
    # below, the chapter page.
    editor = page.get_by_role("textbox", name="Text")
    expect(editor).to_be_visible()
    assert_accessible(page)
    assert fits_1280(page)

    editor.click()
    page.keyboard.press("Control+a")
    page.keyboard.type("Data from partner agencies is analysed")
    page.get_by_role("button", name="Insert the reference to note 1").click()
    expect(editor).to_be_focused()
    page.keyboard.type(" each year.")
    page.get_by_role("button", name="Preview").click()
    preview = page.locator(".preview")
    expect(preview).to_contain_text("6.2 Data from partner agencies is analysed1 each year.")
    page.get_by_role("button", name="Save", exact=True).click()

    page.wait_for_url(f"**/kent/8.0/#edit-paragraph-{target.pk}")
    expect(page.get_by_role("status")).to_have_text("Paragraph 6.2 saved.")
    paragraph = page.locator("#paragraph-6-2")
    expect(paragraph).to_contain_text("Data from partner agencies is analysed1 each year.")
    expect(paragraph.locator("sup.footnote-ref a")).to_have_text("1")
    expect(page.locator("#chapter-priorities-note-1")).to_have_text("Kent County Council, 2024.")
    assert page.evaluate("document.getElementById('paragraph-6-2').getBoundingClientRect().top < innerHeight")
    assert_accessible(page)  # the draft's page with KCST's Edit links
    assert fits_1280(page)

    page.get_by_role("link", name="Edit the chapter 6. County Priorities").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("6. County Priorities")
    assert_accessible(page)
    assert fits_1280(page)


def test_kcst_writes_a_table_with_header_cells_and_a_note(page, live_kent):
    kcst = make_user("kcst-tables", "KCST staff", is_staff=True)
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, live_kent, kcst)
    page.goto(f"{live_kent.url}/kent/8.0/edit/chapters/appendix-b/")
    page.get_by_role("link", name="Add a note").click()
    assert_accessible(page)
    assert fits_1280(page)
    page.get_by_role("textbox", name="Note").fill("Kent Police, recorded crime 2023-24.")
    page.get_by_role("button", name="Save the note").click()
    expect(page.get_by_role("status")).to_contain_text("Note saved.")

    page.get_by_role("link", name="Add a paragraph at the end").click()
    editor = page.get_by_role("textbox", name="Text")
    editor.click()
    page.keyboard.type("Recorded crime by district")
    page.get_by_role("button", name="Insert the reference to note 1").click()
    page.keyboard.type(":")
    insert_table(page, ("District", "Crimes"), ("Ashford", "9,120"))
    page.get_by_role("button", name="Save", exact=True).click()

    expect(page.get_by_role("status")).to_contain_text("saved.")
    appendix = page.locator("#chapter-appendix-b")
    expect(appendix.get_by_role("columnheader")).to_have_text(["District", "Crimes"])
    expect(appendix.get_by_role("cell")).to_have_text(["Ashford", "9,120"])
    expect(appendix.locator("sup.footnote-ref")).to_have_text("1")
    expect(appendix.locator(".footnotes-list li")).to_have_text(["Kent Police, recorded crime 2023-24."])

    page.goto(f"{live_kent.url}/kent/8.0/edit/chapters/appendix-b/")
    page.get_by_role("link", name="Delete paragraph 2").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Delete paragraph B.1?")
    assert_accessible(page)
    assert fits_1280(page)
    page.get_by_role("button", name="Delete the paragraph").click()
    expect(page.locator("#chapter-appendix-b").get_by_role("columnheader")).to_have_count(0)


def test_kcst_refers_to_a_table_and_the_page_links_to_it(page, live_kent):
    """The editor inserts a reference to the leads table; the web page words it without a page
    number ("set out below"), as a link that takes the reader to the table."""
    kcst = make_user("kcst-tables", "KCST staff", is_staff=True)
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, live_kent, kcst)
    page.goto(f"{live_kent.url}/kent/8.0/")
    page.get_by_role("link", name="Edit paragraph 6.2", exact=True).click()
    start_typing(page)
    page.keyboard.press("Control+a")
    page.keyboard.type("The leads are set out on page ")
    expect(page.get_by_role("textbox", name="Text")).to_have_text("The leads are set out on page")
    page.get_by_role("button", name="Insert the reference to the table in 7. Leads").click()
    page.keyboard.type(".")
    page.get_by_role("button", name="Save", exact=True).click()

    expect(page.get_by_role("status")).to_have_text("Paragraph 6.2 saved.")
    paragraph = page.locator("#paragraph-6-2")
    expect(paragraph).to_contain_text("The leads are set out below", use_inner_text=True)
    expect(paragraph).not_to_contain_text("page", use_inner_text=True)  # "on page" is the PDF's
    link = paragraph.get_by_role("link", name="below (the table in 7. Leads)")
    expect(link).to_be_visible()
    assert_accessible(page)
    link.click()
    page.wait_for_url("**/kent/8.0/#table-leads")
    expect(page.locator("#table-leads")).to_be_in_viewport()


def test_kcst_refers_to_a_numbered_paragraph_and_the_preview_names_it(page, live_kent):
    """The editor's folded list of numbered paragraphs inserts a reference to one; the preview
    shows it as a link named after that paragraph, not as typed."""
    kcst = make_user("kcst-paragraphs", "KCST staff", is_staff=True)
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, live_kent, kcst)
    page.goto(f"{live_kent.url}/kent/8.0/")
    page.get_by_role("link", name="Edit paragraph 6.2", exact=True).click()
    start_typing(page)
    page.keyboard.press("Control+a")
    page.keyboard.type("As set out in ")
    page.get_by_text("Numbered paragraphs (").click()  # unfolds the list
    assert_accessible(page)
    assert fits_1280(page)
    page.get_by_role("button", name="Insert the reference to paragraph 6.1", exact=True).click()
    page.keyboard.type(", the partnership agrees.")
    page.get_by_role("button", name="Preview").click()

    preview = page.locator(".preview")
    expect(preview.get_by_role("link", name="paragraph 6.1", exact=True)).to_have_attribute("href", "#paragraph-6-1")
    expect(preview).not_to_contain_text("[>")
    assert_accessible(page)
    assert fits_1280(page)
