"""KCST's pages for writing a review, everyone's pages for reading it, and its two PDFs."""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from documents.editor_forms import FormattedText
from agreements.models import Agreement, StaleEdit
from documents.pdf import html_to_pdf
from agreements.roles import DRAFT_READERS, has_role, is_kcst
from review import notify
from review.forms import CommentForm
from review.marked import comment_fields

from . import workflow
from .access import may_comment, may_edit, may_read
from .comments import add_comment, comment_targets, comments_on
from .applying import apply_decision
from .document import build_review
from .forms import (
    DecisionForm,
    EvidenceNoteForm,
    ProposalForm,
    RecommendationForm,
    ReviewTextsForm,
    StartReviewForm,
)
from .models import AnnualReview, EvidenceNote, Proposal, Recommendation, ReviewFrozen, proposals_and_recommendations
from .pdf import TEMPLATES, pdf_filename, review_html

def readable(view):
    """The review, or 404 for one this user may not read; a sign-in page for a visitor."""
    @wraps(view)
    def wrapper(request, slug: str, label: str, **kwargs):
        review = get_object_or_404(
            # The pages show the proposals and recommendations twice: in KCST's panel and the document.
            # The edition's agreement and plan are the ones the document quotes (document.build_review).
            AnnualReview.objects.select_related("agreement", "cycle", "edition__agreement", "edition__police_crime_plan")
            .prefetch_related(*proposals_and_recommendations()),
            agreement__slug=slug, cycle__label=label,
        )
        if not may_read(request.user, review):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            raise Http404
        return view(request, review, **kwargs)
    return wrapper


def kcst_only(view):
    @wraps(view)
    @readable
    def wrapper(request, review: AnnualReview, **kwargs):
        if not is_kcst(request.user, review.agreement_id):
            raise Http404
        return view(request, review, **kwargs)
    return wrapper


def while_draft(view):
    """KCST's editing pages: a review no longer a draft is shown, not changed."""
    @wraps(view)
    @kcst_only
    def wrapper(request, review: AnnualReview, **kwargs):
        if not may_edit(request.user, review):
            messages.error(request, f"The {review.title} is {review.get_status_display().lower()}: it cannot change.")
            return redirect(review_url(review))
        try:
            return view(request, review, **kwargs)
        except (StaleEdit, ReviewFrozen) as refusal:
            messages.error(request, str(refusal))
            return redirect(review_url(review))
    return wrapper


def posted(request):
    """The form's data on a POST, even an empty one (which must show what is missing), else None."""
    return request.POST if request.method == "POST" else None


def review_url(review: AnnualReview, name: str = "annual_review:review") -> str:
    return reverse(name, args=[review.agreement.slug, review.cycle.label])


def reviews(request, slug: str):
    """The agreement's reviews, and KCST's form to start this year's."""
    agreement = get_object_or_404(Agreement, slug=slug)
    found = [r for r in agreement.annual_reviews.select_related("cycle", "agreement") if may_read(request.user, r)]
    kcst = is_kcst(request.user, agreement.pk)
    if not found and not kcst:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        raise Http404
    form = StartReviewForm(agreement, posted(request)) if kcst else None
    if request.method == "POST":
        if form is None:
            raise Http404
        if form.is_valid():
            try:
                review = workflow.start_review(agreement, form.cleaned_data["cycle"], request.user)
            except workflow.ReviewRefused as refusal:
                form.add_error("cycle", str(refusal))
            else:
                messages.success(request, f"{review.title} started.")
                return redirect(review_url(review))
    return render(request, "annual_review/reviews.html", {"agreement": agreement, "reviews": found, "form": form},
                  status=400 if form is not None and form.errors else 200)


@readable
def review(request, review: AnnualReview):
    return _document_page(request, review, "review")


@readable
def report(request, review: AnnualReview):
    return _document_page(request, review, "report")


def _document_page(request, review: AnnualReview, which: str, status: int = 200, comment_form=None):
    kcst = is_kcst(request.user, review.agreement_id)
    readers = has_role(request.user, *DRAFT_READERS, agreement=review.agreement_id)
    commenting = may_comment(request.user, review)
    comment_form = comment_form or (CommentForm(comment_targets(review)) if commenting else None)
    context = {
        "review": review,
        "document": build_review(review),
        "which": which,
        "template": TEMPLATES[which],
        "may_edit": may_edit(request.user, review),
        "is_kcst": kcst,
        "proposals": list(review.proposals.all()),
        "recommendations": list(review.recommendations.all()),
        "evidence_blocks": EvidenceNote.Block.choices,
        # Comments are the reviewers' and KCST's: the public reading a published review sees none.
        "comments": comments_on(review) if readers else [],
        "may_comment": commenting,
        "may_answer": kcst and review.status != AnnualReview.Status.PUBLISHED,
        "comment_form": comment_form,
        "comment_fields": comment_fields(comment_form) if comment_form else "",
    }
    return render(request, "annual_review/page.html", context, status=status)


@require_POST
@readable
def comment(request, review: AnnualReview):
    if not may_comment(request.user, review):
        raise Http404
    form = CommentForm(comment_targets(review), request.POST)
    if not form.is_valid():
        return _document_page(request, review, "review", status=400, comment_form=form)
    added = add_comment(review, request.user, form.target(), form.cleaned_data["text"])
    notify.comment_added(added)
    messages.success(request, "Your comment has been sent to the Kent Community Safety Team.")
    return redirect(f"{review_url(review)}#comment-{added.pk}")


@readable
def review_pdf(request, review: AnnualReview):
    return _pdf(review, "review")


@readable
def report_pdf(request, review: AnnualReview):
    return _pdf(review, "report")


def _pdf(review: AnnualReview, which: str) -> HttpResponse:
    document = build_review(review)
    response = HttpResponse(html_to_pdf(review_html(document, which)), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{pdf_filename(review, document, which)}"'
    return response


def _form_page(request, review, form, title: str, saved: str, *, back: str = ""):
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, saved)
        return redirect(back or review_url(review))
    return render(request, "annual_review/form.html", {
        "review": review, "form": form, "title": title, "back": back or review_url(review),
        "formatted": [name for name, field in form.fields.items() if isinstance(field.widget, FormattedText)],
    }, status=400 if form.errors else 200)


@while_draft
def edit_texts(request, review: AnnualReview):
    form = ReviewTextsForm(posted(request), instance=review)
    return _form_page(request, review, form, "The report's texts", "The report's texts were saved.")


@while_draft
def edit_evidence(request, review: AnnualReview, block: str):
    if block not in EvidenceNote.Block.values:
        raise Http404
    note = EvidenceNote.objects.filter(review=review, block=block).first() or EvidenceNote(review=review, block=block)
    form = EvidenceNoteForm(posted(request), instance=note)
    return _form_page(request, review, form, EvidenceNote.Block(block).label, "Your introduction was saved.",
                      back=f"{review_url(review)}#evidence-{block}")


@while_draft
def add_proposal(request, review: AnnualReview):
    form = ProposalForm(review, posted(request), instance=Proposal(review=review,
                                                                        order=review.proposals.count()))
    return _form_page(request, review, form, "Add a proposal", "The proposal was added.",
                      back=f"{review_url(review)}#proposals")


@while_draft
def edit_proposal(request, review: AnnualReview, pk: int):
    form = ProposalForm(review, posted(request), instance=get_object_or_404(review.proposals, pk=pk))
    return _form_page(request, review, form, "Change a proposal", "The proposal was saved.",
                      back=f"{review_url(review)}#proposals")


def _delete(request, review: AnnualReview, parts, pk: int, what: str, anchor: str):
    get_object_or_404(parts, pk=pk).delete()
    messages.success(request, f"The {what} was deleted.")
    return redirect(f"{review_url(review)}#{anchor}")


@require_POST
@while_draft
def delete_proposal(request, review: AnnualReview, pk: int):
    return _delete(request, review, review.proposals, pk, "proposal", "proposals")


@while_draft
def add_recommendation(request, review: AnnualReview):
    instance = Recommendation(review=review, order=review.recommendations.count())
    form = RecommendationForm(review, posted(request), instance=instance)
    return _form_page(request, review, form, "Add a recommendation", "The recommendation was added.",
                      back=f"{review_url(review)}#recommendations")


@while_draft
def edit_recommendation(request, review: AnnualReview, pk: int):
    form = RecommendationForm(review, posted(request), instance=get_object_or_404(review.recommendations, pk=pk))
    return _form_page(request, review, form, "Change a recommendation", "The recommendation was saved.",
                      back=f"{review_url(review)}#recommendations")


@require_POST
@while_draft
def delete_recommendation(request, review: AnnualReview, pk: int):
    return _delete(request, review, review.recommendations, pk, "recommendation", "recommendations")


@require_POST
@while_draft
def prefill_recommendations(request, review: AnnualReview):
    workflow.prefill_recommendations(review)
    messages.success(request, "A recommendation was written from the proposals: edit its wording as you need.")
    return redirect(f"{review_url(review)}#recommendations")


def _step(step, done: str):
    @require_POST
    @kcst_only
    def view(request, review: AnnualReview):
        try:
            step(review, request.user)
        except workflow.ReviewRefused as refusal:
            messages.error(request, str(refusal))
        else:
            messages.success(request, done.format(title=review.title))
        return redirect(review_url(review))
    return view


send_for_review = _step(workflow.send_for_review, "The {title} was sent to the Working Group and the KCSP.")
back_to_draft = _step(workflow.back_to_draft, "The {title} is a draft again.")
publish = _step(workflow.publish, "The {title} is published: everyone can read it.")


@require_POST
@kcst_only
def apply(request, review: AnnualReview):
    try:
        draft, done = apply_decision(review, request.user)
    except workflow.ReviewRefused as refusal:
        messages.error(request, str(refusal))
        return redirect(review_url(review))
    if done:
        messages.success(request, f"The decision was applied to draft {draft.number}: {'; '.join(done)}.")
    else:
        messages.success(request, f"Draft {draft.number} already follows the decision: nothing was changed.")
    in_words = workflow.amended_in_words_only(review)
    if in_words:
        messages.warning(request, f"Not applied: {'; '.join(in_words)}. Make these amendments in draft "
                                  f"{draft.number} by hand.")
    return redirect(reverse("review", args=[review.agreement.slug, draft.number]))


@kcst_only
def record_decision(request, review: AnnualReview):
    if review.status != AnnualReview.Status.IN_REVIEW:
        messages.error(request, f"The {review.title} is {review.get_status_display().lower()}: there is no decision "
                                "to record.")
        return redirect(review_url(review))
    form = DecisionForm(review, posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                workflow.record_decision(review, request.user, form.cleaned_data["meeting_date"],
                                         form.cleaned_data["minute"], form.answers(), form.amended())
        except workflow.ReviewRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, "The KCSP's decision was recorded. It cannot be changed.")
            return redirect(f"{review_url(review)}#decision")
    return render(request, "annual_review/decision_form.html", {"review": review, "form": form},
                  status=400 if form.errors else 200)
