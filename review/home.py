"""What awaits a Working Group or KCSP member: the page they land on after signing in."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q
from django.urls import reverse

from agreements.models import Version
from agreements.roles import KCSP_MEMBER, WORKING_GROUP_MEMBER, within

from .access import IN_REVIEW, may_comment
from .marked import marked_edition

REVIEWER_ROLES = (KCSP_MEMBER, WORKING_GROUP_MEMBER)


@dataclass(frozen=True)
class Awaiting:
    """One thing a member is asked to review, whatever kind it is."""

    kind: str
    title: str
    url: str
    state: str
    deadline: datetime.date | None
    changes: int | None  # None when there is nothing to compare with
    unresolved: int  # the member's own comments KCST have not resolved
    replies: int  # KCST's answers to the member's comments since their last visit


def awaiting(user, since: datetime.datetime | None) -> list[Awaiting]:
    # Annual reviews (issue 14) list theirs here, beside the draft editions.
    return drafts_awaiting(user, since)


def drafts_awaiting(user, since: datetime.datetime | None) -> list[Awaiting]:
    answered_since = Q(comments__author=user, comments__replied_at__gt=since) if since else Q(
        comments__author=user, comments__replied_at__isnull=False)
    drafts = (
        within(Version.objects, user, *REVIEWER_ROLES).filter(status__in=IN_REVIEW)
        .annotate(
            unresolved=Count("comments", filter=Q(comments__author=user, comments__resolved_at__isnull=True)),
            replies=Count("comments", filter=answered_since),
        )
        .order_by("agreement__name", "effective_year")
    )
    items = []
    for draft in drafts:
        if not may_comment(user, draft):
            continue
        base = draft.previous_published()
        items.append(Awaiting(
            kind="Draft edition",
            title=f"{draft.agreement} {draft.number} ({draft.effective_label})",
            url=reverse("review", args=[draft.agreement.slug, draft.number]),
            state=draft.get_status_display(),
            deadline=draft.comments_by,
            changes=marked_edition(draft, base).total if base else None,
            unresolved=draft.unresolved,
            replies=draft.replies,
        ))
    return items


def past_reviews(user) -> list[Version]:
    """Published editions, whose reviews are kept as the record of how they were agreed."""
    return list(
        within(Version.objects, user, *REVIEWER_ROLES)
        .filter(status=Version.Status.PUBLISHED, historical=False)
        .order_by("agreement__name", "-effective_year")
    )
