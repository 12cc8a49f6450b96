"""The plain data of one edition, from which the web page and the PDF are both rendered.

`build_document(version)` reads an edition in a fixed number of queries, whatever the number of
its paragraphs, priorities or returns, and returns dataclasses the templates only display.

Fields ending in `html` hold text that was sanitised on save (paragraphs, achievements, the
Police and Crime Plan introduction) or is sanitised here (the agreement's contact details); they
are the only ones a template may mark safe. Everything else is plain text and is escaped.
"""

from __future__ import annotations

import html as html_lib
import re
from collections import defaultdict
from dataclasses import dataclass, field, replace

from django.db.models import Prefetch, Q
from django.utils.html import escape, strip_tags

from agreements.footnotes import link_references, note_numbers, plain_references
from agreements.models import AgreementImage, Chapter, EditionLogo, Footnote, HorizonItem, Paragraph, PoliceCrimePlanPriority, Priority, Version, number_paragraphs
from agreements.sanitise import sanitise_html
from assessments import aggregation
from assessments.aggregation import Tally, appendix_a, matrix
from assessments.models import AssessmentCycle, AssessmentReturn, MorileScore, ReturnItem, shortened
from assessments.morile import ranked

from .cross_references import EditorTargets, link_cross_references, paragraph_anchor, resolve_cross_references, table_key
from .diagram import NARROW, priorities_diagram

Generated = Chapter.Generated

# The chapter that holds the contact page, when an edition has one; otherwise the agreement's
# contact details are printed on a page of their own.
CONTACT_KEY = "contact"

# Printed under Appendix A while a return is provisional and the edition is a draft.
DRAFT_NOTE = "Please note the details below are draft and may be subject to change."

MORILE_TOP = 5

MATRIX_MARKS = {
    ReturnItem.Kind.MAIN: "Main",
    ReturnItem.Kind.CROSS_CUTTING: "Cross-cutting",
    ReturnItem.Kind.WITHIN_THEME: "Within theme",
}

# A paragraph ending like this introduces the generated block ("... include:", "... :-").
_LEAD_IN = re.compile(r":-?$")
_BLOCK_TAG = re.compile(r"</?(p|ul|ol|table)\b[^>]*>", re.I)
_DOUBLE_BREAK = re.compile(r"(?:\s*<br\s*/?>\s*){2,}", re.I)
_EDGE_BREAKS = re.compile(r"^(?:\s*<br\s*/?>)+|(?:<br\s*/?>\s*)+$", re.I)


@dataclass(frozen=True)
class Note:
    text: str
    to_be_updated: bool


@dataclass(frozen=True)
class VersionRow:
    number: str
    effective_label: str
    notes: list[Note]


@dataclass(frozen=True)
class Text:
    """A paragraph as printed: its number (6.1), style, and sanitised html split into blocks,
    the number (and a "To be updated" mark) leading the first block."""

    number: str
    style: str
    html: str
    text: str
    to_be_updated: bool
    lead_in: bool = False
    printed: str = Paragraph.Printed.ALWAYS
    key: str = ""
    pk: int | None = None
    # Set only on the review page: the change since the compared edition, escaped and marked up,
    # where a moved paragraph stood, and its place among the changes (for "next change" links).
    change: str = ""
    marked: str = ""
    was: str = ""
    change_number: int = 0
    next_change: int = 0

    @property
    def is_subheading(self) -> bool:
        return self.style == Paragraph.Style.SUBHEADING

    @property
    def anchor(self) -> str:
        return paragraph_anchor(self.number) if self.number else ""


@dataclass(frozen=True)
class FootnoteText:
    """A chapter's note as printed: its number and sanitised html, and where its first reference is."""

    number: int
    html: str
    anchor: str
    referred: bool
    key: str = ""
    pk: int | None = None

    @property
    def reference(self) -> str:
        return f"[^{self.key}]"


@dataclass(frozen=True)
class Section:
    """A chapter, appendix, the Foreword or the contact page, with its generated block."""

    key: str
    label: str
    title: str
    heading: str
    is_appendix: bool
    block: str
    before: list[Text]
    after: list[Text]
    in_contents: bool = True
    block_heading: str = ""  # the generated table's count column, when the chapter names one
    notes: list[FootnoteText] = field(default_factory=list)

    @property
    def anchor(self) -> str:
        return f"chapter-{self.key}"

    @property
    def table_anchor(self) -> str:
        """Where a reference to the generated part's (first) table points."""
        return table_key(self.key)

    @property
    def block_template(self) -> str:
        return f"document/blocks/{self.block}.html"

    @property
    def is_contact(self) -> bool:
        return self.key == CONTACT_KEY


@dataclass(frozen=True)
class PriorityRow:
    name: str
    gloss: str
    includes: list[str]
    includes_note: str
    lead: str
    key: str = ""
    includes_name: str = ""  # the name before its includes-list, where the agreement words it so
    leads_name: str = ""  # the name in the leads table, likewise
    # Set only on the review page: a rename or a changed lead, escaped and marked up.
    name_marked: str = ""
    lead_marked: str = ""

    @property
    def has_includes(self) -> bool:
        return bool(self.includes or self.includes_note)


@dataclass(frozen=True)
class ThemeIncludes:
    """A cross-cutting theme's includes-list, under the diagram with the priorities'."""

    name: str
    includes: list[str]


@dataclass(frozen=True)
class Achievement:
    title: str
    html: str


@dataclass(frozen=True)
class ItemGroup:
    heading: str
    items: list[str]


@dataclass(frozen=True)
class HorizonLine:
    """One horizon-scanning item, with the qualifier the source prints in italics after it."""

    text: str
    note: str = ""


@dataclass(frozen=True)
class HorizonGroup:
    heading: str
    items: list[HorizonLine]


@dataclass(frozen=True)
class HorizonCategory:
    label: str
    groups: list[HorizonGroup]


@dataclass(frozen=True)
class PoliceCrimePlan:
    title: str
    period: str
    intro_html: str
    groups: list[ItemGroup]
    in_diagram: list[str]
    diagram_heading: str
    tables_heading: str = ""  # its table beside the CSA priorities (Appendix E)
    in_tables: list[str] = field(default_factory=list)  # in_diagram, as that table words them


@dataclass(frozen=True)
class AppendixRow:
    label: str
    csps: int


@dataclass(frozen=True)
class Matrix:
    partnerships: list[str]
    rows: list[tuple[str, list[str]]]
    description: str


@dataclass(frozen=True)
class AppendixA:
    cycle_label: str
    rows: list[AppendixRow]
    provisional: bool
    other_focus_areas: str
    matrix: Matrix | None = None
    draft_note: str = DRAFT_NOTE


@dataclass(frozen=True)
class MorileRow:
    issue: str
    csps: int
    top: int


@dataclass(frozen=True)
class Logo:
    """A crest or logo as printed: its stored file's address (which names its bytes, so it never
    changes under a published page) and what a screen reader says in its place."""

    url: str
    alt: str
    width: int
    height: int


@dataclass
class Document:
    agreement_name: str
    agreement_slug: str
    area: str
    period: str
    number: str
    effective_label: str
    status: str
    status_label: str
    is_draft: bool
    historical: bool
    sources: str
    version_rows: list[VersionRow]
    sections: list[Section] = field(default_factory=list)
    priorities: list[PriorityRow] = field(default_factory=list)
    themes: list[str] = field(default_factory=list)
    theme_includes: list[ThemeIncludes] = field(default_factory=list)
    diagram_key: list[str] = field(default_factory=list)
    paragraph_numbers: str = "plain"  # printed "1.1" or, "dotted", "1.1."
    chapters_on_right: bool = False
    plans: list[str] = field(default_factory=list)
    authorities: list[str] = field(default_factory=list)
    signatories: list[str] = field(default_factory=list)
    horizon: list[HorizonCategory] = field(default_factory=list)
    achievements: list[Achievement] = field(default_factory=list)
    police_crime_plan: PoliceCrimePlan | None = None
    appendix_a: AppendixA | None = None
    morile: list[MorileRow] = field(default_factory=list)
    cycle_label: str = ""
    diagram: str = ""
    diagram_narrow: str = ""
    contact_html: str = ""
    priority_tables: Section | None = None  # where the diagram is repeated as tables
    cover_logos: list[Logo] = field(default_factory=list)
    back_page_logos: list[Logo] = field(default_factory=list)
    in_partnership_logos: list[Logo] = field(default_factory=list)

    @property
    def has_partner_logos(self) -> bool:
        return bool(self.back_page_logos or self.in_partnership_logos)

    @property
    def title(self) -> str:
        """The document title, as in the PDF metadata and the page's <title>."""
        title = f"{self.agreement_name} {self.number}, {self.effective_label}"
        return f"{title} (draft)" if self.is_draft else title

    @property
    def has_contact_section(self) -> bool:
        return any(section.is_contact for section in self.sections)

    @property
    def contents(self) -> list[Section]:
        return [section for section in self.sections if section.in_contents]


def build_document(version: Version, *, web: bool = False) -> Document:
    """Everything an edition prints, read in a fixed number of queries.

    web=True adds what only the web page shows: the district-by-category matrix under
    Appendix A (a twelve-column table does not fit an A4 page, and the council document never
    printed it) and a two-column layout of the diagram for phones.
    """
    version = (
        Version.objects.select_related("agreement", "police_crime_plan")
        .prefetch_related(
            Prefetch("chapters", queryset=Chapter.objects.prefetch_related("paragraphs", "footnotes")),
            Prefetch("priorities", queryset=Priority.objects.select_related("lead")),
            "themes", "plan_links", "authorities", "signatories", "horizon_items", "achievements",
            Prefetch("police_crime_plan__priorities", queryset=PoliceCrimePlanPriority.objects.order_by("order")),
            Prefetch("logos", queryset=EditionLogo.objects.select_related("image")),
        )
        .get(pk=version.pk)
    )
    agreement = version.agreement
    logos = {place: [] for place in EditionLogo.Place}
    for logo in version.logos.all():
        logos[logo.place].append(_logo(logo.image))
    document = Document(
        agreement_name=agreement.name,
        agreement_slug=agreement.slug,
        area=agreement.area,
        period=agreement.period,
        number=version.number,
        effective_label=version.effective_label,
        status=version.status,
        status_label=version.get_status_display(),
        is_draft=not version.is_published,
        historical=version.historical,
        sources=version.sources,
        version_rows=_version_rows(version),
        priorities=[_priority_row(p) for p in version.priorities.all()],
        themes=[theme.name for theme in version.themes.all()],
        theme_includes=[
            ThemeIncludes(theme.includes_name or theme.name, theme.includes_list)
            for theme in version.themes.all() if theme.includes_list
        ],
        diagram_key=[line.strip() for line in version.diagram_key.splitlines() if line.strip()],
        paragraph_numbers=agreement.paragraph_numbers,
        chapters_on_right=agreement.chapters_on_right,
        plans=[item.text for item in version.plan_links.all()],
        authorities=[item.text for item in version.authorities.all()],
        signatories=[item.text for item in version.signatories.all()],
        horizon=horizon_categories(version.horizon_items.all(), version.horizon_heading_end),
        achievements=[Achievement(a.title, a.html) for a in version.achievements.all()],
        police_crime_plan=police_crime_plan_of(version),
        cover_logos=logos[EditionLogo.Place.COVER],
        back_page_logos=logos[EditionLogo.Place.BACK_PAGE],
        in_partnership_logos=logos[EditionLogo.Place.IN_PARTNERSHIP],
    )
    chapters = list(version.chapters.all())
    blocks = {chapter.generated for chapter in chapters}
    cycle = None
    if blocks & {Generated.STRATEGIC_ASSESSMENTS, Generated.MORILE}:
        cycle = AssessmentCycle.objects.filter(version=version).order_by("-opens_on").first()
        document.cycle_label = cycle.label if cycle else ""
    if cycle is not None and Generated.STRATEGIC_ASSESSMENTS in blocks:
        document.appendix_a = appendix_a_block(cycle, with_matrix=web)
    if cycle is not None and Generated.MORILE in blocks:
        document.morile = morile_rows(cycle)
    if Generated.PRIORITIES_DIAGRAM in blocks and (document.priorities or document.themes):
        plan = document.police_crime_plan
        content = {
            "area": document.area,
            "priorities": [_with_gloss(p) for p in document.priorities],
            "themes": document.themes,
            "police": plan.in_diagram if plan else [],
            "police_heading": plan.diagram_heading if plan else "",
        }
        document.diagram = priorities_diagram(**content)
        if web:
            document.diagram_narrow = priorities_diagram(
                **content, layout=NARROW, id_prefix="priorities-diagram-narrow"
            )
    document.sections = [s for s in (_section(c, document) for c in chapters) if s is not None]
    document.priority_tables = next((s for s in document.sections if s.block == Generated.PRIORITY_TABLES), None)
    resolve_cross_references(document)
    if not document.has_contact_section and agreement.contact_html.strip():
        # Not sanitised on save, unlike the edition's own text: sanitised here before printing.
        document.contact_html = as_blocks(sanitise_html(agreement.contact_html))
    return document


def _logo(image: AgreementImage) -> Logo:
    return Logo(image.url, image.alt, image.width, image.height)


def _version_rows(version: Version) -> list[VersionRow]:
    """Every version of the agreement up to and including this one, oldest first."""
    earlier = Q(effective_year__lt=version.effective_year) | Q(
        effective_year=version.effective_year, effective_month__lte=version.effective_month
    )
    versions = (
        Version.objects.filter(earlier, agreement_id=version.agreement_id)
        .prefetch_related("change_notes")
    )
    rows = sorted(
        versions, key=lambda v: (v.effective_year, v.effective_month, *map(int, v.number.split(".")))
    )
    return [
        VersionRow(v.number, v.effective_label, [Note(n.text, n.to_be_updated) for n in v.change_notes.all()])
        for v in rows
    ]


def _priority_row(priority: Priority) -> PriorityRow:
    lead = getattr(priority, "lead", None)
    return PriorityRow(
        name=priority.name,
        gloss=priority.gloss,
        includes=priority.includes_list,
        includes_note=priority.includes_note,
        lead=(str(lead) if lead is not None else "") or "Not yet named",
        key=priority.key,
        includes_name=priority.includes_name or priority.name,
        leads_name=priority.leads_name or priority.name,
    )


def _with_gloss(priority: PriorityRow) -> str:
    return f"{priority.name} ({priority.gloss})" if priority.gloss else priority.name


def horizon_categories(items, heading_end: str = "") -> list[HorizonCategory]:
    """Items by PESTELO category in the usual order, each category's label ending as the edition's
    source ends it ("Political:"); within one, ungrouped items first."""
    by_category: dict[str, dict[str, list[HorizonLine]]] = defaultdict(dict)
    for item in items:
        by_category[item.category].setdefault(item.group, []).append(HorizonLine(item.text, item.note))
    categories = []
    for value, label in HorizonItem.Category.choices:
        groups = by_category.get(value)
        if not groups:
            continue
        ordered = sorted(groups.items(), key=lambda pair: pair[0] != "")  # stable: "" first
        categories.append(HorizonCategory(
            f"{label}{heading_end}", [HorizonGroup(heading, lines) for heading, lines in ordered]
        ))
    return categories


def police_crime_plan_of(version: Version) -> PoliceCrimePlan | None:
    plan = getattr(version, "police_crime_plan", None)
    if plan is None:
        return None
    area = version.agreement.area
    lead_ins = {
        PoliceCrimePlanPriority.Group.PRINCIPLE: "The guiding principles of the plan are:",
        PoliceCrimePlanPriority.Group.POLICE: f"{area} Police's priorities are to:",
        PoliceCrimePlanPriority.Group.COMMISSIONER: "The Police and Crime Commissioner will:",
    }
    priorities = list(plan.priorities.all())
    groups = []
    for value, _label in PoliceCrimePlanPriority.Group.choices:
        texts = [p.text for p in priorities if p.group == value]
        if texts:
            groups.append(ItemGroup(lead_ins[value], texts))
    return PoliceCrimePlan(
        title=plan.title,
        period=plan.period,
        intro_html=as_blocks(plan.intro_html),
        groups=groups,
        in_diagram=[p.text for p in priorities if p.in_diagram],
        diagram_heading=f"{area} PCC's priorities from {plan.title} {plan.period}",
        tables_heading=plan.tables_heading or f"{plan.title} ({plan.period}) – {area} PCC's Priorities:",
        in_tables=[p.tables_text or p.text for p in priorities if p.in_diagram],
    )


def appendix_a_block(cycle: AssessmentCycle, with_matrix: bool) -> AppendixA:
    tally = Tally(cycle)
    table = appendix_a(cycle, tally)
    return appendix_a_of(cycle, table.rows, matrix(cycle, tally) if with_matrix else None, table.has_provisional)


def appendix_a_of(cycle: AssessmentCycle, rows: list[aggregation.AppendixRow], found: aggregation.Matrix | None,
                  provisional: bool) -> AppendixA:
    """Appendix A as a document prints it, from the tables the aggregation computed: the annual
    review computes them once for several blocks of its evidence."""
    grid = None
    if found is not None:
        grid = Matrix(
            # As the partnerships were called that year: a published edition keeps its own time's names.
            partnerships=[shortened(p.name_in(cycle.year)) for p in found.partnerships],
            rows=[
                (category.label, [MATRIX_MARKS.get(mark, "") for mark in marks])
                for category, marks in found.rows()
                if any(marks)
            ],
            description=cycle.description,
        )
    return AppendixA(
        cycle_label=cycle.label,
        rows=[AppendixRow(row.label, row.csps) for row in rows],
        provisional=provisional,
        other_focus_areas=cycle.other_focus_areas.strip(),
        matrix=grid,
    )


def morile_rows(cycle: AssessmentCycle) -> list[MorileRow]:
    """The issues the cycle's accepted returns scored with MoRiLE: how many CSPs scored each, and
    how many ranked it in their top five (ranks from the configurable function in
    assessments.morile). Issues in most top fives first."""
    scores = MorileScore.objects.filter(
        assessment_return__cycle=cycle, assessment_return__status=AssessmentReturn.Status.ACCEPTED
    ).order_by("assessment_return__partnership__name", "issue")  # as their own ordering has them within one cycle
    by_return: dict[int, list[MorileScore]] = defaultdict(list)
    for score in scores:
        by_return[score.assessment_return_id].append(score)
    scored: dict[str, int] = defaultdict(int)
    top: dict[str, int] = defaultdict(int)
    for return_scores in by_return.values():
        for rank, score in ranked(return_scores):
            issue = " ".join(score.issue.split())
            scored[issue] += 1
            top[issue] += rank <= MORILE_TOP
    rows = [MorileRow(issue, scored[issue], top[issue]) for issue in scored]
    return sorted(rows, key=lambda row: (-row.top, -row.csps, row.issue.lower()))


def _block_has_content(block: str, document: Document) -> bool:
    plan = document.police_crime_plan
    return {
        Generated.ACHIEVEMENTS: bool(document.achievements),
        Generated.PRIORITIES_DIAGRAM: bool(document.diagram),
        Generated.LEADS: bool(document.priorities),
        Generated.PLANS: bool(document.plans),
        Generated.AUTHORITIES: bool(document.authorities),
        Generated.SIGNATORIES: bool(document.signatories),
        Generated.STRATEGIC_ASSESSMENTS: bool(document.appendix_a and document.appendix_a.rows),
        Generated.MORILE: bool(document.morile),
        Generated.HORIZON_SCANNING: bool(document.horizon),
        Generated.POLICE_CRIME_PLAN: bool(plan and (plan.groups or plan.intro_html)),
        Generated.PRIORITY_TABLES: bool(document.priorities or document.themes or (plan and plan.in_diagram)),
    }.get(block, False)


def _section(chapter: Chapter, document: Document) -> Section | None:
    block = chapter.generated if _block_has_content(chapter.generated, document) else ""
    texts, notes = chapter_texts(chapter, list(chapter.paragraphs.all()), list(chapter.footnotes.all()))
    texts = [t for t in texts if _printed(t, block, document.is_draft)]
    if not texts and not block:
        return None  # no empty headings
    before, after = _split_at_block(block, texts, chapter.block_after)
    return Section(
        key=chapter.key,
        label=chapter.label,
        title=chapter.title,
        heading=chapter.heading,
        is_appendix=chapter.is_appendix,
        block=block,
        before=before,
        after=after,
        in_contents=chapter.key != CONTACT_KEY,
        block_heading=chapter.block_heading,
        notes=notes,
    )


def _split_at_block(block: str, texts: list[Text], after_key: str = "") -> tuple[list[Text], list[Text]]:
    """Where the generated block goes among the chapter's paragraphs.

    After the paragraph the chapter names (`Chapter.block_after`, e.g. 6.9 "The diagram below"),
    else after the paragraph that introduces it ("Some of the progress and key achievements
    include:"), or else after all of them. Appendix D is the exception: the plan's own text and
    lists come first, and the chapter's paragraphs comment on them ("detailed above").
    """
    if not block:
        return texts, []
    keys = [t.key for t in texts]
    if after_key in keys:
        cut = keys.index(after_key) + 1
        return texts[:cut], texts[cut:]
    if block == Generated.POLICE_CRIME_PLAN:
        return [], texts
    lead_ins = [i for i, t in enumerate(texts) if not t.is_subheading and _LEAD_IN.search(t.text)]
    if not lead_ins:
        return texts, []
    cut = lead_ins[-1]
    before = [*texts[:cut], _as_lead_in(texts[cut])]
    return before, texts[cut + 1:]


def _as_lead_in(text: Text) -> Text:
    return replace(text, lead_in=True)


def _printed(text: Text, block: str, is_draft: bool) -> bool:
    """Whether the paragraph prints: draft-only wording goes at publication, and a paragraph that
    the chapter's table prints from the data goes wherever the table is shown."""
    Printed = Paragraph.Printed
    if text.printed == Printed.WHILE_DRAFT:
        return is_draft
    return not (text.printed == Printed.BY_BLOCK and block)


def _text(paragraph: Paragraph, notes: dict[str, int], anchor: str, referred: set[str]) -> Text:
    plain = plain_references(plain_text(paragraph.html), notes)
    is_subheading = paragraph.style == Paragraph.Style.SUBHEADING
    html = "" if is_subheading else link_references(as_blocks(paragraph.html), notes, anchor, referred)
    prefix = ""
    if paragraph.number:
        prefix += f'<span class="paragraph-number">{escape(paragraph.number)}</span> '
    if paragraph.to_be_updated:
        prefix += '<strong class="tag-to-be-updated">To be updated</strong> '
    if prefix and html:
        # Inside the first paragraph, so the number never parts from its text at a page foot.
        html = f"<p>{prefix}{html[3:]}" if html.startswith("<p>") else f"<p>{prefix.strip()}</p>{html}"
    return Text(
        number=paragraph.number,
        style=paragraph.style,
        html=html,
        text=plain,
        to_be_updated=paragraph.to_be_updated,
        printed=paragraph.printed,
        key=paragraph.key,
        pk=paragraph.pk,
    )


def plain_text(html: str) -> str:
    return " ".join(html_lib.unescape(strip_tags(html)).split())


def as_blocks(html: str) -> str:
    """Sanitised html with every run of loose text wrapped in <p>, so it reads as paragraphs.

    "Intro:<ul>...</ul>More" becomes "<p>Intro:</p><ul>...</ul><p>More</p>"; a double <br>
    starts a new paragraph. Only tags the sanitiser allows can appear, so the tags are balanced.
    """
    out: list[str] = []
    run: list[str] = []
    depth = 0

    def flush():
        text = "".join(run)
        run.clear()
        for part in _DOUBLE_BREAK.split(text):
            part = _EDGE_BREAKS.sub("", part).strip()
            if part:
                out.append(f"<p>{part}</p>")

    position = 0
    for match in _BLOCK_TAG.finditer(html):
        between = html[position:match.start()]
        (run if depth == 0 else out).append(between)
        position = match.end()
        closing = match.group(0).startswith("</")
        if depth == 0 and not closing:
            flush()
        out.append(match.group(0))
        depth += -1 if closing else 1
        depth = max(depth, 0)
    tail = html[position:]
    (run if depth == 0 else out).append(tail)
    flush()
    return "".join(out)


def chapter_texts(chapter: Chapter, paragraphs: list[Paragraph], footnotes: list[Footnote]
                  ) -> tuple[list[Text], list[FootnoteText]]:
    """A chapter's paragraphs as printed, numbered, their note references numbered, and its notes
    in the order of those numbers."""
    numbered = number_paragraphs(chapter, paragraphs)
    numbers = note_numbers((n.key for n in footnotes), (p.html for p in numbered))
    anchor = f"chapter-{chapter.key}-note"
    referred: set[str] = set()
    texts = [_text(p, numbers, anchor, referred) for p in numbered]
    notes = sorted(
        (FootnoteText(numbers[n.key], as_blocks(n.html), f"{anchor}-{numbers[n.key]}", n.key in referred,
                      key=n.key, pk=n.pk)
         for n in footnotes),
        key=lambda note: note.number,
    )
    return texts, notes


def paragraph_preview(paragraph: Paragraph, paragraphs: list[Paragraph], targets: EditorTargets) -> Text:
    """One paragraph as the document will print it, before it is saved: numbered among its
    chapter's `paragraphs` (in order, this very instance among them), its note references numbered,
    its references to the edition's `targets` linked."""
    paragraph.html = sanitise_html(paragraph.html)
    texts, _notes = chapter_texts(paragraph.chapter, paragraphs, list(paragraph.chapter.footnotes.all()))
    text = texts[next(i for i, p in enumerate(paragraphs) if p is paragraph)]
    # Where the rest of the edition stands is not built here: a reference names its target.
    return replace(text, html=link_cross_references(text.html, targets.by_key(), place=None))
