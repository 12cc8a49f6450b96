"""What the Working Group reads before its meeting, computed for one edition as plain data."""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.template.defaultfilters import linebreaksbr
from django.utils.safestring import SafeString

from agreements.models import Version

from .charts import Chart, chart
from .models import Action, ActionUpdate, Indicator, IndicatorValue

STATUSES = Action.Status


@dataclass
class HeadingCounts:
    name: str
    counts: list[int]

    @property
    def total(self) -> int:
        return sum(self.counts)


@dataclass(frozen=True)
class UpdateRow:
    """One update as the report prints it. An edition has many updates: each is read as plain values
    and formatted here once, rather than as models and through a template filter per field."""

    action_title: str
    date: str
    status: str
    progress: SafeString


@dataclass
class Monitoring:
    version: Version
    since: datetime.date | None
    headings: list[HeadingCounts]
    totals: list[int]
    attention: list[Action]
    updates: list[UpdateRow]
    charts: list[Chart] = field(default_factory=list)

    @property
    def statuses(self):
        return STATUSES.choices

    @property
    def summary(self) -> str:
        return " - ".join(f"{label} {count}" for (_, label), count in zip(STATUSES.choices, self.totals) if count)


def monitoring(version: Version, since: datetime.date | None = None,
               today: datetime.date | None = None) -> Monitoring:
    today = today or datetime.date.today()
    # One read of the edition's actions gives both the counts and the actions needing attention.
    actions = list(version.actions.select_related("priority", "theme").order_by("due_date", "pk"))
    counted = Counter((action.priority_id, action.theme_id, action.status) for action in actions)
    # Within one edition the headings' own order is enough: ordering by the edition as well (their
    # models' default) joins the edition and the agreement for nothing.
    priorities = version.priorities.order_by("order").values_list("pk", "name")
    themes = version.themes.order_by("order").values_list("pk", "name")
    headings = [
        HeadingCounts(name, [counted[(pid, tid, status)] for status in STATUSES.values])
        for pid, tid, name in [(pk, None, name) for pk, name in priorities] + [(None, pk, name) for pk, name in themes]
    ]
    totals = [sum(heading.counts[index] for heading in headings) for index in range(len(STATUSES.values))]
    attention = [action for action in actions if action.is_overdue(today) or action.status in Action.NEEDS_REASON]
    indicators = Indicator.objects.for_edition(version).prefetch_related(
        Prefetch("values", queryset=IndicatorValue.objects.order_by("period_start"))
    )
    return Monitoring(
        version, since, headings, totals, attention, updates_of(version, since),
        [chart(indicator) for indicator in indicators],
    )


def updates_of(version: Version, since: datetime.date | None) -> list[UpdateRow]:
    """The edition's updates, latest first (only those after `since` when given)."""
    updates = ActionUpdate.objects.filter(action__edition=version)
    if since is not None:
        updates = updates.filter(date__gt=since)
    return [
        UpdateRow(title, f"{date:%-d %B %Y}", STATUSES(status).label, linebreaksbr(progress, autoescape=True))
        for title, date, status, progress in updates.order_by("-date", "-pk").values_list(
            "action__title", "date", "status", "progress"
        )
    ]
