"""Annual reviews on a Working Group or KCSP member's home, beside the draft editions (review/home.py)."""

from __future__ import annotations

import datetime

from django.contrib.contenttypes.models import ContentType
from django.dispatch import receiver

from agreements.roles import within
from review.home import REVIEWER_ROLES, Awaiting, awaiting_review
from review.models import Comment

from .access import may_comment
from .models import AnnualReview


@receiver(awaiting_review)
def annual_reviews_awaiting(sender, user, since: datetime.datetime | None, **kwargs) -> list[Awaiting]:
    reviews = (within(AnnualReview.objects, user, *REVIEWER_ROLES)
               .filter(status=AnnualReview.Status.IN_REVIEW).select_related("agreement", "cycle"))
    items = []
    for review in reviews:
        if not may_comment(user, review):
            continue
        own = Comment.objects.filter(subject_type=ContentType.objects.get_for_model(AnnualReview),
                                     subject_id=review.pk, author=user)
        replied = own.filter(replied_at__gt=since) if since else own.filter(replied_at__isnull=False)
        items.append(Awaiting(
            kind="Annual review", title=f"{review.title}, {review.agreement}", url=review.get_absolute_url(),
            state=review.get_status_display(), deadline=None, changes=None,
            unresolved=own.filter(resolved_at__isnull=True).count(), replies=replied.count(),
        ))
    return items
