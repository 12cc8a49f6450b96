"""Priority leads report on their own actions; the Working Group's monitoring page adds them up."""

import datetime
import re
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agreements.refresh import start_next_refresh
from delivery.charts import chart
from delivery.models import Action, ActionUpdate, Indicator, IndicatorValue, LeadAssignment, Meeting, UpdateReviewed
from delivery.monitoring import monitoring

from .conftest import make_officer, mark_published
from .delivery_cast import TODAY, make_action, make_lead


@pytest.fixture
def lead(kent):
    return make_lead(kent)


@pytest.fixture
def own_action(draft):
    return make_action(draft)


@pytest.fixture
def other_action(draft):
    return make_action(draft, "road-safety", title="Speed awareness in schools")


def update_data(**fields):
    return {"revision": 0, "date": "2024-10-01", "progress": "Strategy drafted with partners.",
            "status": "on_target", "status_reason": ""} | fields


def test_a_lead_posts_an_update_and_the_action_takes_its_status(client, lead, own_action):
    client.force_login(lead)
    response = client.post(reverse("delivery:post-update", args=[own_action.pk]),
                           update_data(status="lagging", status_reason="Consultation overran"))
    assert response.status_code == 302
    own_action.refresh_from_db()
    assert (own_action.status, own_action.status_reason) == ("lagging", "Consultation overran")
    assert own_action.updates.get().posted_by == lead


def test_an_update_dated_before_the_latest_leaves_the_status_alone(lead, own_action):
    own_action.post_update(ActionUpdate(date=datetime.date(2024, 12, 1), progress="Done", status="complete"))
    own_action.post_update(ActionUpdate(date=datetime.date(2024, 9, 1), progress="Late entry", status="lagging",
                                        status_reason="Slow start"))
    own_action.refresh_from_db()
    assert own_action.status == "complete"


def test_a_lagging_update_without_a_reason_is_refused_naming_the_field(client, lead, own_action):
    client.force_login(lead)
    response = client.post(reverse("delivery:post-update", args=[own_action.pk]), update_data(status="lagging"))
    assert response.status_code == 200
    assert "Say briefly why the action is lagging." in response.content.decode()
    assert not own_action.updates.exists()
    own_action.refresh_from_db()
    assert own_action.status == "on_target"


@pytest.mark.parametrize("name", ["delivery:action", "delivery:post-update", "delivery:edit-action"])
def test_a_lead_finds_nothing_of_another_priority(client, lead, other_action, name):
    client.force_login(lead)
    assert client.get(reverse(name, args=[other_action.pk])).status_code == 404


def test_a_lead_changes_their_actions_due_date_but_not_its_status(client, lead, own_action):
    client.force_login(lead)
    data = {"revision": own_action.revision, "title": own_action.title, "owner_organisation": "Kent Police",
            "responsible_lead": "Head of safeguarding", "start_date": "2024-04-01", "due_date": "2025-06-30",
            "status": "complete"}
    assert client.post(reverse("delivery:edit-action", args=[own_action.pk]), data).status_code == 302
    own_action.refresh_from_db()
    assert (own_action.due_date, own_action.owner_organisation) == (datetime.date(2025, 6, 30), "Kent Police")
    assert own_action.status == "on_target"


def test_a_due_date_before_the_start_is_refused_naming_the_field(client, lead, own_action):
    client.force_login(lead)
    data = {"revision": own_action.revision, "title": "Changed", "owner_organisation": "Kent Police",
            "responsible_lead": "Head", "start_date": "2024-04-01", "due_date": "2024-03-01"}
    page = client.post(reverse("delivery:edit-action", args=[own_action.pk]), data).content.decode()
    assert "The due date must be on or after the start date." in page
    own_action.refresh_from_db()
    assert own_action.title == "Refresh the domestic abuse strategy"


def test_a_stale_change_of_an_action_is_refused(client, lead, own_action):
    client.force_login(lead)
    data = {"revision": own_action.revision + 1, "title": "Changed",
            "owner_organisation": "Kent Police", "responsible_lead": "Head", "start_date": "2024-04-01",
            "due_date": "2025-03-01"}
    page = client.post(reverse("delivery:edit-action", args=[own_action.pk]), data).content.decode()
    assert "Someone changed this action meanwhile" in page
    own_action.refresh_from_db()
    assert own_action.title == "Refresh the domestic abuse strategy"


def test_a_lead_cannot_change_an_update_of_another_priority(client, lead, other_action, kcst):
    update = other_action.post_update(ActionUpdate(progress="Done", status="on_target", posted_by=kcst))
    client.force_login(lead)
    response = client.post(reverse("delivery:edit-update", args=[update.pk]), update_data(progress="Mine now"))
    assert response.status_code == 404
    update.refresh_from_db()
    assert update.progress == "Done"


def test_a_district_officer_finds_no_action(client, own_action):
    client.force_login(make_officer("ashford"))
    assert client.get(reverse("delivery:action", args=[own_action.pk])).status_code == 404


def test_the_leads_page_lists_only_their_own_actions(client, draft, lead):
    make_action(draft)
    make_action(draft, "road-safety", title="Speed awareness in schools")
    client.force_login(lead)
    page = client.get(reverse("delivery:lead-home")).content.decode()
    assert "Refresh the domestic abuse strategy" in page
    assert "Speed awareness in schools" not in page


def leads_page(client) -> tuple[str, int]:
    """The lead's page and its queries, the session's aside (read from the cache where there is one)."""
    with CaptureQueriesContext(connection) as captured:
        page = client.get(reverse("delivery:lead-home")).content.decode()
    return page, sum("django_session" not in query["sql"] for query in captured)


def test_the_leads_page_takes_as_many_queries_for_any_number_of_priorities_actions_and_indicators(
        client, kent, draft, lead):
    make_action(draft)
    client.force_login(lead)
    client.get(reverse("delivery:lead-home"))  # the CSRF cookie of the sign-out form, as after a first page
    page, queries = leads_page(client)
    assert "Refresh the domestic abuse strategy" in page and "Your indicators" not in page

    LeadAssignment.objects.create(user=lead, agreement=kent, priority_key="road-safety")
    make_action(draft, "road-safety", title="Speed awareness in schools")
    make_action(draft, title="Train frontline staff")
    for key, name in (("domestic-abuse", "Refuge places"), ("road-safety", "Killed or seriously injured")):
        Indicator.objects.create(agreement=kent, priority_key=key, name=name, definition="Counted.", unit="cases",
                                 better="lower", source="KCC")
    Indicator.objects.create(agreement=kent, priority_key="vawg", name="Not led", definition="Counted.",
                             unit="cases", better="lower", source="KCC")
    page, more_queries = leads_page(client)
    for shown in ("Speed awareness in schools", "Train frontline staff", "Refuge places",
                  "Killed or seriously injured"):
        assert shown in page
    assert "Not led" not in page
    # The user, their roles, the priorities they lead, their actions and their indicators.
    assert queries == more_queries == 5


def test_an_update_reviewed_at_a_meeting_cannot_be_edited(client, kent, lead, own_action):
    update = own_action.post_update(ActionUpdate(date=datetime.date(2024, 10, 1), progress="Drafted",
                                                 status="on_target", posted_by=lead))
    Meeting.objects.create(agreement=kent, date=datetime.date(2024, 10, 10))
    update.refresh_from_db()
    client.force_login(lead)

    response = client.post(reverse("delivery:edit-update", args=[update.pk]),
                           update_data(revision=update.revision, progress="Rewritten"), follow=True)

    assert "reviewed this update at its meeting of 10 October 2024" in response.content.decode()
    update.refresh_from_db()
    assert update.progress == "Drafted"
    update.progress = "Rewritten"
    with pytest.raises(UpdateReviewed):
        update.save()


def test_an_update_after_the_meeting_can_still_be_changed(client, kent, lead, own_action):
    Meeting.objects.create(agreement=kent, date=datetime.date(2024, 10, 10))
    update = own_action.post_update(ActionUpdate(date=datetime.date(2024, 11, 1), progress="Drafted",
                                                 status="on_target", posted_by=lead))
    client.force_login(lead)
    client.post(reverse("delivery:edit-update", args=[update.pk]),
                update_data(revision=update.revision, date="2024-11-01", progress="Consulted"))
    update.refresh_from_db()
    assert update.progress == "Consulted"


def test_an_action_lagging_without_a_reason_is_refused(draft):
    with pytest.raises(ValidationError) as refused:
        make_action(draft, status=Action.Status.LAGGING)
    assert "status_reason" in refused.value.message_dict


def test_the_status_counts_equal_the_actions(client, draft, kcst):
    make_action(draft, status="complete")
    make_action(draft, status="lagging", status_reason="Late start", title="Train frontline staff")
    make_action(draft, "road-safety", status="on_target")
    make_action(draft, "road-safety", status="on_target", title="Crossing patrols")
    report = monitoring(draft, today=TODAY)

    counts = {heading.name: heading.counts for heading in report.headings}
    labels = [value for value, _ in report.statuses]
    assert counts["Domestic Abuse"][labels.index("complete")] == 1
    assert counts["Domestic Abuse"][labels.index("lagging")] == 1
    assert counts["Road Safety"][labels.index("on_target")] == 2
    assert report.summary == "On target 2 - Lagging 1 - Complete 1"
    client.force_login(kcst)
    page = client.get(reverse("delivery:monitoring", args=["kent", draft.number])).content.decode()
    assert "On target 2 - Lagging 1 - Complete 1" in page


def test_overdue_and_lagging_actions_come_first(draft):
    overdue = make_action(draft, title="Overdue", due_date=datetime.date(2024, 12, 31))
    lagging = make_action(draft, title="Lagging", status="lagging", status_reason="Late")
    make_action(draft, title="Fine")
    make_action(draft, title="Done late", status="complete", due_date=datetime.date(2024, 6, 30))
    assert monitoring(draft, today=TODAY).attention == [overdue, lagging]


def test_updates_since_the_chosen_meeting_date(client, draft, kcst, own_action):
    for day, text in [(datetime.date(2024, 9, 1), "Before the meeting"), (datetime.date(2024, 11, 1), "After it")]:
        own_action.post_update(ActionUpdate(date=day, progress=text, status="on_target"))
    client.force_login(kcst)
    page = client.get(reverse("delivery:monitoring", args=["kent", draft.number]), {"since": "2024-10-10"})
    assert "After it" in page.content.decode()
    assert "Before the meeting" not in page.content.decode()


def report_of(client, version, **params) -> str:
    """The monitoring page's report (the page around it carries the visitor's own CSRF token)."""
    page = client.get(reverse("delivery:monitoring", args=["kent", version.number]), params).content.decode()
    return page[page.index('<h2 id="status-counts">'):]


def test_the_report_is_kept_and_served_again_without_building_it(client, draft, kcst, own_action):
    client.force_login(kcst)
    first = report_of(client, draft)
    with CaptureQueriesContext(connection) as captured:
        assert report_of(client, draft) == first
    assert not any("delivery_" in query["sql"] and "history" not in query["sql"] for query in captured)


def add_indicator_value(draft, action):
    indicator = Indicator.objects.get_or_create(
        agreement=draft.agreement, priority_key="domestic-abuse", name="Refuge places",
        defaults={"definition": "Places.", "unit": "places", "better": "higher", "source": "KCC"},
    )[0]
    IndicatorValue.objects.create(indicator=indicator, period="year", period_start=datetime.date(2024, 1, 1),
                                  value=Decimal("4321"))
    return "4321"


def post_update(draft, action):
    # Created on its own: posting through the action would change the action too.
    ActionUpdate.objects.create(action=action, date=datetime.date(2024, 11, 1), progress="Refuges opened",
                                status="on_target")
    return "Refuges opened"


def make_lagging(draft, action):
    action.status, action.status_reason = "lagging", "Waiting for funding"
    action.save()
    return "Lagging: Waiting for funding"


def rename_priority(draft, action):
    priority = action.priority
    priority.name = "Domestic Abuse and Stalking"
    priority.save()
    return "Domestic Abuse and Stalking"


def rename_theme(draft, action):
    theme = draft.themes.first()
    theme.name = "Working with communities"
    theme.save()
    return "Working with communities"


@pytest.mark.parametrize("change", [post_update, make_lagging, add_indicator_value, rename_priority, rename_theme])
def test_a_change_to_what_the_report_shows_is_shown_at_once(client, draft, kcst, own_action, change):
    Indicator.objects.create(agreement=draft.agreement, priority_key="domestic-abuse", name="Refuge places",
                             definition="Places.", unit="places", better="higher", source="KCC")
    client.force_login(kcst)
    report_of(client, draft)
    shown = change(draft, own_action)
    assert shown in report_of(client, draft)


def test_the_report_kept_for_one_edition_is_not_shown_for_another(client, kent, draft, kcst, own_action):
    client.force_login(kcst)
    assert own_action.title in report_of(client, draft)
    assert own_action.title not in report_of(client, kent.versions.get(number="1.0"))


def test_the_report_kept_without_a_date_is_not_shown_for_one(client, draft, kcst, own_action):
    for day, text in [(datetime.date(2024, 9, 1), "Before the meeting"), (datetime.date(2024, 11, 1), "After it")]:
        own_action.post_update(ActionUpdate(date=day, progress=text, status="on_target"))
    client.force_login(kcst)
    assert "Before the meeting" in report_of(client, draft)
    assert "Before the meeting" not in report_of(client, draft, since="2024-10-10")


def test_the_report_kept_yesterday_is_built_again_today(client, draft, kcst, own_action):
    # Due on 31 March: two hours apart, well within the time a report is kept (the days are London's).
    london = ZoneInfo("Europe/London")
    for moment, overdue in [(datetime.datetime(2025, 3, 31, 23, tzinfo=london), False),
                            (datetime.datetime(2025, 4, 1, 1, tzinfo=london), True)]:
        with time_machine.travel(moment, tick=False):
            client.force_login(kcst)  # a session of the day travelled to
            assert ("No action is overdue or lagging." not in report_of(client, draft)) == overdue


def test_the_chart_and_its_table_carry_the_same_numbers(client, kent, draft, kcst):
    indicator = Indicator.objects.create(
        agreement=kent, priority_key="domestic-abuse", name="Domestic abuse incidents", definition="Recorded.",
        unit="incidents", better="lower", source="Kent Police",
    )
    for month, value in [(4, "120"), (7, "95.5"), (10, "101")]:
        IndicatorValue.objects.create(indicator=indicator, period="quarter", period_start=datetime.date(2024, month, 1),
                                      value=Decimal(value))
    drawn = chart(indicator)
    svg_numbers = re.findall(r'<text class="value"[^>]*>([^<]+)</text>', drawn.svg)
    assert svg_numbers == ["120", "95.5", "101"]
    client.force_login(kcst)
    page = client.get(reverse("delivery:monitoring", args=["kent", draft.number])).content.decode()
    table = page.split('class="table indicator-table"')[1].split("</table>")[0]
    assert re.findall(r"<td>([^<]+)</td>", table) == svg_numbers
    assert re.findall(r'<th scope="row">([^<]+)</th>', table) == ["Q2 2024", "Q3 2024", "Q4 2024"]
    assert "<title" in drawn.svg and "<desc" in drawn.svg


def test_the_refresh_carries_open_actions_and_leaves_closed_ones_behind(kent, draft):
    source = mark_published(draft)
    make_action(source, title="Still running")
    make_action(source, title="Finished", status="complete")
    make_action(source, title="Dropped", status="withdrawn")

    new = start_next_refresh(kent)

    carried = new.actions.get()
    assert carried.title == "Still running"
    assert carried.priority == new.priorities.get(key="domestic-abuse")
    assert carried.carried_from.edition == source
    assert source.actions.count() == 3


def test_actions_stay_editable_once_the_edition_is_published(draft, lead):
    action = make_action(draft)
    mark_published(draft)
    action.refresh_from_db()
    action.post_update(ActionUpdate(progress="Done", status="complete", posted_by=lead))
    action.refresh_from_db()
    assert action.status == "complete"


def test_kcst_staff_may_change_actions_in_the_admin(kcst):
    from django.contrib.auth.models import Group

    assert Group.objects.get(name="KCST staff").permissions.filter(codename="change_action").exists()
