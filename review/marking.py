"""Marks the changes found by documents.diff inside the edition's own document, for the review page.

The document is the same plain data the public page and the PDF use; only the review page passes
it through here, so neither of those ever shows a mark or a comment.
"""

from __future__ import annotations

from dataclasses import replace

from documents.diff import EditionDiff
from documents.data import Document


def mark_changes(document: Document, diff: EditionDiff | None) -> Document:
    if diff is None:
        return document
    changes = diff.by_key()
    counted = 0

    def mark(text):
        nonlocal counted
        change = changes.get(f"paragraph:{text.key}")
        if change is None:
            return text
        counted += 1
        return replace(text, change=change.kind, marked=change.marked, was=change.was, change_number=counted)

    document.sections = [
        replace(section, before=[mark(t) for t in section.before], after=[mark(t) for t in section.after])
        for section in document.sections
    ]
    document.sections = [
        replace(section, before=_linked(section.before, counted), after=_linked(section.after, counted))
        for section in document.sections
    ]
    marked_priorities = []
    for row in document.priorities:
        renamed = changes.get(f"priority:{row.key}")
        lead = changes.get(f"lead:{row.key}")
        marked_priorities.append(replace(
            row,
            name_marked=renamed.marked if renamed and renamed.kind == "renamed" else "",
            lead_marked=lead.marked if lead else "",
        ))
    document.priorities = marked_priorities
    return document


def _linked(texts, counted: int):
    return [replace(t, next_change=t.change_number + 1 if t.change_number and t.change_number < counted else 0)
            for t in texts]
