"""Only an officer trusted with it records that the local CSP agreed the return; who and when are kept."""

import pytest
from django.urls import reverse

from assessments.models import AssessmentReturn, ReturnRefused


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
