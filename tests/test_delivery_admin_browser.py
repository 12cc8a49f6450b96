"""KCST's admin pages for the action plan: each fits a 1280 px window and axe-core finds nothing."""

import datetime

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from agreements.models import Version
from delivery.models import Action, ActionUpdate, Indicator, LeadAssignment, Meeting

from .conftest import assert_admin_pages_fit_and_pass_axe, make_user, sign_in
from .delivery_cast import make_action, make_lead

pytestmark = pytest.mark.django_db(transaction=True)

WIDTH = 1280


def test_the_action_plans_admin_pages_fit_1280_px_and_pass_axe(page, live_kent):
    draft = Version.objects.get(agreement__slug="kent", number="8.0")
    action = make_action(draft)
    action.post_update(ActionUpdate(progress="Drafted", status="on_target"))
    Meeting.objects.create(agreement=draft.agreement, date=datetime.date(2024, 10, 10))
    indicator = Indicator.objects.create(agreement=draft.agreement, priority_key="domestic-abuse", name="Incidents",
                                         definition="Recorded", unit="incidents", better="lower", source="Police")
    indicator.values.create(period="year", period_start=datetime.date(2024, 1, 1), value=3)
    make_lead(draft.agreement)
    kcst = make_user("kcst-desk", "KCST staff", is_staff=True)
    page.set_viewport_size({"width": WIDTH, "height": 900})
    sign_in(page, live_kent, kcst)
    urls = [
        *(reverse(f"admin:delivery_{model}_changelist") for model in ("action", "meeting", "indicator", "leadassignment")),
        reverse("admin:delivery_action_change", args=[action.pk]),
        reverse("admin:delivery_indicator_change", args=[indicator.pk]),
        reverse("admin:delivery_meeting_change", args=[Meeting.objects.get().pk]),
        reverse("admin:delivery_leadassignment_change", args=[LeadAssignment.objects.get().pk]),
        *(reverse(f"admin:delivery_{model}_add") for model in ("action", "meeting", "indicator", "leadassignment")),
    ]
    assert_admin_pages_fit_and_pass_axe(page, live_kent.url, urls, WIDTH)
