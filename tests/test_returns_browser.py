"""The officer's return and KCST's returns in a real browser: they fit a 375 px phone and a 1280 px
window without sideways scrolling, pass axe, and removing an issue can be undone."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from assessments.cycles import open_cycle
from assessments.models import MorileScore, ReturnItem

from .conftest import assert_accessible, sign_in

pytestmark = pytest.mark.django_db(transaction=True)

WIDTHS = (375, 1280)


def fits_and_passes_axe(page, width: int) -> None:
    page.set_viewport_size({"width": width, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth") <= width, page.url
    assert_accessible(page)


@pytest.fixture
def open_returns(live_kent, officer_a, officer_b, kcst):
    cycle = open_cycle(officer_a.partnership_officer.partnership.agreement, "2024-25",
                       due_on=timezone.localdate() - datetime.timedelta(days=1),
                       opens_on=timezone.localdate() - datetime.timedelta(days=30))
    ashford = cycle.returns.get(partnership__slug="ashford")
    categories = {c.key: c for c in cycle.categories.all()}
    for order, key in enumerate(["serious-violence", "safeguarding-vulnerability", "domestic-abuse"]):
        ReturnItem.objects.create(assessment_return=ashford, category=categories[key], kind="cross_cutting",
                                  order=order, note="Highest in the town centre and along the A28 corridor")
    MorileScore.objects.create(assessment_return=ashford, issue="Domestic Abuse", harm=8, likelihood=4,
                               organisational_position=3)
    canterbury = cycle.returns.get(partnership__slug="canterbury")
    ReturnItem.objects.create(assessment_return=canterbury, category=categories["crime"], kind="main")
    canterbury.submit(officer_b)
    canterbury.refresh_from_db()
    canterbury.return_for_amendment(kcst, "Add the night-time economy.")
    canterbury.refresh_from_db()
    canterbury.save_part(ReturnItem(assessment_return=canterbury, category=categories["vawg"], kind="main",
                                    note="In the night-time economy"), canterbury.revision)
    canterbury.submit(officer_b, canterbury.revision)
    return cycle


def test_the_officers_return_fits_a_phone_passes_axe_and_undoes_a_removal(live_kent, page, officer_a, open_returns):
    sign_in(page, live_kent, officer_a)
    expect(page.get_by_role("heading", name="Ashford Community Safety Partnership")).to_be_visible()
    for width in WIDTHS:
        fits_and_passes_axe(page, width)
    page.get_by_role("link", name="Remove Domestic Abuse").click()
    page.get_by_role("button", name="Remove").click()
    expect(page.get_by_text("Removed “Domestic Abuse”.")).to_be_visible()
    issues = page.get_by_role("table", name="Issues identified").locator("tbody tr")
    expect(issues).to_have_count(2)
    for width in WIDTHS:
        fits_and_passes_axe(page, width)
    page.get_by_role("button", name="Undo").click()
    expect(page.get_by_text("The issue is back in the return.")).to_be_visible()
    expect(issues).to_have_count(3)
    expect(issues.nth(2)).to_contain_text("Domestic Abuse")


def test_kcsts_returns_table_and_review_fit_a_phone_and_pass_axe(live_kent, page, kcst, open_returns):
    sign_in(page, live_kent, kcst)
    expect(page.get_by_role("heading", name="What needs you")).to_be_visible()
    for width in WIDTHS:
        fits_and_passes_axe(page, width)
    page.get_by_role("link", name="Returns", exact=True).click()
    page.get_by_role("link", name="2024-25", exact=True).click()
    page.get_by_label("Status").select_option(label="Submitted")
    page.get_by_role("button", name="Show returns").click()
    expect(page.locator("table tbody tr")).to_have_count(1)
    for width in WIDTHS:
        fits_and_passes_axe(page, width)
    page.get_by_role("link", name="Canterbury Community Safety Partnership").click()
    expect(page.get_by_role("heading", name="What changed since it was returned")).to_be_visible()
    for width in WIDTHS:
        fits_and_passes_axe(page, width)
