"""What the Working Group reads before its meeting, computed for one edition as plain data."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch

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


@dataclass
class Monitoring:
    version: Version
    since: datetime.date | None
    headings: list[HeadingCounts]
    totals: list[int]
    attention: list[Action]
    updates: list[ActionUpdate]
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
    actions = version.actions.all()
    counted = {
        (row["priority"], row["theme"], row["status"]): row["n"]
        for row in actions.order_by().values("priority", "theme", "status").annotate(n=Count("pk"))
    }
    headings = [
        HeadingCounts(item.name, [counted.get((pid, tid, status), 0) for status in STATUSES.values])
        for item, pid, tid in [(p, p.pk, None) for p in version.priorities.all()]
        + [(t, None, t.pk) for t in version.themes.all()]
    ]
    totals = [sum(heading.counts[index] for heading in headings) for index in range(len(STATUSES.values))]
    open_actions = actions.open().select_related("priority", "theme").order_by("due_date", "pk")
    attention = [
        action for action in open_actions if action.is_overdue(today) or action.status in Action.NEEDS_REASON
    ]
    updates = ActionUpdate.objects.filter(action__edition=version).select_related("action", "reviewed_at")
    if since is not None:
        updates = updates.filter(date__gt=since)
    indicators = Indicator.objects.for_edition(version).prefetch_related(
        Prefetch("values", queryset=IndicatorValue.objects.order_by("period_start"))
    )
    return Monitoring(
        version, since, headings, totals, attention, list(updates.order_by("-date", "-pk")),
        [chart(indicator) for indicator in indicators],
    )
