"""Comments on a review, kept by the review app's machinery (review.Comment with the review as its
subject): the same forms, KCST's unresolved list, answers and e-mails as comments on a draft."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType

from review.models import Comment
from review.targets import Target

from .models import AnnualReview, Proposal

SECTIONS = [
    ("review-introduction", "1 Introduction and background"), ("evidence-priorities", "2 The current agreement"),
    ("evidence-police_crime_plan", "3 The Police and Crime Plan"), ("evidence-appendix_a", "4 Local strategic assessments"),
    ("evidence-morile", "5 MoRiLE outcomes"), ("evidence-horizon", "6 Horizon scanning"),
    ("review-proposals", "7 Proposals"), ("review-recommendations", "8 Recommendations"),
]


def comment_targets(review: AnnualReview) -> list[Target]:
    from .document import describe

    names = {
        Proposal.Item.PRIORITY: dict(review.edition.priorities.values_list("key", "name")),
        Proposal.Item.THEME: dict(review.edition.themes.values_list("key", "name")),
    }
    targets = [Target(label, Comment.Target.SECTION, key, key) for key, label in SECTIONS]
    targets += [
        Target(f"Proposal: {describe(p, names[p.item])}", Comment.Target.PROPOSAL, str(p.pk), "review-proposals")
        for p in review.proposals.all()
    ]
    return targets


def comments_on(review: AnnualReview) -> list[Comment]:
    return list(
        Comment.objects.filter(subject_type=ContentType.objects.get_for_model(AnnualReview), subject_id=review.pk)
        .select_related("author", "replied_by")
        # All on the review's edition (add_comment): ordering by the edition would join it and its agreement.
        .order_by("created_at", "pk")
    )


def add_comment(review: AnnualReview, author, target: Target, text: str) -> Comment:
    return Comment.objects.create(
        version=review.edition, subject=review, author=author, target=target.target, target_key=target.key,
        target_label=target.label, chapter_key=target.chapter_key, text=text,
    )
