"""The review of a published edition is a record: the comparison its page showed at publication
is stored with it and shown afterwards, whatever happens later to the data or the comparing code."""

import pytest
from django.urls import reverse

from agreements.models import EditionFrozen
from assessments.models import AssessmentCycle
from review import marked
from review.models import PublishedComparison

from .test_published_final import publish

CHANGE = 'class="change change-'


def refuse(*args, **kwargs):
    raise AssertionError("the published review was compared again")


def test_the_published_review_shows_the_comparison_stored_at_publication(client, draft, kcst, monkeypatch):
    url = reverse("review", args=["kent", "8.0"])
    client.force_login(kcst)
    in_review = client.get(url).content.decode()
    published = publish(draft, kcst)
    category = AssessmentCycle.objects.get(version=published).categories.order_by("order").first()
    shown_name = category.name
    assert shown_name in in_review and in_review.count(CHANGE) > 0

    category.name = "Renamed after publication"
    category.save()
    monkeypatch.setattr(marked, "compare", refuse)
    monkeypatch.setattr(marked, "build_document", refuse)
    page = client.get(url).content.decode()

    assert "Renamed after publication" not in page and shown_name in page
    assert "Changes are marked against version 1.0" in page  # 2.0-7.0 are historical records
    assert page.count(CHANGE) == in_review.count(CHANGE)


def test_the_stored_comparison_is_kept_as_published(draft, kcst):
    comparison = PublishedComparison.objects.get(version=publish(draft, kcst))
    assert comparison.base.number == "1.0"
    for change in (comparison.save, comparison.delete):
        with pytest.raises(EditionFrozen, match="kept as published"):
            change()


def test_an_edition_loaded_as_past_keeps_no_comparison(kent):
    assert not PublishedComparison.objects.filter(version__agreement=kent).exists()
