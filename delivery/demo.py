"""The demo's illustrative action plan (fixtures/kent/delivery-demo.json) and its priority lead."""

from __future__ import annotations

import datetime
import json
from pathlib import Path

from django.db import transaction

from agreements.models import Agreement

from .models import Action, ActionUpdate, Indicator, IndicatorValue, LeadAssignment, Meeting


@transaction.atomic
def load_demo_plan(agreement: Agreement, path: Path) -> int:
    """Loads the plan once (a second run finds its actions and adds nothing); returns the actions added."""
    data = json.loads(path.read_text())
    edition = agreement.versions.get(number=data["edition"])
    if edition.actions.exists():
        return 0
    for item in data["actions"]:
        action = Action(
            edition=edition, priority=edition.priorities.get(key=item["priority"]), title=item["title"],
            owner_organisation=item["owner_organisation"], responsible_lead=item["responsible_lead"],
            start_date=datetime.date.fromisoformat(item["start_date"]),
            due_date=datetime.date.fromisoformat(item["due_date"]),
        )
        action.save()
        for update in item["updates"]:
            action.post_update(ActionUpdate(
                date=datetime.date.fromisoformat(update["date"]), progress=update["progress"],
                status=update["status"], status_reason=update["status_reason"], notable=update["notable"],
            ))
    for day in data["meetings"]:
        Meeting.objects.get_or_create(agreement=agreement, date=datetime.date.fromisoformat(day))
    for item in data["indicators"]:
        indicator, _ = Indicator.objects.get_or_create(
            agreement=agreement, name=item["name"],
            defaults={key: item[key] for key in ("definition", "unit", "better", "source")}
            | {"priority_key": item["priority"]},
        )
        for period, start, value in item["values"]:
            IndicatorValue.objects.get_or_create(
                indicator=indicator, period=period, period_start=datetime.date.fromisoformat(start),
                defaults={"value": value},
            )
    return len(data["actions"])


def assign_demo_lead(user, agreement: Agreement, priority_key: str) -> None:
    LeadAssignment.objects.get_or_create(user=user, agreement=agreement, priority_key=priority_key)
