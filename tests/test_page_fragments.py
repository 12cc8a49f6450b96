"""The officer's return page and KCST's cycle dashboard keep their tables in the cache and never show them
stale: each part of a kept table's key changes what the page shows."""

import datetime
import re

import pytest
from django.core.cache import cache
from django.core.cache.utils import make_template_fragment_key
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from agreements import roles
from assessments.models import AssessmentCycle, PartnershipOfficer

from .conftest import make_user
from .test_portal import add, category, url, with_items  # noqa: F401  (with_items is a fixture)

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
# The form the kept tables' buttons post, outside the kept part: it carries the visitor's own token.
ACTIONS_TOKEN = re.compile(r'<form id="return-actions" method="post"><input type="hidden" name="csrfmiddlewaretoken" value="([^"]+)"')


def get(client, address):
    """The page and its queries, the session's aside (read from the cache where there is one)."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(address)
    assert response.status_code == 200
    return response.content.decode(), sum("django_session" not in query["sql"] for query in captured)


def returning(client: Client) -> Client:
    """A browser that holds its CSRF cookie, as after its first page: only such a visitor's fragments
    are kept, so only its next page can be read from the cache."""
    client.get(reverse("portal:home"))
    assert "csrftoken" in client.cookies
    return client


def signed_in(user) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return returning(client)


@pytest.fixture
def officer(officer_a):
    return signed_in(officer_a)


def test_the_return_page_reads_its_issues_once_until_they_change(officer, with_items):
    address = url("return", with_items)
    first, built = get(officer, address)
    again, cached = get(officer, address)
    assert cached < built
    assert TOKEN.sub("", again) == TOKEN.sub("", first)

    add(officer, with_items, own_wording="Fly-tipping on farmland", kind="main",
        csrfmiddlewaretoken=TOKEN.search(again).group(1))
    page, _ = get(officer, address)
    assert "Fly-tipping on farmland" in page


def test_a_form_from_the_cached_page_is_accepted(officer, with_items):
    address = url("return", with_items)
    get(officer, address)
    page, _ = get(officer, address)  # from the cache
    vawg = with_items.items.get(category__key="vawg")
    assert f'form="return-actions" formaction="{url("item-move", with_items, vawg.pk)}" name="direction" value="up"' in page
    response = officer.post(url("item-move", with_items, vawg.pk), {
        "csrfmiddlewaretoken": ACTIONS_TOKEN.search(page).group(1), "revision": with_items.revision, "direction": "up",
    })
    assert response.status_code == 302
    assert list(with_items.items.values_list("category__key", flat=True))[0] == "vawg"
    page = get(officer, address)[0]
    assert page.index(url("item-change", with_items, vawg.pk)) < page.index("Domestic Abuse</td>")


def test_two_officers_of_one_partnership_each_get_their_own_tokens(officer, with_items):
    colleague_user = make_user("officer-ashford-2", roles.DISTRICT_OFFICER)
    PartnershipOfficer.objects.create(user=colleague_user, partnership=with_items.partnership)
    colleague = signed_in(colleague_user)
    address = url("return", with_items)
    get(officer, address)  # kept for the officer
    page, _ = get(colleague, address)  # must not be the officer's table, with the officer's tokens in it
    road = with_items.items.get(category__key="road-safety")
    token = ACTIONS_TOKEN.search(page).group(1)
    response = colleague.post(url("item-move", with_items, road.pk),
                              {"csrfmiddlewaretoken": token, "revision": with_items.revision, "direction": "up"})
    assert response.status_code == 302


def test_a_change_by_kcst_shows_on_the_officers_page(officer, with_items):
    address = url("return", with_items)
    get(officer, address)
    domestic = category(with_items, "domestic-abuse")
    domestic.name = "Domestic Abuse and Stalking"
    domestic.save()
    assert "Domestic Abuse and Stalking" in get(officer, address)[0]


@pytest.fixture
def kcst_client(kcst):
    return signed_in(kcst)


def test_the_dashboard_follows_each_submission(kcst_client, cycle_2024, with_items, officer_a):
    address = reverse("portal:cycle", args=[cycle_2024.pk])
    assert "0 of 12 submitted" in kept(kcst_client, address)
    with_items.submit(officer_a)
    assert "1 of 12 submitted" in get(kcst_client, address)[0]


def test_the_dashboard_follows_a_new_due_date(kcst_client, cycle_2024):
    address = reverse("portal:cycle", args=[cycle_2024.pk])
    assert "0 of 12 submitted." in kept(kcst_client, address)
    cycle_2024.due_on = timezone.localdate() - datetime.timedelta(days=1)
    cycle_2024.save()
    assert "0 of 12 submitted, 12 late" in get(kcst_client, address)[0]


def test_the_dashboard_marks_returns_late_the_day_after_the_due_date(kcst_client, cycle_2024, monkeypatch):
    cycle_2024.due_on = timezone.localdate()
    cycle_2024.save()
    address = reverse("portal:cycle", args=[cycle_2024.pk])
    assert "late" not in kept(kcst_client, address).split('class="table-filters"')[0]
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    monkeypatch.setattr(timezone, "localdate", lambda *args: tomorrow)
    assert "0 of 12 submitted, 12 late" in get(kcst_client, address)[0]


def test_the_kept_tables_hold_nothing_of_the_visitors_own(officer, with_items):
    response = officer.get(url("return", with_items))
    kept = cache.get(make_template_fragment_key("officer-return", [with_items.pk, response.context["fragment"]["key"]]))
    assert "Domestic Abuse" in kept
    assert "csrfmiddlewaretoken" not in kept and 'formaction="' in kept


def kept(client, address) -> str:
    """The page, after making sure its table was kept: read again, it takes fewer queries."""
    page, built = get(client, address)
    again, cached = get(client, address)
    assert cached < built and TOKEN.sub("", again) == TOKEN.sub("", page)
    return page


def test_the_dashboard_is_kept_and_takes_as_many_queries_for_any_number_of_returns(kcst_client, cycle_2024):
    counts = []
    for cycle in (cycle_2024, AssessmentCycle.objects.get(agreement=cycle_2024.agreement, label="2017-18")):
        address = reverse("portal:cycle", args=[cycle.pk])
        counts.append((get(kcst_client, address)[1], get(kcst_client, address)[1]))
    # The user, their roles, the cycle and the returns' stamp, and KCST's two-factor device; the
    # returns and their partnerships' former names when the kept table is out of date.
    assert counts == [(7, 5), (7, 5)]
    assert cycle.returns.count() == 11


def test_each_cycle_has_its_own_kept_table(kcst_client, cycle_2024):
    earlier = cycle_2024.previous()
    assert "12 of 12 submitted" in kept(kcst_client, reverse("portal:cycle", args=[earlier.pk]))
    assert "0 of 12 submitted" in get(kcst_client, reverse("portal:cycle", args=[cycle_2024.pk]))[0]


def test_each_choice_of_returns_has_its_own_kept_table(kcst_client, cycle_2024, with_items, officer_a):
    with_items.submit(officer_a)
    address = reverse("portal:cycle", args=[cycle_2024.pk])
    assert "Ashford" not in kept(kcst_client, f"{address}?status=draft").split("Show returns</button>")[1]
    assert "Ashford" in get(kcst_client, f"{address}?status=submitted")[0].split("Show returns</button>")[1]


def test_the_kept_table_marks_returns_late_the_day_after_the_due_date(kcst_client, cycle_2024, monkeypatch):
    cycle_2024.due_on = timezone.localdate()
    cycle_2024.save()
    address = reverse("portal:cycle", args=[cycle_2024.pk]) + "?late=yes"
    assert "No return matches these choices" in kept(kcst_client, address)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    monkeypatch.setattr(timezone, "localdate", lambda *args: tomorrow)
    assert "Send reminder" in get(kcst_client, address)[0]


def test_the_kept_dashboard_holds_nothing_of_the_visitors_own(kcst_client, cycle_2024):
    response = kcst_client.get(reverse("portal:cycle", args=[cycle_2024.pk]))
    context = response.context
    key = make_template_fragment_key("cycle-dashboard", [cycle_2024.pk, context["today"], context["choice"],
                                                         context["fragment"]["key"]])
    table = cache.get(key)
    assert "Ashford" in table
    assert "csrfmiddlewaretoken" not in table and "kcst-officer" not in table
