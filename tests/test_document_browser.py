"""The edition page in headless Chromium: axe-core finds nothing, and it reads on a phone."""

import pytest

from .conftest import assert_accessible, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_draft_page_passes_axe(page, live_kent, kcst):
    sign_in(page, live_kent, kcst)
    page.goto(f"{live_kent.url}/kent/8.0/")
    assert page.locator("h1").inner_text() == "Kent Community Safety Agreement"
    page.get_by_text("Which partnership identified which issue").click()  # open the matrix too
    assert_accessible(page)


def test_the_published_page_and_the_list_pass_axe(page, live_kent):
    page.goto(f"{live_kent.url}/")
    assert_accessible(page)
    page.get_by_role("link", name="Web page of version 1.0").click()
    assert page.locator(".cover-date").inner_text() == "April 2017"
    assert_accessible(page)


def test_the_page_reads_on_a_phone_without_sideways_scrolling(page, live_kent, kcsp_member):
    page.set_viewport_size({"width": 360, "height": 740})
    sign_in(page, live_kent, kcsp_member)
    page.goto(f"{live_kent.url}/kent/8.0/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    # The diagram in two columns at a readable size, not the A4 layout shrunk.
    assert page.locator(".diagram-narrow svg").is_visible() and not page.locator(".diagram-wide svg").is_visible()
    page.get_by_role("link", name="7. Leads").click()
    assert page.url.endswith("#chapter-leads")
    assert_accessible(page)


def test_the_skip_link_goes_to_the_document(page, live_kent):
    page.goto(f"{live_kent.url}/kent/1.0/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to main content"
