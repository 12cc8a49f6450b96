"""KCST prepare and send the March 2017 review; a Working Group member reads it, comments and downloads
both PDFs; KCST record the decision and apply it. Every review page passes axe."""

import io

import pytest
from pypdf import PdfReader

from agreements import roles

from .annual_review_cast import PROPOSED_PRIORITIES, PROPOSED_THEMES, kcst_of, load_kent_2014_17, review_2017
from .conftest import assert_accessible, make_user, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def pdf_text(download) -> str:
    reader = PdfReader(io.BytesIO(open(download.path(), "rb").read()))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def test_the_review_from_draft_to_decision_in_the_browser(page, live_kent):
    agreement = load_kent_2014_17()
    kcst = kcst_of(agreement)
    member = make_user("wg-2017", roles.WORKING_GROUP_MEMBER, agreement, first_name="Working", last_name="Member")
    review = review_2017(agreement, kcst)
    base = f"{live_kent.url}/{agreement.slug}/annual-reviews"
    here = f"{base}/2017-18/"

    sign_in(page, live_kent, kcst)
    page.goto(f"{base}/")
    assert page.get_by_role("link", name="Annual review 2017-18").is_visible()
    assert_accessible(page)
    page.goto(here)
    assert_accessible(page)
    for link in ("Write the report's texts", "Add a proposal", "Introduce: MoRiLE outcomes", "Add a recommendation"):
        page.get_by_role("link", name=link).click()
        page.wait_for_load_state()
        assert_accessible(page)
        page.go_back()
    page.get_by_role("link", name="Introduce: MoRiLE outcomes").click()
    page.get_by_role("button", name="Save").click()
    page.get_by_role("button", name="Send to the Working Group and the KCSP").click()
    assert page.get_by_text("was sent to the Working Group and the KCSP").is_visible()
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, live_kent, member)
    page.goto(here)
    assert page.get_by_role("heading", name="7 Proposals").is_visible()
    assert page.get_by_text("'Safeguarding' expanded to 'Safeguarding Vulnerable People'").first.is_visible()
    page.get_by_label("What are you commenting on?").select_option(label="8 Recommendations")
    page.get_by_label("Your comment").fill("Please add the rolling document to the minutes.")
    page.get_by_role("button", name="Send comment").click()
    assert page.get_by_text("Your comment has been sent").is_visible()
    assert page.get_by_text("Please add the rolling document to the minutes.").is_visible()
    assert_accessible(page)
    with page.expect_download() as review_pdf:
        page.get_by_role("link", name="Download the review document (PDF)").click()
    text = pdf_text(review_pdf.value)
    assert "4 Local strategic assessments" in text and "7 Proposals" in text and "DRAFT" in text
    page.get_by_role("link", name="Committee report", exact=True).click()
    assert page.get_by_role("heading", name="6 Recommendations").is_visible()
    assert_accessible(page)
    with page.expect_download() as report_pdf:
        page.get_by_role("link", name="Download the committee report (PDF)").click()
    text = pdf_text(report_pdf.value)
    assert "Classification: For Decision" in text and "6.1 The Kent Community Safety Partnership" in text
    assert all(name in text for name in PROPOSED_PRIORITIES + PROPOSED_THEMES)
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, live_kent, kcst)
    page.goto(here)
    page.get_by_role("link", name="Record the KCSP's decision").click()
    assert_accessible(page)
    page.get_by_label("Date of the KCSP meeting").fill("15/03/2017")
    page.get_by_label("Minute").fill("RESOLVED that the priorities and cross-cutting themes be agreed.")
    first, second = page.locator("fieldset").all()
    first.get_by_label("Agreed as amended", exact=True).check()
    page.get_by_label("Amendment to recommendation 6.1").fill("Safeguarding to be called Safeguarding and Vulnerability.")
    page.get_by_label("Proposal 'Safeguarding Vulnerable People': the new name(s) as amended").fill(
        "Safeguarding and Vulnerability")
    second.get_by_label("Agreed", exact=True).check()
    page.get_by_role("button", name="Record the decision").click()
    assert page.get_by_text("The KCSP's decision was recorded").is_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Apply the decision to the draft").click()
    assert page.get_by_text("The decision was applied to draft 1.0").is_visible()
    assert page.get_by_text("Safeguarding renamed Safeguarding and Vulnerability", exact=False).is_visible()
    assert page.locator(".change-merged").first.is_visible()
    review.refresh_from_db()
    assert review.status == "decided"
