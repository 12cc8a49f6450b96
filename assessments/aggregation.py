"""Appendix A and the district-by-category matrix, computed from the returns.

Only accepted returns count: KCST has checked them; a return KCST corrected afterwards counts as
its newest correction has it. Every function runs a fixed number of
queries whatever the number of returns, and returns plain data for the templates.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property

from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q

from .models import (
    AssessmentCycle,
    AssessmentReturn,
    Category,
    CorrectedIssue,
    Partnership,
    PartnershipName,
    ReturnCorrection,
    ReturnItem,
)

COUNTED = AssessmentReturn.Status.ACCEPTED


@dataclass(frozen=True)
class Issue:
    """One categorised issue an accepted return counts with."""

    category_id: int
    category_key: str
    category_name: str
    category_includes: str
    kind: str
    partnership_id: int
    partnership: str

    @property
    def label(self) -> str:
        return f"{self.category_name} ({self.category_includes})" if self.category_includes else self.category_name


def counted_issues(cycle: AssessmentCycle) -> list[Issue]:
    """The categorised issues of the cycle's accepted returns, each return's as its newest correction
    has them if KCST corrected it (assessments.keeping), in one query."""
    return counted_issues_of([cycle])[cycle.pk]


def counted_issues_of(cycles: list[AssessmentCycle]) -> dict[int, list[Issue]]:
    """counted_issues of several cycles, by cycle id, in one query."""
    fields = ("category_id", "category__key", "category__name", "category__includes", "kind")
    as_accepted = ReturnItem.objects.filter(
        assessment_return__cycle__in=cycles, assessment_return__status=COUNTED, category__isnull=False,
        assessment_return__corrections__isnull=True,
    ).order_by().values_list(*fields, "assessment_return__partnership_id", "assessment_return__partnership__name",
                             "assessment_return__cycle_id")
    newer = ReturnCorrection.objects.filter(
        assessment_return=OuterRef("correction__assessment_return"), pk__gt=OuterRef("correction_id")
    )
    as_corrected = CorrectedIssue.objects.filter(
        ~Exists(newer), correction__assessment_return__cycle__in=cycles,
        correction__assessment_return__status=COUNTED, category__isnull=False,
    ).order_by().values_list(*fields, "correction__assessment_return__partnership_id",
                  "correction__assessment_return__partnership__name", "correction__assessment_return__cycle_id")
    found: dict[int, list[Issue]] = {cycle.pk: [] for cycle in cycles}
    for *row, cycle_id in as_accepted.union(as_corrected, all=True):
        found[cycle_id].append(Issue(*row))
    return found


class Tally:
    """A cycle's counted issues, categories and counted partnerships, each read when first needed and
    then kept, so a page building several of the tables below (the annual review builds four) reads
    them once. Build a new one after the returns change."""

    def __init__(self, cycle: AssessmentCycle):
        self.cycle = cycle

    @classmethod
    def of(cls, *cycles: AssessmentCycle) -> list[Tally]:
        """Tallies of several cycles (this year's and the year compared), their issues read in one query."""
        issues = counted_issues_of(list(cycles))
        tallies = [cls(cycle) for cycle in cycles]
        for tally in tallies:
            tally.issues = issues[tally.cycle.pk]
        return tallies

    @cached_property
    def issues(self) -> list[Issue]:
        return counted_issues(self.cycle)

    @cached_property
    def categories(self) -> list[Category]:
        """In the category list's order."""
        return list(Category.objects.filter(cycle=self.cycle).order_by("order", "name", "pk"))

    @cached_property
    def partnerships(self) -> list[Partnership]:
        """The partnerships whose return counts, by name."""
        # Read with the others that made a return, so the former names are read (one query) as
        # soon as any partnership made a return, not only once one is accepted: the page's queries
        # do not depend on how far the cycle has got.
        with_returns = (
            Partnership.objects.filter(returns__cycle=self.cycle).annotate(return_status=F("returns__status"))
            # Each one's former names by year: their own ordering starts with the partnership's name, a join.
            .prefetch_related(Prefetch("former_names", queryset=PartnershipName.objects.order_by("until")))
            .order_by("name")
        )
        return [partnership for partnership in with_returns if partnership.return_status == COUNTED]

    @cached_property
    def totals(self) -> dict[str, int]:
        return AssessmentReturn.objects.filter(cycle=self.cycle).aggregate(
            total=Count("pk"),
            counted=Count("pk", filter=Q(status=COUNTED)),
            provisional=Count("pk", filter=Q(local_signoff=AssessmentReturn.LocalSignoff.PROVISIONAL)),
        )


@dataclass
class AppendixRow:
    category_key: str
    label: str
    csps: int


@dataclass
class AppendixA:
    rows: list[AppendixRow]
    returns_total: int
    returns_counted: int
    provisional: int

    @property
    def has_provisional(self) -> bool:
        return self.provisional > 0

    def counts(self) -> dict[str, int]:
        return {row.category_key: row.csps for row in self.rows}


def appendix_a(cycle: AssessmentCycle, tally: Tally | None = None) -> AppendixA:
    """Issue and number of CSPs naming it, most first, with the returns they were counted from."""
    tally = tally or Tally(cycle)
    totals = tally.totals
    return AppendixA(
        rows=appendix_rows(tally),
        returns_total=totals["total"],
        returns_counted=totals["counted"],
        provisional=totals["provisional"],
    )


def appendix_rows(tally: Tally) -> list[AppendixRow]:
    """Appendix A's rows alone: issue and number of CSPs naming it, most first; a CSP counts once
    whatever its class."""
    naming: dict[int, set[int]] = defaultdict(set)
    for issue in tally.issues:
        naming[issue.category_id].add(issue.partnership_id)
    categories = sorted(
        (category for category in tally.categories if naming[category.pk]),
        # Ties keep the category list's order, so the table never reshuffles between two page loads.
        key=lambda category: -len(naming[category.pk]),
    )
    return [AppendixRow(c.key, c.label, len(naming[c.pk])) for c in categories]


@dataclass
class Matrix:
    categories: list[Category]
    partnerships: list[Partnership]
    # cells[category_id][partnership_id] = ReturnItem.Kind value
    cells: dict[int, dict[int, str]] = field(default_factory=dict)
    year: int = 0

    @property
    def headings(self) -> list[str]:
        """Each CSP's column by the name it had in the cycle's year, today's beside it where it differs."""
        return [p.name_then_and_now(self.year, short=True) for p in self.partnerships]

    def rows(self):
        for category in self.categories:
            marks = self.cells.get(category.pk, {})
            yield category, [marks.get(p.pk, "") for p in self.partnerships]


def matrix(cycle: AssessmentCycle, tally: Tally | None = None) -> Matrix:
    """Which CSP named which category, and as what: main, cross-cutting or within a theme."""
    tally = tally or Tally(cycle)
    cells: dict[int, dict[int, str]] = defaultdict(dict)
    for issue in tally.issues:
        cells[issue.category_id][issue.partnership_id] = issue.kind
    return Matrix(categories=tally.categories, partnerships=tally.partnerships, cells=dict(cells), year=cycle.year)


@dataclass
class CategoryChange:
    category_key: str
    label: str
    added: list[str]
    dropped: list[str]
    reclassed: list[tuple[str, str, str]]  # (partnership, old kind label, new kind label)
    count_before: int = 0
    count_now: int = 0

    @property
    def count_change(self) -> int:
        return self.count_now - self.count_before


@dataclass
class Reported:
    """Each category a cycle's accepted returns name: partnership id -> (name, class), and labels."""

    choices: dict[str, dict[int, str]] = field(default_factory=lambda: defaultdict(dict))
    labels: dict[str, str] = field(default_factory=dict)
    names: dict[int, str] = field(default_factory=dict)  # by partnership id, as year_on_year names them

    def issues_of(self, partnership_id: int) -> list[str]:
        return sorted(self.labels[key] for key, by in self.choices.items() if partnership_id in by)


def _reported(cycle: AssessmentCycle | None, tally: Tally | None = None) -> Reported:
    found = Reported()
    if cycle is None:
        return found
    for issue in (tally or Tally(cycle)).issues:
        found.choices[issue.category_key][issue.partnership_id] = issue.kind
        found.labels[issue.category_key] = issue.label
    return found


def names_in(cycle: AssessmentCycle) -> dict[int, str]:
    """Each partnership with a return in the cycle, by the name it had that year (today's beside it)."""
    partnerships = Partnership.objects.filter(returns__cycle=cycle).prefetch_related("former_names")
    return {p.pk: p.name_then_and_now(cycle.year) for p in partnerships}


def changes_since(
    previous: AssessmentCycle | None, current: AssessmentCycle, tally: Tally | None = None,
    previous_tally: Tally | None = None,
) -> list[CategoryChange]:
    """Per category: how many CSPs named it in each cycle, and which CSPs added, dropped or reclassed it.

    Categories are matched by key and partnerships by identity, so a category or a partnership
    renamed between cycles is still one. Only partnerships with an accepted return in both cycles
    can add or drop: one not yet accepted this year has not reported yet, and one that split,
    merged or ended is a succession (see `year_on_year`), not a change of mind.
    """
    tally = tally or Tally(current)
    before, after = _reported(previous, previous_tally), _reported(current, tally)
    both = _accepted(previous) & {partnership.pk for partnership in tally.partnerships}
    kind_label = dict(ReturnItem.Kind.choices)
    # Every partnership that can change is counted this year: named as it was called this year.
    name = {partnership.pk: partnership.name_then_and_now(current.year) for partnership in tally.partnerships}
    changes = []
    for key in sorted(set(before.choices) | set(after.choices), key=lambda k: (before.labels | after.labels)[k]):
        old, new = before.choices.get(key, {}), after.choices.get(key, {})
        change = CategoryChange(
            category_key=key,
            label=after.labels.get(key) or before.labels[key],
            added=sorted(name[p] for p in (set(new) - set(old)) & both),
            dropped=sorted(name[p] for p in (set(old) - set(new)) & both),
            reclassed=sorted(
                (name[p], kind_label[old[p]], kind_label[new[p]]) for p in set(old) & set(new) if old[p] != new[p]
            ),
            count_before=len(old),
            count_now=len(new),
        )
        if change.added or change.dropped or change.reclassed or change.count_change:
            changes.append(change)
    return changes


def _accepted(cycle: AssessmentCycle | None) -> set[int]:
    if cycle is None:
        return set()
    return set(cycle.returns.filter(status=COUNTED).order_by().values_list("partnership_id", flat=True))


@dataclass
class Succession:
    """Partnerships of the compared year replaced by others this year: a split, a merge or a reshaping."""

    before: list[tuple[str, list[str]]]  # (partnership, its issues that year)
    after: list[tuple[str, list[str]]]

    @property
    def kind(self) -> str:
        if len(self.before) == 1 and len(self.after) > 1:
            return "split"
        if len(self.before) > 1 and len(self.after) == 1:
            return "merge"
        return "change of partnerships"


@dataclass
class YearOnYear:
    compared: AssessmentCycle
    categories: list[CategoryChange]
    not_yet_reported: list[str]
    successions: list[Succession]


def year_on_year(compared: AssessmentCycle, current: AssessmentCycle) -> YearOnYear:
    """Changes since the compared cycle, with the partnerships that have not reported yet named as such,
    and splits and merges (partnerships sharing a district across the two years) shown with each side's issues."""
    current_returns = {
        r.partnership_id: r for r in current.returns.select_related("partnership").prefetch_related("partnership__districts")
    }
    compared_returns = {
        r.partnership_id: r for r in compared.returns.select_related("partnership").prefetch_related("partnership__districts")
    }
    before, after = _reported(compared), _reported(current)
    before.names, after.names = names_in(compared), names_in(current)
    not_yet = sorted(after.names[p] for p, r in current_returns.items() if r.status != COUNTED)
    gone = [r.partnership for p, r in compared_returns.items() if p not in current_returns]
    new = [r.partnership for p, r in current_returns.items() if p not in compared_returns]
    successions = []
    for old in gone:
        districts = {d.pk for d in old.districts.all()}
        heirs = [p for p in new if districts & {d.pk for d in p.districts.all()}]
        successions.append(Succession(
            before=[(before.names[old.pk], before.issues_of(old.pk))],
            after=[(after.names[p.pk], after.issues_of(p.pk)) for p in heirs],
        ))
    for heir in new:
        if not any(after.names[heir.pk] in dict(s.after) for s in successions):
            successions.append(Succession(before=[], after=[(after.names[heir.pk], after.issues_of(heir.pk))]))
    return YearOnYear(compared, changes_since(compared, current), not_yet, _merged(successions))


def _merged(successions: list[Succession]) -> list[Succession]:
    """Two partnerships of the compared year succeeded by the same one are one merge, not two."""
    merged: list[Succession] = []
    for succession in successions:
        same = next((m for m in merged if m.after and m.after == succession.after), None)
        if same is None:
            merged.append(succession)
        else:
            same.before += succession.before
    return merged
