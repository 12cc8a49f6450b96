"""The March 2017 annual review of the Kent agreement 2014-17, built from fixtures/kent-2014-17
and the KCSP report of 15 March 2017 (fixtures/sources/kcsp-2017-03-15-agenda.txt)."""

import datetime
import json

import pytest

from django.conf import settings

from agreements import roles
from agreements.interchange import load_edition
from agreements.models import Agreement
from annual_review.models import AnnualReview, Proposal, Recommendation
from annual_review.workflow import record_decision, send_for_review, start_review
from assessments.loading import load_cycle, load_partnerships

FOLDER = settings.BASE_DIR / "fixtures" / "kent-2014-17"

# Section 4 of the report: the proposed priorities and cross-cutting themes.
PROPOSED_PRIORITIES = ["Anti-Social Behaviour", "Domestic Abuse", "Substance Misuse", "Safeguarding Vulnerable People",
                       "Serious and Organised Crime", "Road Safety"]
PROPOSED_THEMES = ["Early intervention, prevention & education", "Reducing re-offending and supporting victims",
                   "Improving quality of life and enhancing community resilience"]
CURRENT_PRIORITIES = ["Anti-Social Behaviour", "Domestic Abuse", "Substance Misuse", "Safeguarding",
                      "Serious and Organised Crime", "Road Safety"]
CURRENT_THEMES = ["Early intervention, prevention & education", "Reducing Re-Offending",
                  "Safeguarding Children & Young People", "Supporting Victims and Vulnerable Households / Individuals"]
RECOMMENDATIONS = [
    "The Kent Community Safety Partnership (KCSP) is asked to agree the priorities and cross-cutting themes within "
    "the attached draft Community Safety Agreement, although this is subject to the final outcomes of the "
    "district/borough strategic assessments and any additional partnership feedback.",
    "The group are asked to agree that the Community Safety Agreement be a rolling document with a refresh of the "
    "relevant chapters on an annual basis.",
]


def read(name: str) -> dict:
    return json.loads((FOLDER / name).read_text(encoding="utf-8"))


def load_kent_2014_17() -> Agreement:
    """The agreement as the March 2017 review found it: edition 0.2 (after the March 2016 review)
    and the 2017-18 returns."""
    meta = read("agreement.json")
    agreement = Agreement.objects.create(**meta["agreement"])
    load_partnerships(agreement, meta)
    load_edition(agreement, read("0.2.json"))
    load_cycle(agreement, read("returns-2017-18.json"), meta.get("partnership_aliases", {}))
    return agreement


def kcst_of(agreement: Agreement, username: str = "kcst-2017"):
    from .conftest import make_user

    return make_user(username, roles.KCST_STAFF, agreement, is_staff=True)


def propose_as_in_2017(review: AnnualReview) -> None:
    """Section 4 of the report as proposals."""
    def add(item, action, keys, names="", reasoning="", cited=()):
        proposal = Proposal(review=review, item=item, action=action, current_keys=list(keys), new_names=names,
                            reasoning_html=reasoning, cited_categories=list(cited), order=review.proposals.count())
        proposal.full_clean()
        proposal.save()
        return proposal

    priority, theme = Proposal.Item.PRIORITY, Proposal.Item.THEME
    add(priority, Proposal.Action.EXPAND, ["safeguarding-vulnerable-people"], "Safeguarding Vulnerable People",
        "<p>A stronger emphasis on <strong>supporting vulnerable people</strong>, including those with mental "
        "health concerns.</p>", cited=["victims-vulnerable-people", "safeguarding"])
    add(theme, Proposal.Action.RETAIN, ["early-intervention"], reasoning="<p>Early intervention remains key.</p>")
    add(theme, Proposal.Action.EXPAND, ["reoffending-victims"], "Reducing re-offending and supporting victims",
        "<p>Reducing re-offending expanded to incorporate supporting victims.</p>")
    add(theme, Proposal.Action.MERGE, ["safeguarding-children", "supporting-victims"],
        "Improving quality of life and enhancing community resilience",
        "<p>Replaced with a more inclusive theme, since safeguarding vulnerable people is a main priority.</p>")


def review_2017(agreement: Agreement, kcst) -> AnnualReview:
    review = start_review(agreement, agreement.cycles.get(label="2017-18"), kcst)
    review.by_line = "Shafick Peerbux, Head of Community Safety (Kent County Council)"
    review.to_line = "Kent Community Safety Partnership – 15th March 2017"
    review.subject = "Kent Community Safety Agreement Update"
    review.summary_html = ("<p>This report includes the annual review of the Kent Community Safety Agreement "
                           "priorities including recommendations.</p>")
    review.attachments = "Appendix A: Draft Community Safety Agreement - April 2017"
    review.save()
    propose_as_in_2017(review)
    for i, text in enumerate(RECOMMENDATIONS):
        recommendation = Recommendation.objects.create(review=review, text=text, order=i)
        if i == 0:
            recommendation.proposals.set(review.proposals.all())
    review.refresh_from_db()
    return review


def decide(review: AnnualReview, kcst, answers=None):
    send_for_review(review, kcst)
    review.refresh_from_db()
    recommendations = review.recommendations.all()
    answers = answers or {r.pk: ("agreed", "") for r in recommendations}
    decision = record_decision(review, kcst, datetime.date(2017, 3, 15),
                               "RESOLVED that the priorities and cross-cutting themes be agreed.", answers)
    review.refresh_from_db()
    return decision


# Fixtures for the test modules that import them.
@pytest.fixture
def agreement(kent):
    return load_kent_2014_17()


@pytest.fixture
def kcst_2017(agreement):
    return kcst_of(agreement)


@pytest.fixture
def review(agreement, kcst_2017):
    return review_2017(agreement, kcst_2017)
