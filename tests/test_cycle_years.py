"""Cycles entered for the year they were: back-dated cycles, category lists chosen, the partnerships of the year."""

import datetime

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from assessments.cycles import open_cycle
from assessments.management.commands.send_return_reminders import Command as Reminders
from assessments.models import AssessmentCycle, Category, Partnership

from .admin_forms import add_rows, change_page_data, row_index

TODAY = timezone.localdate


def back_dated(kent, label="2016-17", **kwargs):
    return open_cycle(kent, label, due_on=datetime.date(2017, 1, 31), opens_on=datetime.date(2016, 11, 1), **kwargs)


def test_a_back_dated_cycle_is_recorded_history_with_nothing_late(kent, kcst):
    cycle = back_dated(kent, categories_from=None)
    assert cycle.recorded_history
    assessment_return = cycle.returns.first()
    assert not assessment_return.is_late
    Category.objects.create(cycle=cycle, key="prevent", name="Prevent")
    assessment_return.items.create(category=cycle.categories.get(), kind="main")
    assessment_return.submit(kcst)
    assert not assessment_return.is_late
    assert not assessment_return.events.get().note


def test_a_cycle_due_in_the_future_is_not_recorded_history(cycle_2024):
    assert not cycle_2024.recorded_history


def test_no_reminder_is_sent_for_recorded_history(kent, monkeypatch):
    cycle = open_cycle(kent, "2019-20", due_on=TODAY() + datetime.timedelta(days=3))
    assert len(Reminders().returns_due(cycle.due_on)) == cycle.returns.count() > 0
    cycle.recorded_history = True
    cycle.save()
    assert Reminders().returns_due(cycle.due_on) == []


def test_a_new_cycle_starts_from_the_categories_kcst_chooses_or_none(kent):
    chosen = AssessmentCycle.objects.get(agreement=kent, label="2023-24")
    copied = back_dated(kent, categories_from=chosen)
    assert list(copied.categories.values_list("key", "name", "order")) == list(
        chosen.categories.values_list("key", "name", "order")
    )
    assert not back_dated(kent, "2015-16", categories_from=None).categories.exists()


def test_by_default_a_back_dated_cycle_copies_the_cycle_before_it_not_the_newest(kent, cycle_2024):
    older = back_dated(kent, "2015-16", categories_from=None)
    Category.objects.create(cycle=older, key="prevent", name="Prevent")
    newer_back_dated = open_cycle(kent, "2016-17", due_on=datetime.date(2017, 1, 31), opens_on=datetime.date(2016, 11, 1))
    assert list(newer_back_dated.categories.values_list("key", flat=True)) == ["prevent"]


def test_the_open_cycle_command_takes_the_category_list_to_start_from(kent):
    call_command("open_cycle", "kent", "2016-17", "--due", "2017-01-31", "--opens", "2016-11-01",
                 "--categories-from", "none")
    assert not AssessmentCycle.objects.get(label="2016-17").categories.exists()
    call_command("open_cycle", "kent", "2018-19", "--due", "2019-01-31", "--opens", "2018-11-01",
                 "--categories-from", "2023-24")
    assert AssessmentCycle.objects.get(label="2018-19").categories.count() == (
        AssessmentCycle.objects.get(label="2023-24").categories.count()
    )


def test_returns_are_opened_for_the_partnerships_of_the_cycles_year(kent):
    # Kent's data holds the split year: the joint partnership's last year is 2017, the two new ones start in 2018.
    joint = Partnership.objects.get(agreement=kent, active_to__isnull=False)
    earlier = back_dated(kent, categories_from=None)
    later = open_cycle(kent, "2018-19", due_on=datetime.date(2019, 1, 31), opens_on=datetime.date(2018, 11, 1),
                       categories_from=None)
    assert earlier.returns.count() == 11 and earlier.returns.filter(partnership=joint).exists()
    assert later.returns.count() == 12 and not later.returns.filter(partnership=joint).exists()


def test_a_rename_kcst_enters_in_the_admin_keeps_the_partnership_and_its_former_name(client, kcst, kent):
    swale = Partnership.objects.get(agreement=kent, slug="swale")
    client.force_login(kcst)
    url = reverse("admin:assessments_partnership_change", args=[swale.pk])
    data = add_rows(change_page_data(client.get(url)), "former_names",
                    [{"name": "Swale Community Safety Partnership", "until": "2019"}])
    data["name"] = "Sittingbourne and Sheppey Community Safety Partnership"
    assert client.post(url, data).status_code == 302
    old_year = back_dated(kent, "2019-20", categories_from=None)
    new_year = open_cycle(kent, "2020-21", due_on=datetime.date(2021, 1, 31), opens_on=datetime.date(2020, 11, 1),
                          categories_from=None)
    assert old_year.returns.get(partnership=swale).partnership_name == (
        "Swale Community Safety Partnership (now Sittingbourne and Sheppey Community Safety Partnership)")
    assert new_year.returns.get(partnership=swale).partnership_name == swale.name.replace("Swale", "Sittingbourne and Sheppey")


@pytest.fixture
def cycle_page(client, kcst, cycle_2024):
    client.force_login(kcst)
    url = reverse("admin:assessments_assessmentcycle_change", args=[cycle_2024.pk])
    return url, change_page_data(client.get(url))


def test_swapping_two_category_keys_is_a_form_error_not_a_server_error(client, cycle_2024, cycle_page):
    url, data = cycle_page
    first, second = cycle_2024.categories.order_by("order")[:2]
    data[f"categories-{row_index(data, 'categories', first)}-key"] = second.key
    data[f"categories-{row_index(data, 'categories', second)}-key"] = first.key
    response = client.post(url, data)
    assert response.status_code == 200
    assert f"The key “{second.key}” still belongs to {second.name} until this save" in response.content.decode()
    assert cycle_2024.categories.get(pk=first.pk).key == first.key


@pytest.mark.parametrize("field, what", [("name", "name"), ("order", "position")])
def test_two_categories_with_one_name_or_position_is_a_form_error(client, cycle_2024, cycle_page, field, what):
    url, data = cycle_page
    first, second = cycle_2024.categories.order_by("order")[:2]
    data[f"categories-{row_index(data, 'categories', second)}-{field}"] = getattr(first, field)
    response = client.post(url, data)
    assert f"Two categories have the {what} “{getattr(first, field)}”" in response.content.decode()
    assert getattr(cycle_2024.categories.get(pk=second.pk), field) == getattr(second, field)


def test_the_category_list_saves_a_reorder(client, cycle_2024, cycle_page):
    url, data = cycle_page
    first, second = cycle_2024.categories.order_by("order")[:2]
    data[f"categories-{row_index(data, 'categories', first)}-order"] = second.order
    data[f"categories-{row_index(data, 'categories', second)}-order"] = first.order
    assert client.post(url, data).status_code == 302
    assert list(cycle_2024.categories.order_by("order")[:2]) == [second, first]


def test_kcst_chooses_the_category_list_on_the_open_cycle_page(client, kcst, kent):
    client.force_login(kcst)
    chosen = AssessmentCycle.objects.get(agreement=kent, label="2017-18")
    page = client.get(reverse("portal:cycle-open")).content.decode()
    assert "No cycle: start with an empty list" in page
    for label, source, expected in (("2016-17", chosen.pk, chosen.categories.count()), ("2015-16", "", 0)):
        response = client.post(reverse("portal:cycle-open"), {
            "agreement": kent.pk, "label": label, "opens_on": "2016-11-01", "due_on": "2017-01-31",
            "categories_from": source,
        })
        assert response.status_code == 302
        cycle = AssessmentCycle.objects.get(agreement=kent, label=label)
        assert (cycle.categories.count(), cycle.recorded_history) == (expected, True)
