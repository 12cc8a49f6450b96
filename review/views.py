"""The KCSP review pages: the draft with its changes marked, comments, and proposed change notes."""

from collections import Counter

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from agreements.models import ChangeNote, Version
from agreements.roles import KCST_STAFF, agreements_of, has_role, is_kcst, within
from documents.views import get_edition

from . import notify, record
from .access import IN_REVIEW, is_closed, may_comment, may_review
from .beside import place_comments
from .change_notes import not_discarded
from .forms import AnswerForm, CommentForm, EditCommentForm, ProposalForm, RepliesForm
from .home import REVIEWER_ROLES, awaiting, past_reviews
from .marked import comment_fields, marked_edition
from .models import Comment, DiscardedProposal, ReviewerSettings
from .targets import comment_targets, quoted


def _reviewable(request, slug: str, number: str) -> Version:
    version = get_edition(request, slug, number)
    if not may_review(request.user, version):
        raise Http404
    return version


def open_comments(comments):
    """Comments that may still be answered: not on a published edition, whose review is a record."""
    return comments.exclude(version__status=Version.Status.PUBLISHED, subject_type__isnull=True)


def _review_context(request, version: Version, base: Version | None, comment_form=None, marked=None) -> dict:
    changes_only = request.GET.get("view") == "changes"
    marked = marked or marked_edition(version, base, changes_only)
    comments = list(version.comments.filter(subject_type__isnull=True).select_related("author", "replied_by",
                                                                                       "resolved_by"))
    comment_counts = Counter(c.chapter_key for c in comments)
    closed = is_closed(version)
    kcst = is_kcst(request.user, version.agreement_id)
    commenting = may_comment(request.user, version)
    return {
        "version": version,
        "base": base,
        "marked": marked,
        "changes_only": changes_only,
        "views": _view_links(request),
        "document_html": place_comments(marked, version, comments, commenting),
        "comments": comments,
        "chapter_rows": [
            (key, heading, marked.change_counts.get(key, 0), comment_counts[key]) for key, heading in marked.chapters
        ],
        "unresolved": [c for c in comments if not c.is_resolved],
        "may_comment": commenting,
        "is_kcst": kcst,
        "closed": closed,
        "may_answer": kcst and not closed,
        "proposals": not_discarded(version, marked.proposals) if kcst and not closed else [],
        # A form sent back with errors is rendered again; the empty one comes with the marked edition.
        "comment_form": comment_form,
        "comment_fields": comment_fields(comment_form) if comment_form else marked.comment_fields_html,
    }


def _view_links(request) -> dict[str, str]:
    """The same comparison with every paragraph, or with the changed ones only."""
    query = request.GET.copy()
    query.pop("view", None)
    full = f"{request.path}?{query.urlencode()}" if query else request.path
    query["view"] = "changes"
    return {"full": full, "changes": f"{request.path}?{query.urlencode()}"}


def review(request, slug: str, number: str):
    if not request.user.is_authenticated:
        # A published edition's review is a record for its reviewers, not a page to sign in for.
        if Version.objects.filter(agreement__slug=slug, number=number, status=Version.Status.PUBLISHED).exists():
            raise Http404
        return redirect_to_login(request.get_full_path())
    version = _reviewable(request, slug, number)
    # A published edition's review shows the comparison as it was at publication, when one was kept.
    as_published = record.stored(version) if is_closed(version) else None
    marked, base = as_published or (None, version.previous_published())
    return render(request, "review/review.html", _review_context(request, version, base, marked=marked))


@login_required
def compare_versions(request, slug: str):
    """Any two editions of one agreement, each readable by this user."""
    old_number, new_number = request.GET.get("old", ""), request.GET.get("new", "")
    new = _reviewable(request, slug, new_number)
    base = get_edition(request, slug, old_number)
    return render(request, "review/review.html", _review_context(request, new, base))


@login_required
@require_POST
def add_comment(request, slug: str, number: str):
    version = _reviewable(request, slug, number)
    if not may_comment(request.user, version):
        raise Http404
    form = CommentForm(comment_targets(version), request.POST)
    if not form.is_valid():
        context = _review_context(request, version, version.previous_published(), comment_form=form)
        return render(request, "review/review.html", context, status=400)
    comment = Comment.leave(version, request.user, form.target(), form.cleaned_data["text"])
    notify.comment_added(comment)
    messages.success(request, "Your comment has been sent to the Kent Community Safety Team.")
    return redirect(f"{reverse('review', args=[slug, number])}#comment-{comment.pk}")


@login_required
def comment_on(request, slug: str, number: str):
    """One part of the edition quoted, and a comment on it: the page behind "Comment on this paragraph"."""
    version = _reviewable(request, slug, number)
    if not may_comment(request.user, version):
        raise Http404
    form = CommentForm(comment_targets(version), request.POST or None,
                       initial={"about": request.GET.get("about", "")})
    target = form.targets.get(request.POST.get("about") or request.GET.get("about", ""))
    if target is None:
        raise Http404
    if request.method == "POST" and form.is_valid():
        notify.comment_added(Comment.leave(version, request.user, target, form.cleaned_data["text"]))
        messages.success(request, f"Your comment on {target.label.lower()} has been sent to the Kent Community "
                                  "Safety Team.")
        return redirect(f"{reverse('review', args=[slug, number])}#{target.anchor or 'comments'}")
    return render(request, "review/comment_form.html", {
        "version": version, "form": form, "target": target, "quoted": quoted(version, target),
    }, status=400 if form.errors else 200)


def _own_comment(request, pk: int) -> Comment:
    # Another person's comment is reported as missing, so its existence is not confirmed.
    comment = get_object_or_404(Comment.objects.select_related("version__agreement"), pk=pk, author=request.user)
    if comment.is_resolved or not comment.is_open:
        raise Http404
    return comment


@login_required
def edit_comment(request, pk: int):
    comment = _own_comment(request, pk)
    form = EditCommentForm(request.POST or None, initial={"text": comment.text})
    if request.method == "POST" and form.is_valid():
        comment.text = form.cleaned_data["text"]
        comment.save(update_fields=["text"])
        messages.success(request, "Your comment has been changed.")
        return redirect(f"{comment.url}#comment-{comment.pk}")
    return render(request, "review/edit_comment.html", {"form": form, "comment": comment})


@login_required
@require_POST
def delete_comment(request, pk: int):
    comment = _own_comment(request, pk)
    back = comment.url
    comment.delete()
    messages.success(request, "Your comment has been deleted.")
    return redirect(back)


@login_required
def answer_comment(request, pk: int):
    comments = open_comments(within(Comment.objects, request.user, KCST_STAFF))
    comment = get_object_or_404(comments.select_related("version__agreement", "author"), pk=pk)
    form = AnswerForm(request.POST or None, initial={"reply": comment.reply})
    if request.method == "POST" and form.is_valid():
        comment.answer(request.user, form.cleaned_data["reply"], form.cleaned_data["resolve"])
        notify.comment_answered(comment)
        messages.success(request, "Reply saved" + (" and comment resolved." if comment.is_resolved else "."))
        return redirect("unresolved_comments")
    return render(request, "review/answer_comment.html", {"form": form, "comment": comment})


@login_required
def unresolved_comments(request):
    if not is_kcst(request.user):
        raise Http404
    comments = (
        open_comments(within(Comment.objects, request.user, KCST_STAFF)).filter(resolved_at__isnull=True)
        .select_related("version__agreement", "author").prefetch_related("subject")
        .order_by("created_at")
    )
    return render(request, "review/unresolved.html", {"comments": comments})


@login_required
@require_POST
def accept_proposal(request, slug: str, number: str):
    version = _reviewable(request, slug, number)
    if not is_kcst(request.user, version.agreement_id):
        raise Http404
    form = ProposalForm(request.POST)
    if form.is_valid():
        order = version.change_notes.count()
        ChangeNote.objects.create(version=version, order=order, **form.cleaned_data)
        messages.success(request, f"Change note added: {form.cleaned_data['text']}")
    else:
        messages.error(request, "The change note was not added: " + " ".join(form.errors.get("text", [])))
    return redirect(f"{reverse('review', args=[slug, number])}#proposed-notes")


@login_required
@require_POST
def discard_proposal(request, slug: str, number: str):
    version = _reviewable(request, slug, number)
    if not is_kcst(request.user, version.agreement_id):
        raise Http404
    form = ProposalForm(request.POST)
    if form.is_valid():
        DiscardedProposal.objects.get_or_create(
            version=version, text=form.cleaned_data["text"],
            defaults={"section": form.cleaned_data["section"], "by": request.user},
        )
        messages.success(request, f"Proposal discarded: {form.cleaned_data['text']}")
    return redirect(f"{reverse('review', args=[slug, number])}#proposed-notes")


def _reviewer_settings(user) -> list[ReviewerSettings]:
    """The member's settings in each agreement they review in (none for a superuser, who is no member)."""
    if user.is_superuser:
        return []
    return [ReviewerSettings.of(user, agreement) for agreement in sorted(agreements_of(user, *REVIEWER_ROLES))]


@login_required
def reviews_home(request):
    if not has_role(request.user, *REVIEWER_ROLES):
        raise Http404
    own = _reviewer_settings(request.user)
    seen = [s.seen_reviews_at for s in own]
    since = None if None in seen or not seen else min(seen)
    context = {
        "awaiting": awaiting(request.user, since),
        "past": past_reviews(request.user),
        "since": since,
        "replies_form": RepliesForm(instance=own[0]) if own else None,
    }
    for reviewer in own:
        reviewer.seen_reviews_at = timezone.now()
        reviewer.save(update_fields=["seen_reviews_at"])
    return render(request, "review/home.html", context)


@login_required
@require_POST
def choose_replies(request):
    own = _reviewer_settings(request.user)
    if not own:
        raise Http404
    form = RepliesForm(request.POST, instance=own[0])
    if not form.is_valid():
        messages.error(request, "Choose how to hear of KCST's answers: your choice was not saved.")
        return redirect("reviews_home")
    for reviewer in own:
        reviewer.replies = form.cleaned_data["replies"]
        reviewer.save(update_fields=["replies"])
    messages.success(request, f"Saved: you will hear of KCST's answers {form.instance.get_replies_display().lower()}.")
    return redirect("reviews_home")
