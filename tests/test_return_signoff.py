"""Only an officer trusted with it records that the local CSP agreed the return; who and when are kept."""

import pytest
from django.urls import reverse

from assessments.models import AssessmentReturn, ReturnEvent, ReturnItem, ReturnRefused


def post_signoff(client, r, value):
    r.refresh_from_db()
    return client.post(reverse("portal:signoff", args=[r.pk]), {"revision": r.revision, "local_signoff": value})


def test_an_officer_who_may_confirm_records_agreement_with_who_and_when(client, officer_a, ashford_return):
    client.force_login(officer_a)
    assert post_signoff(client, ashford_return, "agreed").status_code == 302
    ashford_return.refresh_from_db()
    assert ashford_return.local_signoff == "agreed"
    assert ashford_return.signoff_confirmed_by == officer_a
    assert ashford_return.signoff_confirmed_at is not None
    page = client.get(reverse("portal:return", args=[ashford_return.pk])).content.decode()
    assert "Confirmed by officer-ashford" in page


def test_an_officer_without_the_role_cannot_record_agreement(client, officer_b, canterbury_return):
    client.force_login(officer_b)
    page = client.get(reverse("portal:signoff", args=[canterbury_return.pk])).content.decode()
    assert "Only an officer who may confirm" in page
    assert 'value="agreed"' not in page and 'value="provisional"' in page
    response = post_signoff(client, canterbury_return, "agreed")
    page = response.content.decode()
    assert page.split("<title>")[1].startswith("Error: ")
    assert '<a href="#id_local_signoff">You cannot record that the local CSP has agreed the return' in page
    canterbury_return.refresh_from_db()
    assert (canterbury_return.local_signoff, canterbury_return.signoff_confirmed_by) == ("provisional", None)


def test_the_model_refuses_agreement_from_an_officer_without_the_role(officer_b, canterbury_return):
    with pytest.raises(ReturnRefused):
        canterbury_return.set_local_signoff("agreed", officer_b, canterbury_return.revision)
    assert AssessmentReturn.objects.get(pk=canterbury_return.pk).local_signoff == "provisional"


def test_an_officer_of_another_partnership_cannot_confirm_even_with_the_role(officer_a, canterbury_return):
    with pytest.raises(ReturnRefused):
        canterbury_return.set_local_signoff("agreed", officer_a, canterbury_return.revision)


def test_going_back_to_provisional_clears_who_confirmed(client, officer_a, ashford_return):
    client.force_login(officer_a)
    post_signoff(client, ashford_return, "agreed")
    post_signoff(client, ashford_return, "provisional")
    ashford_return.refresh_from_db()
    assert (ashford_return.local_signoff, ashford_return.signoff_confirmed_by,
            ashford_return.signoff_confirmed_at) == ("provisional", None, None)


def test_a_sign_off_must_be_chosen(client, officer_a, ashford_return):
    client.force_login(officer_a)
    response = post_signoff(client, ashford_return, "")
    assert "Choose whether the local CSP has agreed the return" in response.content.decode()


@pytest.fixture
def submitted_ashford(officer_a, ashford_return):
    ReturnItem.objects.create(assessment_return=ashford_return, own_wording="Knife crime", kind="main")
    ashford_return.submit(officer_a, ashford_return.revision)
    return ashford_return


def test_sign_off_is_confirmed_after_submission_and_kcst_sees_it(client, officer_a, kcst, submitted_ashford):
    client.force_login(officer_a)
    page = client.get(reverse("portal:return", args=[submitted_ashford.pk])).content.decode()
    assert "Confirm the local sign-off" in page
    form = client.get(reverse("portal:signoff", args=[submitted_ashford.pk])).content.decode()
    # After submission the only step left is to confirm: going back to provisional is not offered.
    assert 'value="agreed"' in form and 'value="provisional"' not in form
    assert post_signoff(client, submitted_ashford, "agreed").status_code == 302
    submitted_ashford.refresh_from_db()
    assert (submitted_ashford.status, submitted_ashford.local_signoff) == ("submitted", "agreed")
    event = submitted_ashford.events.last()
    assert (event.action, event.by) == (ReturnEvent.Action.SIGNED_OFF, officer_a)
    client.force_login(kcst)
    review = client.get(reverse("portal:review", args=[submitted_ashford.pk])).content.decode()
    assert "Local sign-off confirmed" in review
    assert "Agreed by the local CSP" in review


def test_after_submission_an_officer_without_the_role_is_offered_nothing(client, officer_b, canterbury_return):
    ReturnItem.objects.create(assessment_return=canterbury_return, own_wording="Knife crime", kind="main")
    canterbury_return.submit(officer_b, canterbury_return.revision)
    client.force_login(officer_b)
    page = client.get(reverse("portal:signoff", args=[canterbury_return.pk])).content.decode()
    assert "Only an officer who may confirm" in page
    assert "Save local sign-off" not in page
    post_signoff(client, canterbury_return, "agreed")
    canterbury_return.refresh_from_db()
    assert canterbury_return.local_signoff == "provisional"


def test_a_submitted_return_cannot_go_back_to_provisional(client, officer_a, submitted_ashford):
    client.force_login(officer_a)
    post_signoff(client, submitted_ashford, "agreed")
    response = client.get(reverse("portal:signoff", args=[submitted_ashford.pk]))
    assert response.status_code == 302
    submitted_ashford.refresh_from_db()
    with pytest.raises(ReturnRefused):
        submitted_ashford.set_local_signoff("provisional", officer_a, submitted_ashford.revision)
    assert AssessmentReturn.objects.get(pk=submitted_ashford.pk).local_signoff == "agreed"
