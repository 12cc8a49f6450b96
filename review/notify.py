"""E-mail about comments: KCST hear of each new one; an author hears of KCST's answers to their own,
at once or in a daily digest as they chose, and nobody else is told of a comment they did not write."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail

from agreements.notifications import people_in, subject_line
from agreements.roles import KCST_STAFF

from .models import ReviewerSettings
from .targets import paragraph_anchor


def comment_added(comment) -> None:
    version = comment.version
    recipients = people_in(version.agreement_id, KCST_STAFF)
    if not recipients:
        return
    link = settings.SITE_URL + comment.url
    author = comment.author.get_full_name() or comment.author.username
    late = " (after the date comments were asked by)" if comment.late else ""
    send_mail(
        subject_line(f"New comment on {comment.place if comment.subject_id else f'{version.agreement.name} {version.number}'}"),
        f"{author} commented on {comment.target_label}{late}:\n\n"
        f"{comment.text}\n\nAnswer it here: {link}#comment-{comment.pk}",
        settings.DEFAULT_FROM_EMAIL,
        recipients,
    )


def comment_answered(comment) -> None:
    """Tells the author of KCST's answer now, unless they chose the daily digest (send_review_digest)."""
    version = comment.version
    wants = ReviewerSettings.of(comment.author, version.agreement_id).replies
    if not comment.author.email or wants != ReviewerSettings.Replies.IMMEDIATELY:
        return
    send_mail(
        subject_line(f"KCST answered your comment on {comment.place if comment.subject_id else f'{version.agreement.name} {version.number}'}"),
        answer_text(comment), settings.DEFAULT_FROM_EMAIL, [comment.author.email],
    )
    comment.mark_answer_mailed()


def send_digest(author, comments) -> None:
    """One e-mail with KCST's answers to this author's comments since the last they were told of."""
    send_mail(
        subject_line(f"KCST answered {len(comments)} of your comments"),
        "\n\n---\n\n".join(answer_text(comment) for comment in comments),
        settings.DEFAULT_FROM_EMAIL, [author.email],
    )
    for comment in comments:
        comment.mark_answer_mailed()


def comment_link(comment) -> str:
    """The place of the part commented on: the paragraph itself, or the comment in the page's list."""
    on_paragraph = comment.target == "paragraph" and not comment.subject_id
    anchor = paragraph_anchor(comment.version, comment.target_key) if on_paragraph else ""
    return f"{settings.SITE_URL}{comment.url}#{anchor or f'comment-{comment.pk}'}"


def answer_text(comment) -> str:
    version = comment.version
    who = comment.replied_by.get_full_name() or comment.replied_by.username if comment.replied_by else "KCST"
    deadline = version.comments_by
    lines = [
        f"{who} answered your comment on {comment.target_label} of the {version.agreement.name} {version.number}"
        + (" and marked it resolved." if comment.is_resolved else "."),
        "", "You wrote:", comment.text, "", "Their reply:", comment.reply or "(no reply, resolved)", "",
        f"Read it in place: {comment_link(comment)}",
    ]
    if deadline:
        lines += ["", f"Comments on this edition are asked for by {deadline:%d %B %Y}."]
    return "\n".join(lines)
