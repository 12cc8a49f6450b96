"""KCST reviews a submitted return: accepts it, or returns it for amendment with a reason."""

import pytest
from django.contrib.admin.sites import site
from django.urls import reverse

from agreements.models import StaleEdit
from assessments.models import AssessmentReturn, ReturnItem, ReturnRefused

from .test_portal import snapshot


@pytest.fixture
def submitted(ashford_return, officer_a):
    crime = ashford_return.cycle.categories.get(key="crime")
    ReturnItem.objects.create(assessment_return=ashford_return, category=crime, kind="main")
    ashford_return.submit(officer_a)
    ashford_return.refresh_from_db()
    return ashford_return


@pytest.fixture
def reviewer(client, kcst):
    client.force_login(kcst)
    return client


def review(client, r):
    return client.get(reverse("portal:review", args=[r.pk])).content.decode()


def test_kcst_accepts_a_submitted_return(reviewer, submitted, kcst):
    assert "Accept the return" in review(reviewer, submitted)
    response = reviewer.post(reverse("portal:accept", args=[submitted.pk]), {"revision": submitted.revision})
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == "accepted"
    assert [(e.action, e.by) for e in submitted.events.all()] == [("submitted", submitted.submitted_by),
                                                                  ("accepted", kcst)]


def test_kcst_returns_a_return_with_a_reason_the_officer_receives(reviewer, submitted, kcst, officer_a, mailoutbox):
    submitted.partnership.email = "csp@ashford.example"
    submitted.partnership.save()
    response = reviewer.post(reverse("portal:return-for-amendment", args=[submitted.pk]),
                             {"revision": submitted.revision, "reason": "Please class Crime as a main priority."},
                             follow=True)
    assert "The reason was e-mailed to 2 addresses." in response.content.decode()
    submitted.refresh_from_db()
    assert (submitted.status, submitted.returned_reason) == ("returned", "Please class Crime as a main priority.")
    (mail,) = mailoutbox
    assert sorted(mail.to) == ["csp@ashford.example", officer_a.email]
    assert "needs amending" in mail.subject
    assert "Please class Crime as a main priority." in mail.body
    assert reverse("portal:return", args=[submitted.pk]) in mail.body
    assert submitted.events.last().note == "Please class Crime as a main priority."


def test_returning_needs_a_reason(reviewer, submitted, mailoutbox):
    before = snapshot(submitted)
    response = reviewer.post(reverse("portal:return-for-amendment", args=[submitted.pk]),
                             {"revision": submitted.revision, "reason": ""})
    page = response.content.decode()
    assert page.split("<title>")[1].startswith("Error: ")
    assert '<a href="#id_reason">Give the reason the return needs amending</a>' in page
    assert snapshot(submitted) == before and not mailoutbox


def test_a_blank_reason_is_refused_by_the_model_too(submitted, kcst, mailoutbox):
    with pytest.raises(ReturnRefused):
        submitted.return_for_amendment(kcst, "   ")
    assert AssessmentReturn.objects.get(pk=submitted.pk).status == "submitted" and not mailoutbox


def test_a_draft_can_be_neither_accepted_nor_returned(reviewer, ashford_return, mailoutbox):
    page = review(reviewer, ashford_return)
    assert "Accept the return" not in page and "nothing to review yet" in page
    before = snapshot(ashford_return)
    response = reviewer.post(reverse("portal:accept", args=[ashford_return.pk]),
                             {"revision": ashford_return.revision}, follow=True)
    assert "cannot be accepted now" in response.content.decode()
    response = reviewer.post(reverse("portal:return-for-amendment", args=[ashford_return.pk]),
                             {"revision": ashford_return.revision, "reason": "No."})
    assert "cannot be returned for amendment now" in response.content.decode()
    assert snapshot(ashford_return) == before and not mailoutbox


def test_an_accepted_return_can_be_returned_but_not_accepted_again(submitted, kcst, mailoutbox):
    submitted.accept(kcst)
    with pytest.raises(ReturnRefused):
        submitted.accept(kcst)
    submitted.return_for_amendment(kcst, "Local sign-off changed the priorities.")
    assert submitted.status == "returned" and len(mailoutbox) == 1


def test_kcst_actions_refuse_a_stale_page(reviewer, submitted, superuser, mailoutbox):
    stale = submitted.revision
    submitted.return_for_amendment(superuser, "Someone else returned it first.")
    mailoutbox.clear()
    before = snapshot(submitted)
    response = reviewer.post(reverse("portal:accept", args=[submitted.pk]), {"revision": stale}, follow=True)
    assert "Someone else changed this" in response.content.decode()
    response = reviewer.post(reverse("portal:return-for-amendment", args=[submitted.pk]),
                             {"revision": stale, "reason": "Mine"})
    assert "Someone else changed this" in response.content.decode()
    assert snapshot(submitted) == before and not mailoutbox


def test_a_stale_copy_of_the_model_is_refused(submitted, kcst):
    copy = AssessmentReturn.objects.get(pk=submitted.pk)
    submitted.accept(kcst)
    with pytest.raises(StaleEdit):
        copy.return_for_amendment(kcst, "From an old copy.")
    assert AssessmentReturn.objects.get(pk=submitted.pk).status == "accepted"


def test_the_admin_action_accepts_through_the_same_rule(rf, submitted, canterbury_return, kcst):
    from django.contrib.messages.storage.fallback import FallbackStorage

    admin = site._registry[AssessmentReturn]
    request = rf.post("/")
    request.user = kcst
    request.session = {}
    request._messages = FallbackStorage(request)
    admin.accept_returns(request, AssessmentReturn.objects.filter(pk__in=[submitted.pk, canterbury_return.pk]))
    assert AssessmentReturn.objects.get(pk=submitted.pk).status == "accepted"
    assert AssessmentReturn.objects.get(pk=canterbury_return.pk).status == "draft"
    texts = [str(m) for m in request._messages]
    assert any("cannot be accepted now" in t for t in texts)


def test_the_admin_shows_workflow_fields_read_only(client, superuser, submitted):
    client.force_login(superuser)
    response = client.get(reverse("admin:assessments_assessmentreturn_change", args=[submitted.pk]))
    assert response.status_code == 200
    form_fields = response.context["adminform"].form.fields
    for name in ("status", "submitted_by", "submitted_at", "local_signoff", "signoff_confirmed_by"):
        assert name not in form_fields


def test_the_cycle_admin_action_creates_only_missing_returns(client, superuser, cycle_2024, ashford_return):
    ashford_return.delete()
    client.force_login(superuser)
    assert client.get(reverse("admin:assessments_assessmentcycle_change", args=[cycle_2024.pk])).status_code == 200
    response = client.post(reverse("admin:assessments_assessmentcycle_changelist"),
                           {"action": "create_missing_returns", "_selected_action": [cycle_2024.pk]}, follow=True)
    assert "2024-25: created 1 draft return(s)." in response.content.decode()
    assert cycle_2024.returns.count() == 12
