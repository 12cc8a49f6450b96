"""Records that fed a published edition are kept.

A cycle's returns, their items, scores and events, and its categories are what a published
edition's Appendix A was built from: deleting one is refused, whether through the admin, a
model's delete() or a queryset's (a pre_delete signal is sent for each row, cascades included).
"""

from __future__ import annotations

from django.db.models.signals import pre_delete

from agreements.models import EditionFrozen, Version

from .models import AssessmentCycle, AssessmentReturn, Category, MorileScore, ReturnEvent, ReturnItem


class KeptForEdition(EditionFrozen):
    """The record fed a published edition; the message names the edition."""


# How each kept record reaches the cycle it belongs to.
CYCLE_OF = {
    AssessmentCycle: lambda cycle: cycle,
    Category: lambda category: category.cycle,
    AssessmentReturn: lambda record: record.cycle,
    ReturnItem: lambda item: item.assessment_return.cycle,
    MorileScore: lambda score: score.assessment_return.cycle,
    ReturnEvent: lambda event: event.assessment_return.cycle,
}


def edition_fed_by(record) -> Version | None:
    """The published edition whose Appendix A the record's cycle fed, if any."""
    cycle = CYCLE_OF[type(record)](record)
    version = cycle.version
    return version if version is not None and version.is_published else None


def refusal(record) -> str | None:
    edition = edition_fed_by(record)
    if edition is None:
        return None
    return (f"{record._meta.verbose_name.capitalize()} '{record}' fed the published edition {edition}: "
            "it is kept and cannot be deleted.")


def refuse_deleting(sender, instance, **kwargs):
    if (reason := refusal(instance)) is not None:
        raise KeptForEdition(reason)


for model in CYCLE_OF:
    pre_delete.connect(refuse_deleting, sender=model, dispatch_uid=f"kept-for-edition-{model.__name__}")
