"""Cross-references in an edition's text: KCST writes [>key] where the text points to a chapter,
an appendix, a numbered paragraph or the priorities diagram, as a note is referred to with [^key].

The PDF prints the page its target starts on (CSS target-counter in print.css), the web page a
link named after the target. The key is the target's own (a chapter's or a paragraph's key, or
"diagram"), so the reference follows its target wherever chapters, paragraphs and pages move.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from django.utils.html import escape

from agreements.models import Chapter

# Written [>key]; in the stored (sanitised) html the ">" is "&gt;".
CROSS_REFERENCE = re.compile(r"\[(?:>|&gt;)([A-Za-z0-9_-]+)\]")
DIAGRAM = "diagram"
DIAGRAM_ANCHOR = "priorities-diagram"


@dataclass(frozen=True)
class Target:
    key: str
    anchor: str
    name: str

    @property
    def reference(self) -> str:
        return f"[>{self.key}]"


def targets(document) -> dict[str, Target]:
    """What the document's text may refer to, by key."""
    found = {}
    if document.diagram:
        found[DIAGRAM] = Target(DIAGRAM, DIAGRAM_ANCHOR, "the priorities diagram")
    for section in document.sections:
        found[section.key] = Target(section.key, section.anchor, section.heading)
        for text in (*section.before, *section.after):
            if text.key and text.anchor:
                found.setdefault(text.key, Target(text.key, text.anchor, f"paragraph {text.number}"))
    return found


def link_cross_references(html: str, known: dict[str, Target]) -> str:
    """Sanitised html with each known [>key] as a link to its target; an unknown key stays as
    written, so the mistake shows on the page."""

    def link(match) -> str:
        target = known.get(match.group(1))
        if target is None:
            return match.group(0)
        name = escape(target.name)
        return (
            f'<a class="cross-reference" href="#{target.anchor}" data-description="{name}">'
            f'<span class="cross-reference-name">{name}</span></a>'
        )

    return CROSS_REFERENCE.sub(link, html)


def resolve_cross_references(document) -> None:
    """Links every cross-reference in the document's paragraphs, once all its parts are built."""
    known = targets(document)

    def linked(texts):
        return [replace(t, html=link_cross_references(t.html, known)) if CROSS_REFERENCE.search(t.html) else t
                for t in texts]

    document.sections = [
        replace(section, before=linked(section.before), after=linked(section.after))
        for section in document.sections
    ]


def editor_targets(version) -> list[Target]:
    """The parts KCST's editor offers to refer to: the chapters and appendices, and the diagram
    when the edition prints one."""
    chapters = list(version.chapters.all())
    found = [Target(c.key, f"chapter-{c.key}", c.heading) for c in chapters]
    if any(c.generated == Chapter.Generated.PRIORITIES_DIAGRAM for c in chapters):
        found.append(Target(DIAGRAM, DIAGRAM_ANCHOR, "the priorities diagram"))
    return found
