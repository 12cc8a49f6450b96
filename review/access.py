"""Who may read a version's review page, and who may comment on it."""

from agreements.models import Version
from agreements.roles import KCSP_MEMBER, WORKING_GROUP_MEMBER, has_role, is_kcst

IN_REVIEW = (
    Version.Status.WORKING_GROUP_REVIEW,
    Version.Status.KCSP_CONSULTATION,
    Version.Status.AGREED,
)


def may_review(user, version: Version) -> bool:
    """KCST always; the Working Group and the KCSP while the edition is in review, and afterwards
    the published edition's review, read-only, as the record of how it was agreed."""
    if is_kcst(user, version.agreement_id):
        return True
    return may_comment(user, version) or (
        is_closed(version) and has_role(user, KCSP_MEMBER, WORKING_GROUP_MEMBER, agreement=version.agreement_id)
    )


def is_closed(version: Version) -> bool:
    """A published edition's review is kept as a record: nothing is added, answered or changed."""
    return version.is_published and not version.historical


def may_comment(user, version: Version) -> bool:
    return (
        has_role(user, KCSP_MEMBER, WORKING_GROUP_MEMBER, agreement=version.agreement_id)
        and version.status in IN_REVIEW
    )
