"""Appendix A and the district-by-category matrix, computed from the returns.

Only accepted returns count: KCST has checked them. Every function runs a fixed number of
queries whatever the number of returns, and returns plain data for the templates.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q

from .models import AssessmentCycle, AssessmentReturn, Category, Partnership, ReturnItem

COUNTED = AssessmentReturn.Status.ACCEPTED


@dataclass
class AppendixRow:
    category_key: str
    label: str
    csps: int


@dataclass
class AppendixA:
    cycle: AssessmentCycle
    rows: list[AppendixRow]
    returns_total: int
    returns_counted: int
    provisional: int

    @property
    def has_provisional(self) -> bool:
        return self.provisional > 0

    def counts(self) -> dict[str, int]:
        return {row.category_key: row.csps for row in self.rows}


def appendix_a(cycle: AssessmentCycle) -> AppendixA:
    """Issue and number of CSPs naming it, most first; a CSP counts once whatever its class."""
    categories = (
        Category.objects.filter(cycle=cycle)
        .annotate(
            csps=Count(
                "items__assessment_return__partnership",
                filter=Q(items__assessment_return__status=COUNTED),
                distinct=True,
            )
        )
        .filter(csps__gt=0)
        # Ties keep the category list's order, so the table never reshuffles between two page loads.
        .order_by("-csps", "order", "name", "pk")
    )
    totals = AssessmentReturn.objects.filter(cycle=cycle).aggregate(
        total=Count("pk"),
        counted=Count("pk", filter=Q(status=COUNTED)),
        provisional=Count("pk", filter=Q(local_signoff=AssessmentReturn.LocalSignoff.PROVISIONAL)),
    )
    return AppendixA(
        cycle=cycle,
        rows=[AppendixRow(c.key, c.label, c.csps) for c in categories],
        returns_total=totals["total"],
        returns_counted=totals["counted"],
        provisional=totals["provisional"],
    )


@dataclass
class Matrix:
    categories: list[Category]
    partnerships: list[Partnership]
    # cells[category_id][partnership_id] = ReturnItem.Kind value
    cells: dict[int, dict[int, str]] = field(default_factory=dict)

    def rows(self):
        for category in self.categories:
            marks = self.cells.get(category.pk, {})
            yield category, [marks.get(p.pk, "") for p in self.partnerships]


def matrix(cycle: AssessmentCycle) -> Matrix:
    """Which CSP named which category, and as what: main, cross-cutting or within a theme."""
    items = ReturnItem.objects.filter(
        assessment_return__cycle=cycle, assessment_return__status=COUNTED, category__isnull=False
    ).values_list("category_id", "assessment_return__partnership_id", "kind")
    cells: dict[int, dict[int, str]] = defaultdict(dict)
    for category_id, partnership_id, kind in items:
        cells[category_id][partnership_id] = kind
    partnerships = list(
        Partnership.objects.filter(returns__cycle=cycle, returns__status=COUNTED).order_by("name")
    )
    categories = list(Category.objects.filter(cycle=cycle).order_by("order", "name"))
    return Matrix(categories=categories, partnerships=partnerships, cells=dict(cells))


@dataclass
class CategoryChange:
    category_key: str
    label: str
    added: list[str]
    dropped: list[str]
    reclassed: list[tuple[str, str, str]]  # (partnership, old kind label, new kind label)

    @property
    def count_change(self) -> int:
        return len(self.added) - len(self.dropped)


def changes_since(previous: AssessmentCycle | None, current: AssessmentCycle) -> list[CategoryChange]:
    """Which CSPs added or dropped a category, or changed its class, between two cycles.

    Categories are matched by key, so a category renamed between cycles is still one category.
    """
    def choices(cycle):
        if cycle is None:
            return {}, {}
        found: dict[str, dict[str, str]] = defaultdict(dict)
        labels: dict[str, str] = {}
        rows = ReturnItem.objects.filter(
            assessment_return__cycle=cycle, assessment_return__status=COUNTED, category__isnull=False
        ).values_list("category__key", "category__name", "category__includes",
                      "assessment_return__partnership__name", "kind")
        for key, name, includes, partnership, kind in rows:
            found[key][partnership] = kind
            labels[key] = f"{name} ({includes})" if includes else name
        return found, labels

    before, before_labels = choices(previous)
    after, after_labels = choices(current)
    kind_label = dict(ReturnItem.Kind.choices)
    changes = []
    for key in sorted(set(before) | set(after), key=lambda k: (after_labels | before_labels)[k]):
        old, new = before.get(key, {}), after.get(key, {})
        change = CategoryChange(
            category_key=key,
            label=after_labels.get(key) or before_labels[key],
            added=sorted(set(new) - set(old)),
            dropped=sorted(set(old) - set(new)),
            reclassed=sorted(
                (p, kind_label[old[p]], kind_label[new[p]]) for p in set(old) & set(new) if old[p] != new[p]
            ),
        )
        if change.added or change.dropped or change.reclassed:
            changes.append(change)
    return changes
