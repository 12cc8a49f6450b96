"""The admin's history pages (django-simple-history) keep within the Content-Security-Policy."""

import pytest

from agreements.models import Paragraph

from .conftest import make_user, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_kcst_reads_a_paragraphs_history_and_a_past_copy_without_a_policy_refusal(page, live_kent):
    # The page fixture fails the test on any Content-Security-Policy refusal the browser reports.
    kcst = make_user("kcst-historian", "KCST staff", is_staff=True)
    paragraph = Paragraph.objects.filter(chapter__version__number="8.0", style="numbered").first()
    paragraph.html = "Rewritten for the history page."
    paragraph.save()
    sign_in(page, live_kent, kcst)
    page.goto(f"{live_kent.url}/admin/agreements/paragraph/{paragraph.pk}/change/")
    page.get_by_role("link", name="History").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="Change history").is_visible()
    assert page.locator(".history-paginator").evaluate("p => getComputedStyle(p).borderTopStyle") == "none"
    page.locator("#change-history tbody a").first.click()
    page.wait_for_load_state()
    assert page.url.startswith(f"{live_kent.url}/admin/agreements/paragraph/{paragraph.pk}/history/")
    assert page.url.rstrip("/").rsplit("/", 1)[-1].isdigit()  # a past copy, not the list
