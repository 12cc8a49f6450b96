"""Footnote references in a chapter's text: numbered in the order the text first refers to them.

The text writes a reference as [^key] (the note's key), so inserting, moving or deleting a note
never means retyping a number: the numbers are worked out each time the document is built.
"""

from __future__ import annotations

from collections.abc import Iterable

from .models import FOOTNOTE_REFERENCE


def note_numbers(keys: Iterable[str], texts: Iterable[str]) -> dict[str, int]:
    """Each note's number: notes the texts refer to first, in the order of their first reference,
    then any note nothing refers to yet, in the order the notes are kept."""
    known = list(keys)
    order: list[str] = []
    for text in texts:
        for key in FOOTNOTE_REFERENCE.findall(text):
            if key in known and key not in order:
                order.append(key)
    order += [key for key in known if key not in order]
    return {key: number for number, key in enumerate(order, start=1)}


def link_references(html: str, numbers: dict[str, int], anchor: str, seen: set[str]) -> str:
    """Sanitised html with each known [^key] as a superscript number linking to its note.

    The first reference to a note carries the id the note links back to; `seen` remembers, across
    the chapter's paragraphs, which notes already have one. Unknown keys stay as written, so the
    mistake shows on the page.
    """

    def reference(match) -> str:
        key = match.group(1)
        if key not in numbers:
            return match.group(0)
        number = numbers[key]
        back = "" if key in seen else f' id="{anchor}-ref-{number}"'
        seen.add(key)
        return (
            f'<sup class="footnote-ref"><a href="#{anchor}-{number}"{back} '
            f'aria-label="Note {number}">{number}</a></sup>'
        )

    return FOOTNOTE_REFERENCE.sub(reference, html)


def plain_references(text: str, numbers: dict[str, int]) -> str:
    """Plain text with each known [^key] as [1], as the review's comparison shows it."""
    return FOOTNOTE_REFERENCE.sub(
        lambda match: f"[{numbers[match.group(1)]}]" if match.group(1) in numbers else match.group(0), text
    )
