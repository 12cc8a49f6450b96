"""An accepted return is kept as accepted: its issues, scores and events are not changed or deleted,
in code, the admin, the portal or an import; events are still added; a correction is a new record."""

import pytest
from django.db import transaction
from django.urls import reverse

from assessments import exports
from assessments.imports import ImportRefused, import_returns
from assessments.models import AssessmentReturn, MorileScore, ReturnEvent, ReturnItem, ReturnKept

from .test_portal import snapshot

KEPT = r"return of Ashford Community Safety Partnership 2024-25 is accepted"


@pytest.fixture
def accepted(ashford_return, officer_a, kcst):
    crime = ashford_return.cycle.categories.get(key="crime")
    ReturnItem.objects.create(assessment_return=ashford_return, category=crime, kind="main")
    MorileScore.objects.create(assessment_return=ashford_return, issue="Crime", harm=5, likelihood=5,
                               organisational_position=5)
    ashford_return.submit(officer_a)
    ashford_return.refresh_from_db()
    ashford_return.accept(kcst)
    ashford_return.refresh_from_db()
    return ashford_return


def changed(record, **fields):
    for name, value in fields.items():
        setattr(record, name, value)
    return record.save


def test_an_accepted_returns_issues_scores_events_and_itself_refuse_every_change_in_code(accepted):
    before = snapshot(accepted)
    item, score, event = accepted.items.get(), accepted.morile_scores.get(), accepted.events.last()
    events_before = list(accepted.events.values_list("pk", "action", "note"))
    changes = [
        changed(item, kind="cross_cutting"), item.delete, accepted.items.all().delete,
        lambda: accepted.items.update(note="Changed"),
        lambda: ReturnItem.objects.create(assessment_return=accepted, own_wording="Added later", kind="main"),
        changed(score, harm=9), score.delete, lambda: MorileScore.objects.filter(pk=score.pk).update(harm=9),
        changed(event, note="Rewritten"), event.delete, lambda: ReturnEvent.objects.filter(pk=event.pk).update(note="x"),
        accepted.delete, lambda: AssessmentReturn.objects.filter(pk=accepted.pk).update(description="Changed"),
        changed(AssessmentReturn.objects.get(pk=accepted.pk), description="Changed"),
    ]
    for change in changes:
        with pytest.raises(ReturnKept, match=KEPT), transaction.atomic():
            change()
    assert snapshot(accepted) == before
    assert list(accepted.events.values_list("pk", "action", "note")) == events_before


def test_events_are_still_added_and_the_local_signoff_still_recorded_after_acceptance(accepted, officer_a):
    assert accepted.is_provisional
    accepted.set_local_signoff(AssessmentReturn.LocalSignoff.AGREED, officer_a, None)
    assert AssessmentReturn.objects.get(pk=accepted.pk).is_agreed
    assert accepted.events.last().action == ReturnEvent.Action.SIGNED_OFF


def test_a_draft_returns_issues_still_change_and_go(ashford_return):
    item = ReturnItem.objects.create(assessment_return=ashford_return, own_wording="Draft issue", kind="main")
    item.kind = "cross_cutting"
    item.save()
    item.delete()
    assert not ashford_return.items.exists()


def test_the_portal_refuses_the_officer_changing_an_accepted_return(client, accepted, officer_a):
    before = snapshot(accepted)
    client.force_login(officer_a)
    item = accepted.items.get()
    client.post(reverse("portal:item-change", args=[accepted.pk, item.pk]),
                {"revision": accepted.revision, "own_wording": "Changed", "kind": "main"})
    client.post(reverse("portal:item-remove", args=[accepted.pk, item.pk]), {"revision": accepted.revision})
    assert snapshot(accepted) == before


def test_the_admin_opens_an_accepted_return_read_only_and_refuses_its_delete(client, superuser, accepted):
    before = snapshot(accepted)
    client.force_login(superuser)
    url = reverse("admin:assessments_assessmentreturn_change", args=[accepted.pk])
    page = client.get(url).content.decode()
    assert 'name="items-0-kind"' not in page and 'name="description"' not in page
    assert "Crime" in page
    assert client.post(url, {"description": "Changed", "items-TOTAL_FORMS": "0"}).status_code == 403
    delete_url = reverse("admin:assessments_assessmentreturn_delete", args=[accepted.pk])
    assert "is accepted" in client.get(delete_url).content.decode()
    client.post(delete_url, {"post": "yes"})
    assert snapshot(accepted) == before


def test_an_import_may_repeat_an_accepted_return_but_not_change_it(accepted, kcst):
    cycle = accepted.cycle
    import_returns(cycle, exports.csv_text(cycle).encode(), kcst)  # the same rows: nothing changes
    before = snapshot(accepted)
    changed_rows = exports.csv_text(cycle).replace(",main,", ",cross_cutting,")
    assert changed_rows != exports.csv_text(cycle)
    with pytest.raises(ImportRefused) as refusal:
        import_returns(cycle, changed_rows.encode(), kcst)
    assert refusal.value.errors == [
        "Row 2: the return of the Ashford Community Safety Partnership is accepted, so it is kept as accepted. "
        "Leave its rows out of the file, or correct it from its review page."
    ]
    assert snapshot(accepted) == before
