"""The review's plain data: the evidence assembled from the cycle's returns and the edition in force,
KCST's proposals and recommendations, and the decision. The review document and the committee
report are two templates over this one set of data, for the web page and the PDF alike."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Prefetch, prefetch_related_objects

from agreements.models import CrossCuttingTheme, HorizonItem, PoliceCrimePlanPriority, Priority, Version
from documents.data import (
    AppendixA,
    HorizonCategory,
    MorileRow,
    PoliceCrimePlan,
    appendix_a_of,
    as_blocks,
    horizon_categories,
    morile_rows,
    police_crime_plan_of,
)
from assessments.aggregation import AppendixRow, CategoryChange, Matrix, Tally, appendix_rows, changes_since, matrix
from assessments.models import AssessmentCycle, ReturnItem

from .applying import items_of, plan
from .models import AnnualReview, EvidenceNote, Proposal

TOP_ISSUES = 8  # as many as the KCSP report of March 2017 listed


@dataclass(frozen=True)
class TopIssue:
    label: str
    main: int
    cross_cutting: int
    within_theme: int

    @property
    def total(self) -> int:
        return self.main + self.cross_cutting + self.within_theme


@dataclass(frozen=True)
class Cited:
    label: str
    csps: int


@dataclass(frozen=True)
class ProposalRow:
    item: str
    action: str
    sentence: str
    reasoning_html: str
    cited: list[Cited]


@dataclass(frozen=True)
class RecommendationRow:
    number: str
    text: str
    outcome: str = ""
    amendment: str = ""


@dataclass(frozen=True)
class DecisionRow:
    meeting_date: str
    minute: str
    recorded_by: str
    recorded_at: str


@dataclass
class Evidence:
    """Named as an edition's document names the same parts, so its Appendix templates print them."""

    cycle_label: str
    notes: dict[str, str]
    appendix_a: AppendixA | None
    changes: list[CategoryChange]
    compared_label: str
    top_issues: list[TopIssue]
    morile: list[MorileRow]
    horizon: list[HorizonCategory]
    police_crime_plan: PoliceCrimePlan | None


@dataclass
class ReviewDocument:
    title: str
    agreement_name: str
    area: str
    status_label: str
    is_draft: bool
    edition_label: str
    cycle_label: str
    by_line: str
    to_line: str
    subject: str
    texts: dict[str, str]
    current_priorities: list[str]
    current_themes: list[str]
    proposed_priorities: list[str]
    proposed_themes: list[str]
    evidence: Evidence
    proposals: list[ProposalRow] = field(default_factory=list)
    recommendations: list[RecommendationRow] = field(default_factory=list)
    decision: DecisionRow | None = None
    attachments: list[str] = field(default_factory=list)
    contact_html: str = ""


def build_review(review: AnnualReview) -> ReviewDocument:
    """Each record is read once (this cycle's and the previous cycle's counted issues, in one query,
    feed four tables through their Tallies) and each table computed once; the review's proposals and
    recommendations come from its prefetched lists when the caller prefetched them, as the pages do
    for their own panel, and its edition's agreement and plan from the review's selection."""
    edition = review.edition
    _read_quoted_parts(edition)
    current = {Proposal.Item.PRIORITY: items_of(edition.priorities.all()),
               Proposal.Item.THEME: items_of(edition.themes.all())}
    names = {what: {key: item.name for key, item in items.items()} for what, items in current.items()}
    proposals = list(review.proposals.all())
    decided = review.status in (AnnualReview.Status.DECIDED, AnnualReview.Status.PUBLISHED)
    previous = (
        AssessmentCycle.objects.filter(agreement=review.agreement_id, opens_on__lt=review.cycle.opens_on)
        .order_by("-opens_on").first()
    )
    tally, *compared = Tally.of(review.cycle, *([previous] if previous else []))
    rows = appendix_rows(tally)
    counts = {row.category_key: row for row in rows}
    return ReviewDocument(
        title=f"{review.agreement.name}: {review.title}",
        agreement_name=review.agreement.name,
        area=review.agreement.area,
        status_label=review.get_status_display(),
        is_draft=not decided,
        edition_label=f"{edition.number}, {edition.effective_label}",
        cycle_label=review.cycle.label,
        by_line=review.by_line,
        to_line=review.to_line,
        subject=review.subject,
        texts={name: as_blocks(getattr(review, name)) for name in AnnualReview.TEXTS},
        current_priorities=list(names[Proposal.Item.PRIORITY].values()),
        current_themes=list(names[Proposal.Item.THEME].values()),
        proposed_priorities=[item.name for item in plan(current[Proposal.Item.PRIORITY], Proposal.Item.PRIORITY,
                                                        proposals).items],
        proposed_themes=[item.name for item in plan(current[Proposal.Item.THEME], Proposal.Item.THEME,
                                                    proposals).items],
        evidence=_evidence(review, edition, tally, compared[0] if compared else None, rows),
        proposals=[_proposal_row(p, names[p.item], counts) for p in proposals],
        recommendations=_recommendations(review, decided),
        decision=_decision(review) if decided else None,
        attachments=review.attachment_list,
        contact_html=as_blocks(review.contact_html),
    )


def _read_quoted_parts(edition: Version) -> None:
    """Only the parts of the edition the review quotes: building its whole document (chapters, the
    diagram) would cost more than laying the report out. Each in its order within the edition: the
    models' own ordering starts at the edition's agreement and date, two joins that sort nothing here."""
    prefetch_related_objects([edition], *(
        Prefetch(name, queryset=model.objects.order_by("order")) for name, model in (
            ("priorities", Priority), ("themes", CrossCuttingTheme), ("horizon_items", HorizonItem),
            ("police_crime_plan__priorities", PoliceCrimePlanPriority),
        )
    ))


def _evidence(review: AnnualReview, edition: Version, tally: Tally, compared: Tally | None,
              rows: list[AppendixRow]) -> Evidence:
    """compared: the previous cycle's tally, if there was one; rows: Appendix A's."""
    previous = compared.cycle if compared else None
    changes = []
    if compared is not None:
        changes = [c for c in changes_since(previous, review.cycle, tally, compared)
                   if c.count_before != c.count_now or c.added or c.dropped or c.reclassed]
    notes = {note.block: as_blocks(note.html) for note in EvidenceNote.objects.filter(review=review)}
    found = matrix(review.cycle, tally)
    return Evidence(
        cycle_label=review.cycle.label,
        notes={block: notes.get(block, "") for block in EvidenceNote.Block.values},
        # Not provisional: the review prints no draft note under its Appendix A (its evidence is no
        # edition's draft), so the returns' totals behind that note are not read.
        appendix_a=appendix_a_of(review.cycle, rows, found, provisional=False),
        changes=changes,
        compared_label=previous.label if previous else "",
        top_issues=_top_issues(found),
        morile=morile_rows(review.cycle),
        horizon=horizon_categories(edition.horizon_items.all(), edition.horizon_heading_end),
        police_crime_plan=police_crime_plan_of(edition),
    )


def _top_issues(found: Matrix) -> list[TopIssue]:
    """The issues most CSPs named in any class, with how many named each as what."""
    rows = []
    for category in found.categories:
        kinds = Counter(found.cells.get(category.pk, {}).values())
        row = TopIssue(category.label, kinds[ReturnItem.Kind.MAIN], kinds[ReturnItem.Kind.CROSS_CUTTING],
                       kinds[ReturnItem.Kind.WITHIN_THEME])
        if row.total:
            rows.append(row)
    rows.sort(key=lambda row: (-row.total, -row.main))
    return rows[:TOP_ISSUES]


def _proposal_row(proposal: Proposal, names: dict[str, str], counts) -> ProposalRow:
    return ProposalRow(
        item=proposal.get_item_display(),
        action=proposal.get_action_display(),
        sentence=describe(proposal, names),
        reasoning_html=as_blocks(proposal.reasoning_html),
        cited=[Cited(counts[key].label, counts[key].csps) for key in proposal.cited_categories if key in counts],
    )


def describe(proposal: Proposal, names: dict[str, str]) -> str:
    """The proposal in a sentence: "'Safeguarding' expanded to 'Safeguarding Vulnerable People'".

    names: the reviewed edition's names of the proposal's kind of item, by key."""
    old = " and ".join(f"'{names.get(key, key)}'" for key in proposal.current_keys)
    new = " and ".join(f"'{name}'" for name in proposal.name_list)
    return {
        Proposal.Action.RETAIN: f"{old} retained",
        Proposal.Action.RENAME: f"{old} renamed {new}",
        Proposal.Action.EXPAND: f"{old} expanded to {new}",
        Proposal.Action.MERGE: f"{old} merged into {new}",
        Proposal.Action.SPLIT: f"{old} split into {new}",
        Proposal.Action.DROP: f"{old} dropped",
        Proposal.Action.ADD: f"{new} added",
    }[proposal.action]


def _recommendations(review: AnnualReview, decided: bool) -> list[RecommendationRow]:
    outcomes = {}
    if decided:
        outcomes = {o.recommendation_id: o for o in review.decision.outcomes.all()}
    rows = []
    for i, recommendation in enumerate(review.recommendations.all(), 1):
        outcome = outcomes.get(recommendation.pk)
        rows.append(RecommendationRow(
            f"6.{i}", recommendation.text,
            outcome.get_answer_display() if outcome else "", outcome.amendment if outcome else "",
        ))
    return rows


def _decision(review: AnnualReview) -> DecisionRow:
    decision = review.decision
    return DecisionRow(
        meeting_date=f"{decision.meeting_date:%-d %B %Y}",
        minute=decision.minute,
        recorded_by=decision.recorded_by.get_full_name() or decision.recorded_by.get_username(),
        recorded_at=f"{decision.recorded_at:%-d %B %Y %H:%M}",
    )
