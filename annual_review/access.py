"""Who may read, change and comment on an annual review."""

from agreements.roles import DRAFT_READERS, KCSP_MEMBER, WORKING_GROUP_MEMBER, has_role, is_kcst

from .models import AnnualReview


def may_read(user, review: AnnualReview) -> bool:
    """KCST, the Working Group and the KCSP of the agreement; everyone once KCST publish the decided review."""
    return review.status == AnnualReview.Status.PUBLISHED or has_role(user, *DRAFT_READERS, agreement=review.agreement_id)


def may_edit(user, review: AnnualReview) -> bool:
    return review.is_draft and is_kcst(user, review.agreement_id)


def may_comment(user, review: AnnualReview) -> bool:
    return review.status == AnnualReview.Status.IN_REVIEW and has_role(
        user, KCSP_MEMBER, WORKING_GROUP_MEMBER, agreement=review.agreement_id
    )
