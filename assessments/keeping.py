"""Records that fed a published edition, and accepted returns, are kept.

A cycle's returns, their items, scores and events, and its categories are what a published
edition's Appendix A was built from: deleting one is refused, whether through the admin, a
model's delete() or a queryset's (a pre_delete signal is sent for each row, cascades included).

An accepted return is append-only: its issues and MoRiLE scores are neither changed, added to nor
deleted, its events are only added to, and the return itself changes only to record the local
CSP's sign-off, or, until its cycle fed a published edition, to go back for amendment. What KCST
finds wrong afterwards is a `ReturnCorrection`, which is itself never changed or deleted. Bulk
updates are refused by the models' querysets (`KeptQuerySet`).
"""

from __future__ import annotations

from django.db.models.signals import pre_delete, pre_save

from agreements.models import EditionFrozen, Version

from .models import (
    AssessmentCycle,
    AssessmentReturn,
    Category,
    CorrectedIssue,
    MorileScore,
    ReturnCorrection,
    ReturnEvent,
    ReturnItem,
    ReturnKept,
    kept_reason,
)


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

# The parts of a return that are kept once it is accepted.
PARTS = (ReturnItem, MorileScore, ReturnEvent)

SIGNOFF = {"local_signoff", "signoff_confirmed_by", "signoff_confirmed_at", "updated_at", "revision"}
# What may still change on an accepted return: its sign-off, and going back for amendment, which
# is refused once its cycle fed a published edition (AssessmentReturn.return_for_amendment).
AFTER_ACCEPTANCE = {*SIGNOFF, "status", "returned_reason"}


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
    return_id = instance.pk if sender is AssessmentReturn else getattr(instance, "assessment_return_id", None)
    if return_id is not None and (reason := kept_reason(return_id)) is not None:
        raise ReturnKept(reason)


def refuse_changing_a_part(sender, instance, **kwargs):
    if sender is ReturnEvent and instance._state.adding:
        return  # events are only added to: a sign-off or a reminder after acceptance is one more
    if (reason := kept_reason(instance.assessment_return_id)) is not None:
        raise ReturnKept(reason)


def refuse_changing_a_return(sender, instance, update_fields=None, **kwargs):
    if instance._state.adding or (reason := kept_reason(instance.pk)) is None:
        return
    published = instance.cycle.version is not None and instance.cycle.version.is_published
    allowed = SIGNOFF if published else AFTER_ACCEPTANCE
    if update_fields is None or not set(update_fields) <= allowed:
        raise ReturnKept(reason)


def refuse_deleting_a_correction(sender, instance, **kwargs):
    raise ReturnKept(instance.kept_message())


for model in CYCLE_OF:
    pre_delete.connect(refuse_deleting, sender=model, dispatch_uid=f"kept-for-edition-{model.__name__}")
for model in PARTS:
    pre_save.connect(refuse_changing_a_part, sender=model, dispatch_uid=f"kept-after-acceptance-{model.__name__}")
pre_save.connect(refuse_changing_a_return, sender=AssessmentReturn, dispatch_uid="kept-after-acceptance-return")
for model in (ReturnCorrection, CorrectedIssue):
    pre_delete.connect(refuse_deleting_a_correction, sender=model, dispatch_uid=f"kept-as-written-{model.__name__}")
