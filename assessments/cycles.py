"""Opening an assessment cycle: the cycle, its category list and a draft return for every current CSP."""

from __future__ import annotations

import datetime

from django.db import IntegrityError, transaction
from django.dispatch import receiver
from django.utils import timezone

from agreements.models import Agreement, Version
from agreements.signals import draft_started

from .models import AssessmentCycle, AssessmentReturn, Category, Partnership


class CycleRefused(Exception):
    pass


def open_cycle(
    agreement: Agreement,
    label: str,
    due_on: datetime.date,
    opens_on: datetime.date | None = None,
    version: Version | None = None,
) -> AssessmentCycle:
    """Opens a cycle once; the category list starts as a copy of the previous cycle's."""
    opens_on = opens_on or timezone.localdate()
    if due_on < opens_on:
        raise CycleRefused(f"The due date ({due_on:%-d %B %Y}) is before the opening date ({opens_on:%-d %B %Y}).")
    try:
        with transaction.atomic():
            if AssessmentCycle.objects.filter(agreement=agreement, label=label).exists():
                raise CycleRefused(f"The {label} cycle of the {agreement.name} is already open: nothing was changed.")
            previous = AssessmentCycle.objects.filter(agreement=agreement).order_by("-opens_on").first()
            cycle = AssessmentCycle.objects.create(
                agreement=agreement, label=label, opens_on=opens_on, due_on=due_on, version=version
            )
            if previous is not None:
                for category in previous.categories.all():
                    Category.objects.create(
                        cycle=cycle, key=category.key, name=category.name, includes=category.includes,
                        synonyms=category.synonyms, order=category.order,
                    )
            open_returns(cycle)
            return cycle
    except IntegrityError:
        # The unique label constraint caught a cycle opened at the same moment.
        raise CycleRefused(f"The {label} cycle of the {agreement.name} was opened at the same time: reload.") from None


def open_returns(cycle: AssessmentCycle) -> int:
    """Creates a draft return for each current partnership that has none yet; returns how many."""
    with transaction.atomic():
        have = set(cycle.returns.values_list("partnership_id", flat=True))
        current = Partnership.objects.filter(agreement=cycle.agreement, active_to__isnull=True).exclude(pk__in=have)
        created = 0
        for partnership in current:
            AssessmentReturn.objects.create(cycle=cycle, partnership=partnership)
            created += 1
        return created


@receiver(draft_started)
def feed_the_new_draft(sender, version: Version, **kwargs) -> None:
    """A new draft takes over the open cycle that feeds nothing yet; with several, KCST chooses one."""
    waiting = list(AssessmentCycle.objects.open().filter(agreement=version.agreement_id, version__isnull=True))
    if len(waiting) == 1:
        cycle = waiting[0]
        cycle.version = version
        cycle.save(update_fields=["version"])
