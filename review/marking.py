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
    # The changed paragraphs in document order, numbered for the "next change" links (a subheading
    # is printed as a heading, never as a change).
    shown = [t.key for section in document.sections for t in (*section.before, *section.after)
             if f"paragraph:{t.key}" in changes and not t.is_subheading]
    numbers = {key: n for n, key in enumerate(shown, 1)}

    def mark(text):
        change = changes.get(f"paragraph:{text.key}")
        if change is None:
            return text
        number = numbers.get(text.key, 0)
        return replace(text, change=change.kind, marked=change.marked, was=change.was, change_number=number,
                       next_change=number + 1 if number and number < len(numbers) else 0)

    document.sections = [
        replace(section, before=[mark(t) for t in section.before], after=[mark(t) for t in section.after])
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

