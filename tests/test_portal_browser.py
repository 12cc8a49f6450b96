"""The whole route in a real browser: an officer submits, KCST returns it, the officer resubmits, KCST accepts."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from assessments.cycles import open_cycle

from .conftest import assert_accessible, sign_in

pytestmark = pytest.mark.django_db(transaction=True)

ISSUES = [
    ("Domestic Abuse", "Main priority"),
    ("Serious Violence (including the serious violence duty and violence reduction)", "Main priority"),
    ("Road Safety", "Issue within a broader theme"),
]


def appendix_rows(page) -> list[tuple[str, str]]:
    cells = page.locator("table.appendix-a tbody tr").all_inner_texts()
    return [tuple(cell.split("\t")) for cell in cells]


def test_an_officers_return_goes_through_review_into_appendix_a(live_kent, browser, page, officer_a, kcst):
    live = live_kent.url
    cycle = open_cycle(officer_a.partnership_officer.partnership.agreement, "2024-25",
                       due_on=timezone.localdate() + datetime.timedelta(days=30))

    # The officer records three issues and submits.
    sign_in(page, live_kent, officer_a)
    page.goto(f"{live}/portal/")
    assert_accessible(page)
    page.get_by_role("link", name=re.compile("2024-25")).click()
    expect(page.get_by_role("heading", name="Ashford Community Safety Partnership")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Add an issue").click()
    page.get_by_role("button", name="Save issue").click()
    expect(page).to_have_title(re.compile("^Error: "))
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    assert_accessible(page)
    for number, (category, kind) in enumerate(ISSUES):
        if number:
            page.get_by_role("link", name="Add an issue").click()
        page.get_by_label("Category", exact=True).select_option(label=category)
        page.get_by_label(kind).check()
        page.get_by_role("button", name="Save issue").click()
        expect(page.get_by_text("Issue added.")).to_be_visible()
    expect(page.locator("tbody tr")).to_have_count(3)
    assert_accessible(page)
    page.get_by_role("link", name="Add a MoRiLE score").click()
    page.get_by_role("button", name="Save score").click()
    expect(page).to_have_title(re.compile("^Error: "))
    assert_accessible(page)
    page.get_by_label("Issue", exact=True).select_option(label="Domestic Abuse")
    page.get_by_label("Harm", exact=True).fill("8")
    page.get_by_label("Likelihood", exact=True).fill("4")
    page.get_by_label("Organisational position", exact=True).fill("3")
    page.get_by_label("High").check()
    page.get_by_role("button", name="Save score").click()
    expect(page.get_by_text("MoRiLE score added.")).to_be_visible()
    page.get_by_role("link", name="Change the local sign-off").click()
    expect(page.get_by_role("heading", name="Local sign-off")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Agreed by the local CSP").check()
    page.get_by_role("button", name="Save local sign-off").click()
    page.get_by_role("link", name="Check your answers").click()
    expect(page.get_by_role("heading", name="Check your answers before submitting your return")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Submit return").click()
    expect(page.get_by_role("heading", name="Return submitted")).to_be_visible()
    assert_accessible(page)

    # KCST sees nothing counted yet, then returns the return with a reason.
    kcst_page = browser.new_context().new_page()
    sign_in(kcst_page, live_kent, kcst)
    kcst_page.goto(f"{live}/portal/kcst/cycles/{cycle.pk}/appendix-a/")
    assert appendix_rows(kcst_page) == [("No accepted return names an issue yet.",)]
    kcst_page.goto(f"{live}/portal/kcst/cycles/{cycle.pk}/")
    assert_accessible(kcst_page)
    kcst_page.get_by_role("link", name="Ashford Community Safety Partnership").click()
    expect(kcst_page.get_by_role("heading", name="Review: Ashford Community Safety Partnership")).to_be_visible()
    assert_accessible(kcst_page)
    kcst_page.get_by_label("Why does the return need amending?").fill("Road Safety is a main priority in your plan.")
    kcst_page.get_by_role("button", name="Return for amendment").click()
    expect(kcst_page.get_by_text("Returned for amendment. The reason was e-mailed")).to_be_visible()

    # The officer sees the reason, amends and resubmits.
    page.goto(f"{live}/portal/")
    page.get_by_role("link", name=re.compile("2024-25")).click()
    expect(page.get_by_text("Road Safety is a main priority in your plan.")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Change Road Safety").click()
    page.get_by_label("Main priority").check()
    page.get_by_role("button", name="Save issue").click()
    expect(page.get_by_text("Issue changed.")).to_be_visible()
    page.get_by_role("link", name="Check your answers").click()
    page.get_by_role("button", name="Submit return").click()
    expect(page.get_by_role("heading", name="Return submitted")).to_be_visible()

    # KCST accepts; the draft's Appendix A now counts Ashford's three issues.
    kcst_page.reload()
    kcst_page.get_by_role("button", name="Accept the return").click()
    expect(kcst_page.get_by_text("Accepted the return")).to_be_visible()
    kcst_page.goto(f"{live}/portal/kcst/cycles/{cycle.pk}/appendix-a/")
    # Equal counts keep the category list's order, not the order the officer gave.
    assert sorted(appendix_rows(kcst_page)) == sorted((category, "1") for category, _ in ISSUES)
    expect(kcst_page.get_by_text("The details below are draft and may be subject to change.")).to_be_visible()
    assert_accessible(kcst_page)


def test_the_kcst_pages_are_accessible(live_kent, page, kcst):
    live = live_kent.url
    sign_in(page, live_kent, kcst)
    page.goto(f"{live}/portal/kcst/")
    assert_accessible(page)
    page.get_by_role("link", name="2023-24").click()
    expect(page.get_by_role("heading", name="2023-24 strategic assessment returns")).to_be_visible()
    page.get_by_role("link", name=re.compile("^Appendix A")).click()
    expect(page.locator("table.matrix")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Compare with").select_option(label="2017-18")
    page.get_by_role("button", name="Compare").click()
    expect(page.get_by_role("heading", name="Changes since 2017-18")).to_be_visible()
    expect(page.get_by_role("heading", name="Split")).to_be_visible()
    assert_accessible(page)
    page.go_back()
    page.go_back()
    page.get_by_role("link", name="Import returns from a CSV or XLSX file").click()
    page.get_by_label("CSV or XLSX file of returns").set_input_files(
        files=[{"name": "bad.csv", "mimeType": "text/csv", "buffer": b"not,a,return\n"}]
    )
    page.get_by_role("button", name="Import the file").click()
    expect(page).to_have_title(re.compile("^Error: "))
    assert_accessible(page)
    page.goto(f"{live}/portal/kcst/cycles/open/")
    page.get_by_role("button", name="Open the cycle").click()
    expect(page).to_have_title(re.compile("^Error: "))
    assert_accessible(page)
