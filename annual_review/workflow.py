"""The life of a review: created for a cycle, sent to the Working Group and KCSP, decided, published.

Each step checks who may take it and when, and is the only code that moves a review's status.
"""

from __future__ import annotations

import datetime

from django.db import IntegrityError, transaction

from agreements.models import Agreement
from agreements.roles import is_kcst
from assessments.models import AssessmentCycle

from .models import AnnualReview, Decision, Outcome, Proposal, Recommendation


class ReviewRefused(Exception):
    pass


def _kcst_only(user, review: AnnualReview) -> None:
    if not is_kcst(user, review.agreement_id):
        raise ReviewRefused("Only the agreement's KCST staff can do this.")


def start_review(agreement: Agreement, cycle: AssessmentCycle, by) -> AnnualReview:
    """A review of the edition in force, for the cycle whose returns it weighs."""
    if not is_kcst(by, agreement.pk):
        raise ReviewRefused("Only the agreement's KCST staff can start an annual review.")
    if cycle.agreement_id != agreement.pk:
        raise ReviewRefused("Choose a cycle of this agreement.")
    edition = agreement.latest_published()
    if edition is None:
        raise ReviewRefused(f"The {agreement.name} has no published edition to review.")
    try:
        with transaction.atomic():
            return AnnualReview.objects.create(
                agreement=agreement, cycle=cycle, edition=edition, created_by=by,
                to_line=f"{agreement.area} Community Safety Partnership",
                subject=f"{agreement.name} Update",
            )
    except IntegrityError:
        raise ReviewRefused(f"The {agreement.name} already has an annual review for {cycle.label}.") from None


def _move(review: AnnualReview, sources: tuple[str, ...], to: str) -> None:
    review = AnnualReview.objects.select_for_update().get(pk=review.pk)
    if review.status not in sources:
        raise ReviewRefused(f"The {review.title} is {review.get_status_display().lower()}: this step is not open.")
    review.status = to
    review._moving = True
    review.save(update_fields=["status"])


def send_for_review(review: AnnualReview, by) -> None:
    _kcst_only(by, review)
    if not review.recommendations.exists():
        raise ReviewRefused("Write at least one recommendation before sending the review to the KCSP.")
    with transaction.atomic():
        _move(review, (AnnualReview.Status.DRAFT,), AnnualReview.Status.IN_REVIEW)


def back_to_draft(review: AnnualReview, by) -> None:
    _kcst_only(by, review)
    with transaction.atomic():
        _move(review, (AnnualReview.Status.IN_REVIEW,), AnnualReview.Status.DRAFT)


def record_decision(review: AnnualReview, by, meeting_date: datetime.date, minute: str,
                    answers: dict[int, tuple[str, str]]) -> Decision:
    """answers: for each recommendation's id, (answer, amendment). Every recommendation is answered."""
    _kcst_only(by, review)
    recommendations = list(review.recommendations.all())
    missing = [f"recommendation {i}" for i, r in enumerate(recommendations, 1) if r.pk not in answers]
    if missing:
        raise ReviewRefused(f"Record the KCSP's answer to {', '.join(missing)}.")
    for i, recommendation in enumerate(recommendations, 1):
        answer, amendment = answers[recommendation.pk]
        if answer == Outcome.Answer.AMENDED and not amendment.strip():
            raise ReviewRefused(f"Write the amendment the KCSP made to recommendation {i}.")
    with transaction.atomic():
        _move(review, (AnnualReview.Status.IN_REVIEW,), AnnualReview.Status.DECIDED)
        decision = Decision.objects.create(review=review, meeting_date=meeting_date, minute=minute, recorded_by=by)
        for recommendation in recommendations:
            answer, amendment = answers[recommendation.pk]
            Outcome.objects.create(decision=decision, recommendation=recommendation, answer=answer,
                                   amendment=amendment if answer == Outcome.Answer.AMENDED else "")
    return decision


def publish(review: AnnualReview, by) -> None:
    _kcst_only(by, review)
    with transaction.atomic():
        _move(review, (AnnualReview.Status.DECIDED,), AnnualReview.Status.PUBLISHED)


def prefill_recommendations(review: AnnualReview) -> list[Recommendation]:
    """One recommendation for the proposals on priorities and themes, KCST then edit the wording."""
    proposals = list(review.proposals.all())
    if not proposals or review.recommendations.exists():
        return list(review.recommendations.all())
    recommendation = Recommendation.objects.create(
        review=review, order=0,
        text=f"The {review.agreement.area} Community Safety Partnership is asked to agree the priorities and "
             "cross-cutting themes proposed in section 4.",
    )
    recommendation.proposals.set(proposals)
    return [recommendation]


def agreed_proposals(review: AnnualReview) -> list[Proposal]:
    """The proposals every recommendation naming them was agreed (as amended or not)."""
    decision = review.decision
    refused = {
        proposal.pk
        for outcome in decision.outcomes.select_related("recommendation").prefetch_related("recommendation__proposals")
        if not outcome.agreed
        for proposal in outcome.recommendation.proposals.all()
    }
    return [p for p in review.proposals.all() if p.pk not in refused]
