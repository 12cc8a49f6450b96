"""KCST corrects an accepted return in a real browser: from the return's review page, through the
correction page's errors, to the correction listed with its reason; each page passes axe."""

import re

import pytest
from playwright.sync_api import expect

from assessments.models import AssessmentReturn, ReturnCorrection

from .conftest import assert_accessible, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_kcst_corrects_an_accepted_return_from_its_review_page(live_kent, page, kcst):
    ashford = AssessmentReturn.objects.get(cycle__label="2023-24", partnership__slug="ashford")
    sign_in(page, live_kent, kcst)
    page.goto(f"{live_kent.url}/portal/kcst/returns/{ashford.pk}/")
    page.get_by_role("link", name="Correct the return").click()
    expect(page.get_by_role("heading", name="Correct the return: Ashford Community Safety Partnership")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("button", name="Save the correction").click()
    expect(page).to_have_title(re.compile("^Error: "))
    expect(page.get_by_role("link", name="Choose the issue to correct, or a new issue")).to_be_visible()
    expect(page.get_by_role("link", name="Say why the return is corrected")).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Issue to correct").select_option(label="A new issue")
    page.get_by_label("Category", exact=True).select_option(label="Road Safety")
    page.get_by_label("Main priority").check()
    page.get_by_label("Why is the return corrected?").fill("Left out of the return by mistake (CSP e-mail, 3 May).")
    page.get_by_role("button", name="Save the correction").click()

    expect(page.get_by_text("Correction saved.")).to_be_visible()
    expect(page.get_by_role("heading", name="Corrections after acceptance")).to_be_visible()
    expect(page.get_by_text("Added: Road Safety (Main priority)")).to_be_visible()
    expect(page.get_by_text("Left out of the return by mistake (CSP e-mail, 3 May).")).to_be_visible()
    assert_accessible(page)
    assert ReturnCorrection.objects.get().assessment_return == ashford
