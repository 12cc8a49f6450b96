"""Who may read a version's review page, and who may comment on it."""

from agreements.models import Version
from agreements.roles import KCSP_MEMBER, WORKING_GROUP_MEMBER, has_role, is_kcst

IN_REVIEW = (
    Version.Status.WORKING_GROUP_REVIEW,
    Version.Status.KCSP_CONSULTATION,
    Version.Status.AGREED,
)


def may_review(user, version: Version) -> bool:
    if is_kcst(user, version.agreement_id):
        return True
    return may_comment(user, version)


def may_comment(user, version: Version) -> bool:
    return (
        has_role(user, KCSP_MEMBER, WORKING_GROUP_MEMBER, agreement=version.agreement_id)
        and version.status in IN_REVIEW
    )
