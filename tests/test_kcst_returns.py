"""KCST's returns: the cycle's table filtered and sorted, the count awaiting review, the next and previous
return, and what an officer changed in a return since KCST returned it."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.models import AssessmentReturn, ReturnItem

from .test_cycle_dashboard import submit

TODAY = timezone.localdate


@pytest.fixture
def kcst_client(client, kcst):
    client.force_login(kcst)
    return client


@pytest.fixture
def three_states(cycle_2024, ashford_return, canterbury_return, officer_a, officer_b, kcst):
    """Ashford submitted on time and agreed; Canterbury submitted late; every other return late and a draft."""
    submit(ashford_return, officer_a)
    AssessmentReturn.objects.filter(pk=ashford_return.pk).update(
        submitted_at=timezone.now() - datetime.timedelta(days=2), local_signoff="agreed")
    cycle_2024.due_on = TODAY() - datetime.timedelta(days=1)
    cycle_2024.save()
    submit(canterbury_return, officer_b)
    return cycle_2024


def listed(kcst_client, cycle, **choices) -> list[str]:
    page = kcst_client.get(reverse("portal:cycle", args=[cycle.pk]), choices).content.decode()
    return re.findall(r'<td data-label="Partnership"><a href="/portal/kcst/returns/\d+/">([^<]+) Community Safety Partnership</a></td>', page)


def test_kcst_filters_the_returns_by_status_lateness_and_signoff(kcst_client, three_states):
    assert len(listed(kcst_client, three_states)) == 12
    assert listed(kcst_client, three_states, status="submitted") == ["Ashford", "Canterbury"]
    assert listed(kcst_client, three_states, status="submitted", late="yes") == ["Canterbury"]
    assert listed(kcst_client, three_states, late="no") == ["Ashford"]
    assert listed(kcst_client, three_states, signoff="agreed") == ["Ashford"]
    assert listed(kcst_client, three_states, status="accepted") == []


def test_kcst_sorts_the_returns(kcst_client, three_states):
    assert listed(kcst_client, three_states, sort="late")[-1] == "Ashford"
    assert listed(kcst_client, three_states, sort="status")[-2:] == ["Ashford", "Canterbury"]
    assert listed(kcst_client, three_states, sort="updated")[0] == "Canterbury"


def test_a_choice_not_offered_lists_every_return(kcst_client, three_states):
    assert len(listed(kcst_client, three_states, status="<script>", sort="pk")) == 12


def test_with_a_choice_not_offered_the_form_shows_that_every_return_is_listed(kcst_client, three_states):
    address = reverse("portal:cycle", args=[three_states.pk])
    assert '<option value="submitted" selected>' in kcst_client.get(address, {"status": "submitted"}).content.decode()
    page = kcst_client.get(address, {"status": "submitted", "sort": "pk"}).content.decode()
    assert len(re.findall(r'<td data-label="Partnership">', page)) == 12
    assert '<option value="submitted" selected>' not in page and '<option value="" selected>Any' in page


def test_the_table_counts_the_returns_awaiting_review(kcst_client, three_states):
    page = kcst_client.get(reverse("portal:cycle", args=[three_states.pk])).content.decode()
    assert "2 awaiting review" in page
    cycles = kcst_client.get(reverse("portal:kcst")).content.decode()
    assert f'?status=submitted">2<span class="visually-hidden"> {three_states.label} returns awaiting review' in cycles


def test_each_review_page_links_the_previous_and_the_next_return(kcst_client, cycle_2024):
    ashford, canterbury, dartford = cycle_2024.returns.order_by("partnership__name")[:3]
    page = kcst_client.get(reverse("portal:review", args=[canterbury.pk])).content.decode()
    assert f'href="{reverse("portal:review", args=[ashford.pk])}" rel="prev"' in page
    assert f'href="{reverse("portal:review", args=[dartford.pk])}" rel="next"' in page
    first = kcst_client.get(reverse("portal:review", args=[ashford.pk])).content.decode()
    assert 'rel="prev"' not in first and f'href="{reverse("portal:review", args=[canterbury.pk])}" rel="next"' in first


def test_a_resubmitted_return_shows_what_the_officer_changed_word_by_word(kcst_client, kcst, ashford_return, officer_a):
    categories = {c.key: c for c in ashford_return.cycle.categories.all()}
    for order, key in enumerate(["domestic-abuse", "vawg", "crime"]):
        ReturnItem.objects.create(assessment_return=ashford_return, category=categories[key], kind="main", order=order,
                                  note="Rising in the town centre" if key == "vawg" else "")
    ashford_return.submit(officer_a)
    ashford_return.refresh_from_db()
    ashford_return.return_for_amendment(kcst, "Say where VAWG is rising.")
    assert "What changed since it was returned" not in kcst_client.get(
        reverse("portal:review", args=[ashford_return.pk])).content.decode()

    ashford_return.refresh_from_db()
    vawg = ashford_return.items.get(category__key="vawg")
    vawg.note, vawg.kind = "Rising in <b>Ashford</b> town centre", "cross_cutting"
    ashford_return.save_part(vawg, ashford_return.revision)
    ashford_return.remove_part(ashford_return.items.get(category__key="crime"), ashford_return.revision)
    ashford_return.save_part(ReturnItem(assessment_return=ashford_return, category=categories["mental-health"],
                                        kind="within_theme"), ashford_return.revision)
    ashford_return.submit(officer_a, ashford_return.revision)

    page = kcst_client.get(reverse("portal:review", args=[ashford_return.pk])).content.decode()
    changes = page.split("What changed since it was returned")[1].split("Issues identified")[0]
    assert "<strong>Added:</strong> Mental Health" in changes and "issue within a broader theme" in changes
    assert "<strong>Removed:</strong> Crime" in changes
    assert "<strong>Changed:</strong> Violence Against Women and Girls (VAWG)" in changes
    assert "reclassified from main priority to cross-cutting theme or subsidiary priority" in changes
    assert "&lt;b&gt;Ashford&lt;/b&gt;" in changes and "<b>" not in changes
    assert re.search(r"<ins>.*&lt;b&gt;Ashford&lt;/b&gt;.*</ins>", changes)
    assert "Domestic Abuse" not in changes  # unchanged issues are not listed
