"""Annual reviews in the admin (KCST's own, editable while a draft, read-only once decided) and
the way to them from KCST's desk (issue 14)."""

import pytest
from django.test import Client
from django.urls import reverse

from annual_review.models import AnnualReview

from .admin_forms import change_page_data
from .annual_review_cast import (
    agreement,  # noqa: F401 (fixtures)
    decide,
    kcst_2017,  # noqa: F401
    review,  # noqa: F401
)

pytestmark = pytest.mark.django_db


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def change_url(review: AnnualReview) -> str:
    return reverse("admin:annual_review_annualreview_change", args=[review.pk])


def test_kcst_find_their_reviews_in_the_admin_and_edit_a_draft(review, kcst_2017):
    client = signed_in(kcst_2017)
    listing = client.get(reverse("admin:annual_review_annualreview_changelist")).content.decode()
    assert "Annual review 2017-18" in listing
    page = client.get(change_url(review))
    data = change_page_data(page)
    data["subject"] = "Community Safety Agreement Update 2017"
    response = client.post(change_url(review), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    review.refresh_from_db()
    assert review.subject == "Community Safety Agreement Update 2017"
    assert review.history.first().history_user == kcst_2017


def test_a_stale_admin_save_of_a_review_is_refused(review, kcst_2017):
    client = signed_in(kcst_2017)
    data = change_page_data(client.get(change_url(review)))
    review.summary_html = "<p>Changed meanwhile on the review's page.</p>"
    review.save()
    data["subject"] = "Overwritten?"
    response = client.post(change_url(review), data)
    assert response.status_code == 200
    assert "Someone else changed this annual review" in response.content.decode()
    review.refresh_from_db()
    assert review.subject != "Overwritten?"


def test_a_decided_review_is_read_only_in_the_admin(review, kcst_2017):
    decide(review, kcst_2017)
    client = signed_in(kcst_2017)
    page = client.get(change_url(review)).content.decode()
    assert 'name="_save"' not in page
    assert "RESOLVED that the priorities and cross-cutting themes be agreed." in page
    assert "Agreed" in page
    data = {"subject": "Changed after the decision"}
    assert client.post(change_url(review), data).status_code == 403
    review.refresh_from_db()
    assert review.subject == "Kent Community Safety Agreement Update"


def test_reviews_are_not_started_in_the_admin(review, kcst_2017):
    assert signed_in(kcst_2017).get(reverse("admin:annual_review_annualreview_add")).status_code == 403


def test_another_agreements_kcst_do_not_see_the_review_in_the_admin(review, kcst):
    client = signed_in(kcst)
    assert "Annual review 2017-18" not in client.get(
        reverse("admin:annual_review_annualreview_changelist")).content.decode()
    assert client.get(change_url(review)).status_code == 404


def test_the_desk_leads_kcst_to_their_open_reviews_and_to_the_reviews_list(review, kcst_2017, kcst):
    page = signed_in(kcst_2017).get(reverse("desk:kcst")).content.decode()
    assert f'<a href="{review.get_absolute_url()}">Annual review 2017-18, {review.agreement}</a>: Draft.' in page
    reviews = reverse("annual_review:reviews", args=[review.agreement.slug])
    assert f'<a href="{reviews}">All annual reviews of the {review.agreement.name}</a>' in page
    others = signed_in(kcst).get(reverse("desk:kcst")).content.decode()
    assert review.get_absolute_url() not in others and reviews not in others
