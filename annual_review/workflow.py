"""The life of a review: created for a cycle, sent to the Working Group and KCSP, decided, published.

Each step checks who may take it and when, and is the only code that moves a review's status.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from agreements.models import Agreement
from agreements.roles import is_kcst
from assessments.models import AssessmentCycle

from .models import AmendedProposal, AnnualReview, Decision, Outcome, Proposal, Recommendation


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
                    answers: dict[int, tuple[str, str]],
                    amended: dict[int, tuple[str, str]] | None = None) -> Decision:
    """answers: for each recommendation's id, (answer, amendment). Every recommendation is answered.

    amended: for a proposal the KCSP's amendment changes in data, its id -> (new names, includes-list),
    one a line, blank for what stays as proposed. Only a proposal of a recommendation agreed as
    amended can be amended, and its new names must fit its action."""
    _kcst_only(by, review)
    amended = amended or {}
    recommendations = list(review.recommendations.prefetch_related("proposals"))
    missing = [f"recommendation {i}" for i, r in enumerate(recommendations, 1) if r.pk not in answers]
    if missing:
        raise ReviewRefused(f"Record the KCSP's answer to {', '.join(missing)}.")
    for i, recommendation in enumerate(recommendations, 1):
        answer, amendment = answers[recommendation.pk]
        if answer == Outcome.Answer.AMENDED and not amendment.strip():
            raise ReviewRefused(f"Write the amendment the KCSP made to recommendation {i}.")
    amendable = {
        proposal.pk: proposal for recommendation in recommendations
        if answers[recommendation.pk][0] == Outcome.Answer.AMENDED for proposal in recommendation.proposals.all()
    }
    rows = [_amended_proposal(review, amendable, pk, names, includes) for pk, (names, includes) in amended.items()
            if names.strip() or includes.strip()]
    with transaction.atomic():
        _move(review, (AnnualReview.Status.IN_REVIEW,), AnnualReview.Status.DECIDED)
        decision = Decision.objects.create(review=review, meeting_date=meeting_date, minute=minute, recorded_by=by)
        for recommendation in recommendations:
            answer, amendment = answers[recommendation.pk]
            Outcome.objects.create(decision=decision, recommendation=recommendation, answer=answer,
                                   amendment=amendment if answer == Outcome.Answer.AMENDED else "")
        for row in rows:
            row.decision = decision
            row.save()
    return decision


def _amended_proposal(review: AnnualReview, amendable: dict[int, Proposal], pk: int, names: str,
                      includes: str) -> AmendedProposal:
    """The amendment of one proposal, checked as the proposal itself is."""
    proposal = amendable.get(pk)
    if proposal is None:
        named = review.proposals.filter(pk=pk).first()
        raise ReviewRefused(
            f"The proposal '{named.named if named else pk}' is not in a recommendation agreed as amended, so it "
            "cannot be amended."
        )
    row = AmendedProposal(proposal=proposal, new_names=names.strip(), new_includes=includes.strip())
    try:
        row.applied_to(proposal).clean()
    except ValidationError as error:
        raise ReviewRefused(f"The amended proposal '{proposal.named}': {' '.join(error.messages)}") from None
    return row


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
    amended = {row.proposal_id: row for row in decision.amended_proposals.all()}
    return [amended[p.pk].applied_to(p) if p.pk in amended else p
            for p in review.proposals.all() if p.pk not in refused]


def amended_in_words_only(review: AnnualReview) -> list[str]:
    """The recommendations agreed as amended whose amendment changed none of their proposals' data:
    applying the decision cannot make those amendments, KCST make them by hand."""
    amended = set(review.decision.amended_proposals.values_list("proposal_id", flat=True))
    outcomes = review.decision.outcomes.filter(answer=Outcome.Answer.AMENDED).select_related("recommendation")
    numbers = {r.pk: i for i, r in enumerate(review.recommendations.all(), 1)}
    return [
        f"recommendation 6.{numbers[o.recommendation_id]} was agreed as amended (\"{o.amendment}\") in words only"
        for o in outcomes.prefetch_related("recommendation__proposals")
        if not {p.pk for p in o.recommendation.proposals.all()} & amended
    ]
