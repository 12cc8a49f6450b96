"""Cross-references in an edition's text: KCST writes [>key] where the text points to a chapter,
an appendix, a numbered paragraph, a table or the priorities diagram, as a note is referred to
with [^key].

The PDF prints the page its target starts on (CSS target-counter in print.css), the web page a
link named after the target. The key is the target's own (a chapter's or a paragraph's key,
"diagram", or a table's), so the reference follows its target wherever chapters, paragraphs and
pages move.

Where the text gives the reference as a page ("on p.[>diagram]", "page [>diagram]"), those words
are the PDF's alone: a web page has no pages, so it says where the target is instead ("above" or
"below"), as a link that names the target to a screen reader.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from django.db.models import Prefetch
from django.utils.html import escape

from agreements.models import Chapter, Paragraph, number_paragraphs

# Written [>key]; in the stored (sanitised) html the ">" is "&gt;". Page words before it print only.
CROSS_REFERENCE = re.compile(r"(?P<page>\b(?:on )?(?:p\.|page )\s*)?\[(?:>|&gt;)(?P<key>[A-Za-z0-9_-]+)\]")
DIAGRAM = "diagram"
DIAGRAM_ANCHOR = "priorities-diagram"
VERSION_TABLE = "version-control-table"

# The generated parts printed as a table, whose first table a reference can point to.
TABLE_BLOCKS = {
    Chapter.Generated.LEADS, Chapter.Generated.STRATEGIC_ASSESSMENTS, Chapter.Generated.MORILE,
    Chapter.Generated.PRIORITY_TABLES,
}
_FIRST_TABLE = re.compile(r"<table\b")


def paragraph_anchor(number: str) -> str:
    """A numbered paragraph's anchor on the web page (6.3 is paragraph-6-3)."""
    return f"paragraph-{number.replace('.', '-')}"


def table_key(key: str) -> str:
    """The key (and anchor) of a chapter's generated table, or of a paragraph's table."""
    return f"table-{key}"


@dataclass(frozen=True)
class Target:
    key: str
    anchor: str
    name: str
    # Where it stands in the document, (section, place in the section), to say "above" or "below".
    place: tuple[int, float] = field(default=(0, 0.0), compare=False)

    @property
    def reference(self) -> str:
        return f"[>{self.key}]"


def _places(section) -> tuple[dict[int, float], float]:
    """Each of the section's texts' place (by id) and its generated block's, in reading order."""
    places = {id(text): float(i) for i, text in enumerate(section.before)}
    block = len(section.before)
    places.update({id(text): block + 1.0 + i for i, text in enumerate(section.after)})
    return places, float(block)


def targets(document) -> dict[str, Target]:
    """What the document's text may refer to, by key."""
    found = {VERSION_TABLE: Target(VERSION_TABLE, VERSION_TABLE, "the version-control table", (-1, 0.0))}
    for number, section in enumerate(document.sections):
        places, block = _places(section)
        found[section.key] = Target(section.key, section.anchor, section.heading, (number, -1.0))
        if section.block == Chapter.Generated.PRIORITIES_DIAGRAM and document.diagram:
            found[DIAGRAM] = Target(DIAGRAM, DIAGRAM_ANCHOR, "the priorities diagram", (number, block))
        if section.block in TABLE_BLOCKS:
            key = section.table_anchor
            found[key] = Target(key, key, f"the table in {section.heading}", (number, block))
        for text in (*section.before, *section.after):
            if text.key and text.anchor:
                place = (number, places[id(text)])
                found.setdefault(text.key, Target(text.key, text.anchor, f"paragraph {text.number}", place))
                if _FIRST_TABLE.search(text.html):
                    key = table_key(text.key)
                    found[key] = Target(key, key, f"the table in paragraph {text.number}", place)
    return found


def link_cross_references(html: str, known: dict[str, Target], place: tuple[int, float] | None = (0, 0.0)) -> str:
    """Sanitised html with each known [>key] as a link to its target; an unknown key stays as
    written, so the mistake shows on the page. `place` is where the html stands in the document,
    or None where that is not known (the editor's preview): a page reference then keeps its words
    and names its target, as "on page the priorities diagram"."""

    def link(match) -> str:
        target = known.get(match.group("key"))
        if target is None:
            return match.group(0)
        name = escape(target.name)
        page_words = match.group("page") or ""
        if page_words and place is not None:
            where = "above" if target.place < place else "below"
            return (
                f'<span class="print-only">{page_words}</span>'
                f'<a class="cross-reference" href="#{target.anchor}" data-description="{name}">'
                f'<span class="cross-reference-name">{where}<span class="visually-hidden"> ({name})</span></span></a>'
            )
        return (
            f'{page_words}<a class="cross-reference" href="#{target.anchor}" data-description="{name}">'
            f'<span class="cross-reference-name">{name}</span></a>'
        )

    return CROSS_REFERENCE.sub(link, html)


def resolve_cross_references(document) -> None:
    """Links every cross-reference in the document's paragraphs, once all its parts are built, and
    gives each paragraph's table the anchor a reference to it points to."""
    known = targets(document)

    def resolved(text, place):
        html = text.html
        if text.key and text.anchor and _FIRST_TABLE.search(html):
            html = _FIRST_TABLE.sub(f'<table id="{table_key(text.key)}"', html, count=1)
        if CROSS_REFERENCE.search(html):
            html = link_cross_references(html, known, place)
        return replace(text, html=html) if html != text.html else text

    sections = []
    for number, section in enumerate(document.sections):
        places, _block = _places(section)
        sections.append(replace(
            section,
            before=[resolved(t, (number, places[id(t)])) for t in section.before],
            after=[resolved(t, (number, places[id(t)])) for t in section.after],
        ))
    document.sections = sections


@dataclass(frozen=True)
class EditorTargets:
    """What KCST's editor offers to refer to: the parts, and the numbered paragraphs (many, so the
    page folds them away)."""

    parts: list[Target]
    paragraphs: list[Target]

    def by_key(self) -> dict[str, Target]:
        return {target.key: target for target in (*self.parts, *self.paragraphs)}


def editor_targets(version) -> EditorTargets:
    """The chapters and appendices, their tables and the version-control table, the tables KCST put
    in paragraphs, and the diagram when the edition prints one; and every numbered paragraph."""
    in_order = Paragraph.objects.order_by("order", "pk")
    chapters = list(version.chapters.prefetch_related(Prefetch("paragraphs", queryset=in_order)))
    parts = [Target(c.key, f"chapter-{c.key}", c.heading) for c in chapters]
    if any(c.generated == Chapter.Generated.PRIORITIES_DIAGRAM for c in chapters):
        parts.append(Target(DIAGRAM, DIAGRAM_ANCHOR, "the priorities diagram"))
    parts.append(Target(VERSION_TABLE, VERSION_TABLE, "the version-control table"))
    parts += [
        Target(table_key(c.key), table_key(c.key), f"the table in {c.heading}")
        for c in chapters if c.generated in TABLE_BLOCKS
    ]
    numbered = [p for c in chapters for p in number_paragraphs(c, c.paragraphs.all()) if p.key and p.number]
    parts += [
        Target(table_key(p.key), table_key(p.key), f"the table in paragraph {p.number}")
        for p in numbered if _FIRST_TABLE.search(p.html)
    ]
    return EditorTargets(parts, [Target(p.key, paragraph_anchor(p.number), f"paragraph {p.number}") for p in numbered])
