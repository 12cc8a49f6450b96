"""Opening an assessment cycle: the cycle, its category list and a draft return for every CSP of its year."""

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


class Previous:
    """The category list of the cycle opened just before the new one, by opening date."""


def open_cycle(
    agreement: Agreement,
    label: str,
    due_on: datetime.date,
    opens_on: datetime.date | None = None,
    version: Version | None = None,
    categories_from: AssessmentCycle | type[Previous] | None = Previous,
) -> AssessmentCycle:
    """Opens a cycle once; its category list starts as a copy of `categories_from`'s, or empty for None.

    A cycle whose due date has already passed is being entered after the fact: it is recorded
    history, so none of its returns is late and no reminder is sent for it.
    """
    today = timezone.localdate()
    opens_on = opens_on or today
    if due_on < opens_on:
        raise CycleRefused(f"The due date ({due_on:%-d %B %Y}) is before the opening date ({opens_on:%-d %B %Y}).")
    try:
        with transaction.atomic():
            if AssessmentCycle.objects.filter(agreement=agreement, label=label).exists():
                raise CycleRefused(f"The {label} cycle of the {agreement.name} is already open: nothing was changed.")
            if categories_from is Previous:
                categories_from = (
                    AssessmentCycle.objects.filter(agreement=agreement, opens_on__lte=opens_on).order_by("-opens_on").first()
                )
            elif categories_from is not None and categories_from.agreement_id != agreement.pk:
                raise CycleRefused("Start the category list from a cycle of the same agreement.")
            cycle = AssessmentCycle.objects.create(
                agreement=agreement, label=label, opens_on=opens_on, due_on=due_on, version=version,
                recorded_history=due_on < today,
            )
            if categories_from is not None:
                for category in categories_from.categories.all():
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
    """Creates a draft return for each partnership of the cycle's year that has none yet; returns how many."""
    with transaction.atomic():
        have = set(cycle.returns.values_list("partnership_id", flat=True))
        current = Partnership.objects.filter(agreement=cycle.agreement).active_in(cycle.year).exclude(pk__in=have)
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
