"""KCST opens a cycle, sees at a glance who has submitted and who is late, and reminds the rest."""

import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from agreements.stamps import stamp
from assessments.cycles import CycleRefused, open_cycle
from assessments.models import RETURN_SOURCES, AssessmentCycle, AssessmentReturn, Partnership, ReturnItem

TODAY = timezone.localdate


@pytest.fixture
def kcst_client(client, kcst):
    client.force_login(kcst)
    return client


def submit(r, user):
    ReturnItem.objects.create(assessment_return=r, own_wording="An issue", kind="main")
    r.submit(user)


def test_opening_a_cycle_creates_a_draft_return_for_every_current_partnership(kent):
    cycle = open_cycle(kent, "2024-25", due_on=TODAY() + datetime.timedelta(days=30))
    current = Partnership.objects.filter(active_to__isnull=True)
    assert sorted(cycle.returns.values_list("partnership__slug", flat=True)) == sorted(current.values_list("slug", flat=True))
    assert "dartford-gravesham" not in set(cycle.returns.values_list("partnership__slug", flat=True))
    assert set(cycle.returns.values_list("status", flat=True)) == {"draft"}
    # The category list starts as a copy of the previous cycle's, matched by key.
    previous = AssessmentCycle.objects.get(label="2023-24")
    assert list(cycle.categories.values_list("key", "name")) == list(previous.categories.values_list("key", "name"))
    assert cycle.is_open


def test_a_cycle_cannot_be_opened_twice(kent, cycle_2024):
    with pytest.raises(CycleRefused, match="already open"):
        open_cycle(kent, "2024-25", due_on=TODAY())
    assert cycle_2024.returns.count() == 12


def test_kcst_opens_a_cycle_from_its_page(kcst_client, kent):
    response = kcst_client.post(reverse("portal:cycle-open"), {
        "agreement": kent.pk, "label": "2024-25", "opens_on": TODAY().isoformat(),
        "due_on": (TODAY() + datetime.timedelta(days=60)).isoformat(),
    })
    cycle = AssessmentCycle.objects.get(label="2024-25")
    assert response["Location"] == reverse("portal:cycle", args=[cycle.pk])
    assert cycle.returns.count() == 12


def test_the_open_cycle_page_explains_each_mistake(kcst_client, kent, cycle_2024):
    response = kcst_client.post(reverse("portal:cycle-open"), {
        "agreement": kent.pk, "label": "2024-25", "opens_on": "2025-02-01", "due_on": "2025-01-31",
    })
    page = response.content.decode()
    assert page.split("<title>")[1].startswith("Error: ")
    assert '<a href="#id_label">The 2024-25 cycle is already open</a>' in page
    assert '<a href="#id_due_on">The due date must be on or after the opening date</a>' in page
    response = kcst_client.post(reverse("portal:cycle-open"), {"agreement": kent.pk, "label": "2025",
                                                               "opens_on": "", "due_on": ""})
    assert "Write the cycle like 2024-25" in response.content.decode()
    assert AssessmentCycle.objects.filter(agreement=kent).count() == 3


def test_the_open_cycle_command_opens_once_and_then_does_nothing(kent):
    out = io.StringIO()
    call_command("open_cycle", "kent", "2024-25", "--due", "2025-01-31", "--opens", "2024-09-01", stdout=out)
    assert "12 draft returns" in out.getvalue()
    cycle = AssessmentCycle.objects.get(label="2024-25")
    assert (cycle.opens_on, cycle.due_on) == (datetime.date(2024, 9, 1), datetime.date(2025, 1, 31))
    out = io.StringIO()
    call_command("open_cycle", "kent", "2024-25", "--due-in-days", "60", stdout=out)
    assert "already open: nothing was changed" in out.getvalue()
    assert AssessmentCycle.objects.get(label="2024-25").due_on == datetime.date(2025, 1, 31)


def test_the_open_cycle_command_refuses_bad_input(kent):
    with pytest.raises(CommandError, match="no agreement"):
        call_command("open_cycle", "nowhere", "2024-25", "--due", "2025-01-31")
    with pytest.raises(CommandError, match="not a date"):
        call_command("open_cycle", "kent", "2024-25", "--due", "31/01/2025")
    with pytest.raises(CommandError, match="before the opening date"):
        call_command("open_cycle", "kent", "2024-25", "--due", "2020-01-31")
    assert not AssessmentCycle.objects.filter(label="2024-25").exists()


def test_the_dashboard_shows_each_partnerships_status_last_change_and_lateness(
        kcst_client, cycle_2024, ashford_return, canterbury_return, officer_a, officer_b, django_assert_max_num_queries):
    submit(ashford_return, officer_a)
    # Ashford submitted two days ago, on time; the due date was yesterday; Canterbury submits today.
    AssessmentReturn.objects.filter(pk=ashford_return.pk).update(submitted_at=timezone.now() - datetime.timedelta(days=2))
    cycle_2024.due_on = TODAY() - datetime.timedelta(days=1)
    cycle_2024.save()
    submit(canterbury_return, officer_b)
    # One of them reads the two-factor device KCST's session was verified with (django-otp's middleware).
    # The stamp's statement is prepared once per connection, as a worker's is after its first request:
    # otherwise whether this test prepares it depends on which tests ran before it.
    stamp(RETURN_SOURCES)
    with django_assert_max_num_queries(11):
        response = kcst_client.get(reverse("portal:cycle", args=[cycle_2024.pk]))
    page = response.content.decode()
    rows = {r.partnership.slug: r for r in response.context["progress"].returns}
    assert len(rows) == 12
    assert not rows["ashford"].is_late and rows["canterbury"].is_late and rows["dover"].is_late
    assert "2 of 12 submitted, 11 late" in page
    assert reverse("portal:review", args=[ashford_return.pk]) in page
    assert f"{ashford_return.updated_at.astimezone(timezone.get_current_timezone()):%-d %b %Y}" in page


def test_the_kcst_home_lists_every_cycle(kcst_client, cycle_2024):
    page = kcst_client.get(reverse("portal:kcst")).content.decode()
    for label in ("2017-18", "2023-24", "2024-25"):
        assert label in page
    assert "11 of 11" in page and "0 of 12" in page


def test_reminders_go_to_partnerships_not_yet_submitted_n_days_before_the_due_date(
        kent, officer_a, officer_b, mailoutbox):
    cycle = open_cycle(kent, "2024-25", due_on=TODAY() + datetime.timedelta(days=7))
    submit(cycle.returns.get(partnership__slug="canterbury"), officer_b)
    out = io.StringIO()
    call_command("send_return_reminders", "--days", "7", stdout=out, stderr=io.StringIO())
    assert [m.to for m in mailoutbox] == [[officer_a.email]]
    assert "due in 7 days" in mailoutbox[0].subject
    assert "Reminded 1 of 11" in out.getvalue()


def test_no_reminder_on_other_days(kent, officer_a, mailoutbox):
    open_cycle(kent, "2024-25", due_on=TODAY() + datetime.timedelta(days=8))
    call_command("send_return_reminders", "--days", "7", stdout=io.StringIO(), stderr=io.StringIO())
    assert not mailoutbox


def test_reminders_refuse_a_negative_number_of_days():
    with pytest.raises(CommandError):
        call_command("send_return_reminders", "--days", "-1")


def late_cycle(kent):
    """A cycle opened while its returns were still to come, whose due date has since passed."""
    cycle = open_cycle(kent, "2024-25", due_on=TODAY() + datetime.timedelta(days=28))
    cycle.due_on = TODAY() - datetime.timedelta(days=2)
    cycle.save()
    return cycle


def test_kcst_sends_a_reminder_beside_a_late_return_and_it_is_recorded(kcst_client, kcst, kent, officer_a,
                                                                      officer_b, mailoutbox):
    cycle = late_cycle(kent)
    ashford = cycle.returns.get(partnership__slug="ashford")
    canterbury = cycle.returns.get(partnership__slug="canterbury")
    submit(canterbury, officer_b)
    page = kcst_client.get(reverse("portal:cycle", args=[cycle.pk])).content.decode()
    remind = reverse("portal:remind", args=[ashford.pk])
    assert remind in page
    # A late return already submitted needs no reminder.
    assert reverse("portal:remind", args=[canterbury.pk]) not in page
    assert officer_a.email in kcst_client.get(remind).content.decode()
    response = kcst_client.post(remind, follow=True)
    assert "Reminder sent to 1 address(es) of the Ashford" in response.content.decode()
    assert [m.to for m in mailoutbox] == [[officer_a.email]]
    assert "was due on" in mailoutbox[0].subject
    event = ashford.events.get()
    assert (event.action, event.by) == ("reminded", kcst)
    assert "Reminded that it is late" in kcst_client.get(reverse("portal:review", args=[ashford.pk])).content.decode()


def test_a_submitted_return_is_not_reminded(kcst_client, kent, officer_b, mailoutbox):
    cycle = late_cycle(kent)
    canterbury = cycle.returns.get(partnership__slug="canterbury")
    submit(canterbury, officer_b)
    response = kcst_client.post(reverse("portal:remind", args=[canterbury.pk]), follow=True)
    assert "Only a late return that has not been submitted can be reminded." in response.content.decode()
    assert mailoutbox == [] and not canterbury.events.filter(action="reminded").exists()
