from django.core.management.base import CommandError

from assessments.models import AssessmentCycle


def find_cycle(label: str, agreement: str | None) -> AssessmentCycle:
    """The cycle with this label; the agreement's slug is needed only when two agreements share the label."""
    cycles = AssessmentCycle.objects.filter(label=label).select_related("agreement")
    if agreement:
        cycles = cycles.filter(agreement__slug=agreement)
    found = list(cycles[:2])
    if not found:
        raise CommandError(f"There is no {label} cycle")
    if len(found) > 1:
        raise CommandError(f"More than one agreement has a {label} cycle: name one with --agreement")
    return found[0]
