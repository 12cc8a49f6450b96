"""MoRiLE scores: each dimension stored as scored, ranked by one configurable function."""

from decimal import Decimal

import pytest
from django.test import override_settings
from django.urls import reverse

from assessments.models import MorileScore, ReturnItem
from assessments.morile import product, ranked, total


def score(issue, harm, likelihood, position, confidence="medium"):
    return MorileScore(issue=issue, harm=Decimal(harm), likelihood=Decimal(likelihood),
                       organisational_position=Decimal(position), confidence=confidence)


SCORES = [score("Gangs", 4, 2, 3), score("Modern slavery", 9, 1, 1), score("Domestic abuse", 5, 4, 2),
          score("Hate crime", 3, 3, 3)]


def test_the_default_rank_is_by_the_product_of_the_three_scores():
    assert [(rank, s.issue) for rank, s in ranked(SCORES)] == [
        (1, "Domestic abuse"), (2, "Hate crime"), (3, "Gangs"), (4, "Modern slavery"),
    ]
    assert product(SCORES[0]) == Decimal(24)


def test_equal_scores_share_a_rank():
    tied = [score("A", 2, 3, 1), score("B", 3, 2, 1), score("C", 1, 1, 1)]
    assert [(rank, s.issue) for rank, s in ranked(tied)] == [(1, "A"), (1, "B"), (3, "C")]


@override_settings(MORILE_RANK_FUNCTION="assessments.morile.total")
def test_the_rank_function_is_configurable():
    assert [(rank, s.issue) for rank, s in ranked(SCORES)] == [
        (1, "Modern slavery"), (1, "Domestic abuse"), (3, "Gangs"), (3, "Hate crime"),
    ]
    assert SCORES[1].rank_score == total(SCORES[1]) == Decimal(11)


@pytest.fixture
def officer(client, officer_a):
    client.force_login(officer_a)
    return client


def test_officer_records_a_morile_score_and_sees_its_rank(officer, ashford_return):
    ashford_return.save_part(
        ReturnItem(assessment_return=ashford_return, own_wording="Child sexual exploitation", kind="main"),
        ashford_return.revision,
    )
    response = officer.post(reverse("portal:morile-add", args=[ashford_return.pk]), {
        "revision": ashford_return.revision, "issue": "Child sexual exploitation", "harm": "8.5",
        "likelihood": "2", "organisational_position": "3", "confidence": "high", "scheme_name": "MoRiLE",
        "scheme_version": "Kent pilot 2016",
    })
    assert response.status_code == 302
    saved = ashford_return.morile_scores.get()
    assert (saved.harm, saved.confidence, saved.scheme_version) == (Decimal("8.5"), "high", "Kent pilot 2016")
    page = officer.get(reverse("portal:return", args=[ashford_return.pk])).content.decode()
    assert "Child sexual exploitation" in page and "Kent pilot 2016" in page


def test_morile_scores_are_checked(officer, ashford_return):
    response = officer.post(reverse("portal:morile-add", args=[ashford_return.pk]), {
        "revision": ashford_return.revision, "issue": "", "harm": "-1", "likelihood": "lots",
        "organisational_position": "2000", "confidence": "", "scheme_name": "MoRiLE", "scheme_version": "1",
    })
    page = response.content.decode()
    assert page.split("<title>")[1].startswith("Error: ")
    for field in ("issue", "harm", "likelihood", "organisational_position", "confidence"):
        assert f'<a href="#id_{field}">' in page, field
    assert not ashford_return.morile_scores.exists()
