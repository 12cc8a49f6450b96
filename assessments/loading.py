"""Loads districts, partnerships and a cycle's returns from the plain-data shape in fixtures/."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction

from agreements.models import Agreement, Version

from .models import AssessmentCycle, AssessmentReturn, Category, ReturnItem

ILLUSTRATIVE = (
    "Illustrative: the source documents give only the county totals, not which CSP chose what."
)


@transaction.atomic
def load_partnerships(agreement: Agreement, data: dict[str, Any]) -> None:
    """Adds the agreement's own districts and partnerships that it does not have yet, by slug, and
    the partnerships' former names that are missing.

    Slugs are unique only within an agreement: another agreement's Ashford is never touched.
    """
    for d in data["districts"]:
        agreement.districts.get_or_create(
            slug=d["slug"], defaults={"name": d["name"], "former_name": d.get("former_name", "")}
        )
    for p in data["partnerships"]:
        partnership, created = agreement.partnerships.get_or_create(
            slug=p["slug"],
            defaults={"name": p["name"], "active_from": p.get("active_from"), "active_to": p.get("active_to")},
        )
        if created:
            partnership.districts.set(agreement.districts.filter(slug__in=p["districts"]))
        # Also for a partnership loaded before its former names were kept.
        for former in p.get("former_names", []):
            partnership.former_names.get_or_create(until=former["until"], defaults={"name": former["name"]})


@transaction.atomic
def load_cycle(agreement: Agreement, data: dict[str, Any], aliases: dict[str, str]) -> AssessmentCycle:
    """Create a cycle with its categories and every partnership's return, all submitted and accepted."""
    # Returns are written as they were sent, then marked with the status KCST gave them, and the cycle
    # is linked to the edition it fed last: an accepted return, or one that fed a published edition,
    # is kept as it is (assessments.keeping).
    cycle = AssessmentCycle.objects.create(
        agreement=agreement,
        label=data["cycle"],
        opens_on=datetime.date.fromisoformat(data["opens_on"]),
        due_on=datetime.date.fromisoformat(data["due_on"]),
        description=ILLUSTRATIVE if data.get("illustrative") else "",
        other_focus_areas=data.get("other_focus_areas", ""),
        # A loaded cycle is a finished round: closed to officers from its due date unless the data says.
        closed_on=datetime.date.fromisoformat(data.get("closed_on") or data["due_on"]),
        # Entered from the year's records, so lateness and reminders mean nothing for it.
        recorded_history=True,
    )
    categories = {
        c["key"]: Category.objects.create(
            cycle=cycle, key=c["key"], name=c["name"], includes=c.get("includes", ""), order=i
        )
        for i, c in enumerate(data["categories"])
    }
    submitted_at = datetime.datetime.combine(cycle.due_on, datetime.time(12), tzinfo=datetime.timezone.utc)
    for slug, items in data["returns"].items():
        partnership = agreement.partnerships.get(slug=aliases.get(slug, slug))
        assessment_return = AssessmentReturn.objects.create(
            cycle=cycle,
            partnership=partnership,
            local_signoff=(
                AssessmentReturn.LocalSignoff.PROVISIONAL
                if slug in data.get("provisional", [])
                else AssessmentReturn.LocalSignoff.AGREED
            ),
            submitted_at=submitted_at,
            description=cycle.description,
        )
        for order, item in enumerate(items):
            ReturnItem.objects.create(
                assessment_return=assessment_return,
                category=categories[item["category"]],
                kind=item["class"],
                own_wording=item.get("own_wording", ""),
                note=item.get("note", ""),
                order=order,
            )
        assessment_return.status = data.get("return_status", AssessmentReturn.Status.ACCEPTED)
        assessment_return.save(update_fields=["status"])
    cycle.version = Version.objects.filter(agreement=agreement, number=data["version"]).first()
    cycle.save(update_fields=["version"])
    return cycle
