"""What awaits a Working Group or KCSP member: the page they land on after signing in."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q
from django.dispatch import Signal
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


# Sent with `user` and `since` as a member's home is built: the apps above review (annual reviews)
# answer with what of theirs awaits the member, as a list of Awaiting.
awaiting_review = Signal()


def awaiting(user, since: datetime.datetime | None) -> list[Awaiting]:
    items = drafts_awaiting(user, since)
    for _, theirs in awaiting_review.send(Awaiting, user=user, since=since):
        items += theirs
    return items


def drafts_awaiting(user, since: datetime.datetime | None) -> list[Awaiting]:
    # A comment on an annual review names it as its subject: it is counted there, not on the edition.
    own = Q(comments__author=user, comments__subject_type__isnull=True)
    answered_since = own & (Q(comments__replied_at__gt=since) if since else Q(comments__replied_at__isnull=False))
    drafts = (
        within(Version.objects, user, *REVIEWER_ROLES).filter(status__in=IN_REVIEW)
        .annotate(
            unresolved=Count("comments", filter=own & Q(comments__resolved_at__isnull=True)),
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
