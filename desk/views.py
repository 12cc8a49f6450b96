"""KCST's desk: after signing in, what needs KCST now, across the returns, the review, the draft and
the annual reviews.

It sits above the three layers and the review, as it reads all of them.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

from agreements.models import Agreement, Version
from agreements.roles import KCST_STAFF, is_kcst, within
from agreements.workflow import available, publish_checklist
from annual_review.models import AnnualReview
from assessments.models import AssessmentReturn
from review.models import Comment
from review.views import open_comments


@login_required
def kcst(request):
    if not is_kcst(request.user):
        raise Http404
    awaiting = (
        within(AssessmentReturn.objects, request.user, KCST_STAFF).filter(status=AssessmentReturn.Status.SUBMITTED)
        .select_related("cycle", "partnership").prefetch_related("partnership__former_names")
        .order_by("submitted_at", "pk")
    )
    comments = open_comments(within(Comment.objects, request.user, KCST_STAFF)).filter(resolved_at__isnull=True)
    drafts = within(Version.objects, request.user, KCST_STAFF).exclude(status=Version.Status.PUBLISHED)
    reviews = (within(AnnualReview.objects, request.user, KCST_STAFF).exclude(status=AnnualReview.Status.PUBLISHED)
               .select_related("agreement", "cycle"))
    return render(request, "desk/kcst.html", {
        "awaiting": awaiting,
        "comments_waiting": comments.count(),
        "drafts": [
            {"version": version, "next_steps": available(version, request.user),
             "stopping_publication": sum(len(problems) for _, problems in publish_checklist(version))}
            for version in drafts.order_by("agreement__slug", "number")
        ],
        "open_reviews": reviews,
        "agreements": within(Agreement.objects, request.user, KCST_STAFF).order_by("slug"),
    })
