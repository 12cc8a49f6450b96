"""A priority lead posts a quarterly update in a real browser, through the GOV.UK form."""

import re

import pytest
from playwright.sync_api import expect

from .conftest import assert_accessible, mark_published, sign_in
from .delivery_cast import make_action, make_lead

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_lead_posts_an_update_after_correcting_an_error(live_kent, page):
    from agreements.models import Version

    edition = mark_published(Version.objects.get(agreement__slug="kent", number="8.0"))
    action = make_action(edition)
    lead = make_lead(edition.agreement)

    sign_in(page, live_kent, lead)
    page.get_by_role("link", name="Action plan").click()
    assert_accessible(page)
    page.get_by_role("link", name="Refresh the domestic abuse strategy").click()
    assert_accessible(page)
    page.get_by_role("link", name="Post an update").click()
    page.get_by_label("What was done").fill("Consultation with survivors' groups ran late.")
    page.get_by_label("Lagging", exact=True).check()
    page.get_by_role("button", name="Post the update").click()

    expect(page).to_have_title(re.compile("^Error: "))
    summary = page.get_by_role("alert")
    expect(summary.get_by_role("heading", name="There is a problem")).to_be_visible()
    expect(summary.get_by_role("link", name="Say briefly why the action is lagging.")).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Reason (if lagging or insufficient progress)").fill("Consultation overran by six weeks")
    page.get_by_label("Propose this update for the year's key achievements").check()
    page.get_by_role("button", name="Post the update").click()

    expect(page.get_by_text("Your update is posted.")).to_be_visible()
    expect(page.get_by_text("Lagging: Consultation overran by six weeks")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Change the action's details").click()
    assert_accessible(page)
    page.get_by_label("Due date").fill("2025-06-30")
    page.get_by_role("button", name="Save the action").click()
    expect(page.get_by_text("30 June 2025")).to_be_visible()
    action.refresh_from_db()
    assert action.status == "lagging"
    assert action.updates.get().notable


def test_kcst_open_the_monitoring_page_from_the_action_plan(live_kent, page):
    from agreements.models import Version

    from .conftest import make_user
    from agreements import roles

    draft = Version.objects.get(agreement__slug="kent", number="8.0")
    make_action(draft, status="lagging", status_reason="Late start")
    kcst = make_user("kcst-officer", roles.KCST_STAFF, is_staff=True)

    sign_in(page, live_kent, kcst)
    page.get_by_role("link", name="Action plan").click()
    assert_accessible(page)
    page.get_by_role("link", name=re.compile("Monitoring: Kent .*version 8.0")).click()
    expect(page.get_by_text("Lagging 1")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Updates since the meeting of").fill("2024-10-10")
    page.get_by_role("button", name="Show updates").click()
    expect(page.get_by_role("heading", name="Updates since 10 October 2024")).to_be_visible()
    assert_accessible(page)


def test_a_lead_adds_an_indicator_value_and_sees_it_in_the_chart_and_table(live_kent, page):
    import datetime

    from agreements.models import Agreement
    from delivery.models import Indicator

    kent = Agreement.objects.get(slug="kent")
    indicator = Indicator.objects.create(agreement=kent, priority_key="domestic-abuse", name="Incidents recorded",
                                         definition="Recorded by the police.", unit="incidents", better="lower",
                                         source="Kent Police")
    indicator.values.create(period="quarter", period_start=datetime.date(2024, 4, 1), value=120)
    sign_in(page, live_kent, make_lead(kent))
    page.get_by_role("link", name="Action plan").click()
    page.get_by_role("link", name="Incidents recorded").click()
    assert_accessible(page)
    page.get_by_role("link", name="Add a value").click()
    page.get_by_label("Quarter").check()
    page.get_by_label("First day of the period").fill("2024-07-02")
    page.get_by_label("Value").fill("95")
    page.get_by_role("button", name="Save the value").click()
    expect(page.get_by_role("alert").get_by_role("link", name="Give the first day of the quarter.")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("First day of the period").fill("2024-07-01")
    page.get_by_role("button", name="Save the value").click()
    expect(page.get_by_text("The value for Q3 2024 is recorded.")).to_be_visible()
    expect(page.locator("svg text.value")).to_have_text(["120", "95"])
    expect(page.locator(".indicator-table td")).to_have_text(["120", "95"])
    page.get_by_role("link", name="Import values from a file").click()
    assert_accessible(page)
