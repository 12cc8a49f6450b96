"""The edition with its changes marked: the costly part of the review page, the same for every reader.

Comparing two editions and building the document take a few hundred queries' worth of work, so the
result is rendered once and cached under the stamp of the content it was built from: any change to
an edition, a return or an agreement gives a new stamp, and the next reader gets a fresh build.
What is each reader's own (comments, KCST's discarded proposals, the CSRF token) the view adds.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from documents.diff import compare
from documents.data import build_document
from agreements.models import Version
from agreements.stamps import KEEP_SECONDS, edition_sources, stamp

from .change_notes import Proposal, propose
from .forms import CommentForm
from .marking import mark_changes
from .targets import comment_targets


@dataclass(frozen=True)
class Edition:
    pk: int
    number: str
    label: str


@dataclass(frozen=True)
class MarkedEdition:
    compared: bool  # False when there is no earlier edition to compare with
    total: int
    chapters: list[tuple[str, str]]  # (key, heading) in document order
    change_counts: dict[str, int]
    proposals: list[Proposal]  # before any KCST has discarded
    editions: list[Edition]  # every edition of the agreement, to compare with
    changes_html: SafeString
    document_html: SafeString
    comment_fields_html: SafeString  # the empty comment form


def marked_edition(version: Version, base: Version | None) -> MarkedEdition:
    state = stamp(edition_sources())
    key = f"review:marked:{version.pk}:{base.pk if base else '-'}:{state.key}"
    if (marked := cache.get(key)) is not None:
        return marked
    marked = _build(version, base)
    if state.settled:
        cache.set(key, marked, KEEP_SECONDS)
    return marked


def comment_fields(form: CommentForm) -> SafeString:
    return render_to_string("review/includes/comment_fields.html", {"comment_form": form})


def _build(version: Version, base: Version | None) -> MarkedEdition:
    diff = compare(base, version) if base else None
    chapters = diff.chapters if diff else list(version.chapters.all())
    targets = comment_targets(version)
    editions = version.agreement.versions.filter(historical=False).order_by("effective_year")
    return MarkedEdition(
        compared=diff is not None,
        total=diff.total if diff else 0,
        chapters=[(chapter.key, chapter.heading) for chapter in chapters],
        change_counts={chapter.key: count for chapter, count in diff.summary()} if diff else {},
        proposals=propose(diff) if diff and version.is_draft else [],
        editions=[Edition(e.pk, e.number, e.effective_label) for e in editions],
        changes_html=render_to_string("review/includes/changes.html", {"diff": diff}) if diff else SafeString(),
        document_html=render_to_string(
            "document/edition.html", {"document": mark_changes(build_document(version, web=True), diff)}
        ),
        comment_fields_html=comment_fields(CommentForm(targets)),
    )
