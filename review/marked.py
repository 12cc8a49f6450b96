"""The edition with its changes marked: the costly part of the review page, the same for every reader.

Comparing two editions and building the document take a few hundred queries' worth of work, so the
result is rendered once and cached under the stamp of the content it was built from: any change to
an edition, a return or an agreement gives a new stamp, and the next reader gets a fresh build.
What is each reader's own (comments, the links to comment, KCST's discarded proposals, the CSRF
token) the view adds: the document holds a marker where each paragraph's comments go.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from agreements.models import ChangeNote, Version
from agreements.stamps import KEEP_SECONDS, edition_sources, stamp
from documents.data import Document, build_document
from documents.diff import Change, compare, compare_record

from .change_notes import Proposal, propose
from .forms import CommentForm
from .marking import mark_changes
from .targets import Target, comment_targets


@dataclass(frozen=True)
class Edition:
    pk: int
    number: str
    label: str
    historical: bool


@dataclass(frozen=True)
class Record:
    """A historical record between the two editions compared: what is known of it, against the draft."""

    number: str
    label: str
    changes: list[Change]
    notes: list[str]
    draft_notes: list[str]


@dataclass(frozen=True)
class MarkedEdition:
    compared: bool  # False when there is no earlier edition to compare with
    total: int
    chapters: list[tuple[str, str]]  # (key, heading) in document order
    change_counts: dict[str, int]
    proposals: list[Proposal]  # before any KCST has discarded
    editions: list[Edition]  # every edition of the agreement, to compare with
    records: list[Edition]  # historical records between the compared editions, oldest first
    record: Record | None  # the latest of them
    paragraphs: dict[str, Target]  # each numbered paragraph by its key: what a comment on it names
    changes_html: SafeString
    document_html: SafeString
    comment_fields_html: SafeString  # the empty comment form


def marked_edition(version: Version, base: Version | None, changes_only: bool = False) -> MarkedEdition:
    state = stamp(edition_sources())
    view = "changes" if changes_only else "full"
    key = f"review:marked:{version.pk}:{base.pk if base else '-'}:{view}:{state.key}"
    if (marked := cache.get(key)) is not None:
        return marked
    marked = _build(version, base, changes_only)
    if state.settled:
        cache.set(key, marked, KEEP_SECONDS)
    return marked


def comment_fields(form: CommentForm) -> SafeString:
    return render_to_string("review/includes/comment_fields.html", {"comment_form": form})


def edition_of(version: Version) -> Edition:
    return Edition(version.pk, version.number, version.effective_label, version.historical)


def records_between(base: Version | None, version: Version) -> list[Version]:
    """Historical records later than the compared edition and earlier than the one reviewed."""
    editions = list(version.agreement.versions.all())  # in effective order
    start = editions.index(base) + 1 if base in editions else 0
    end = editions.index(version) if version in editions else len(editions)
    return [edition for edition in editions[start:end] if edition.historical]


def historical_record(record: Version, version: Version) -> Record:
    notes = {}
    for note in ChangeNote.objects.filter(version__in=[record, version]).order_by("order", "pk"):
        notes.setdefault(note.version_id, []).append(note.text)
    return Record(record.number, record.effective_label, compare_record(record, version),
                  notes.get(record.pk, []), notes.get(version.pk, []))


def _changes_only(document: Document, diff) -> Document:
    """The chapters with changes, each with only its changed paragraphs and its table if that changed."""
    counts = {chapter.key: count for chapter, count in diff.summary()}
    sections = []
    for section in document.sections:
        before = [t for t in section.before if t.marked]
        after = [t for t in section.after if t.marked]
        # A chapter's other changes (its table's rows, its notes) are marked in its block.
        block_changed = counts.get(section.key, 0) > len(before) + len(after)
        if before or after or block_changed:
            sections.append(replace(section, before=before, after=after,
                                    block=section.block if block_changed else "", notes=[]))
    document.sections = sections
    return document


def _build(version: Version, base: Version | None, changes_only: bool) -> MarkedEdition:
    diff = compare(base, version) if base else None
    chapters = diff.chapters if diff else list(version.chapters.all())
    targets = comment_targets(version)
    records = records_between(base, version)
    document = mark_changes(build_document(version, web=True), diff)
    if changes_only and diff:
        document = _changes_only(document, diff)
    template = "review/includes/changed_sections.html" if changes_only else "document/edition.html"
    return MarkedEdition(
        compared=diff is not None,
        total=diff.total if diff else 0,
        chapters=[(chapter.key, chapter.heading) for chapter in chapters],
        change_counts={chapter.key: count for chapter, count in diff.summary()} if diff else {},
        proposals=propose(diff) if diff and version.is_draft else [],
        editions=[edition_of(e) for e in version.agreement.versions.all()],
        records=[edition_of(r) for r in records],
        record=historical_record(records[-1], version) if records else None,
        paragraphs={t.key: t for t in targets if t.target == "paragraph"},
        changes_html=render_to_string("review/includes/changes.html", {"diff": diff}) if diff else SafeString(),
        document_html=render_to_string(template, {"document": document, "reviewing": True}),
        comment_fields_html=comment_fields(CommentForm(targets)),
    )
