"""KCST's corrections of accepted returns: the return stays as accepted, and each correction is a
new record holding the return's whole list of issues as corrected, with what it changed and why.

The newest correction is what counts from then on (`aggregation.counted_issues`): in a draft's
Appendix A, its matrix and year-on-year, and on KCST's pages. A published edition shows what its
snapshot stored at publication, whatever is corrected later.
"""

from __future__ import annotations

from django.db import transaction

from .models import AssessmentReturn, Category, CorrectedIssue, ReturnCorrection, ReturnRefused

REMOVE = "remove"


def current_issues(assessment_return: AssessmentReturn) -> list[CorrectedIssue]:
    """The return's issues as they now count: its newest correction's, or its own as accepted."""
    newest = assessment_return.corrections.order_by("-pk").first()
    source = newest.issues if newest else assessment_return.items
    return [CorrectedIssue(category=issue.category, own_wording=issue.own_wording, kind=issue.kind, note=issue.note)
            for issue in source.select_related("category")]


def newest_correction(assessment_return: AssessmentReturn) -> int:
    """The newest correction's id (0 for none): a correction made from an older page is refused."""
    return assessment_return.corrections.order_by("-pk").values_list("pk", flat=True).first() or 0


def described(issue: CorrectedIssue) -> str:
    return f"{issue} ({issue.get_kind_display()})"


def correct(assessment_return: AssessmentReturn, by, reason: str, *, at: int | None, category: Category | None,
            own_wording: str, kind: str, seen: int) -> ReturnCorrection:
    """Corrects the issue at position `at` of the return's current issues (None adds one; kind
    REMOVE takes it out), refusing a return that is not accepted or a correction made from a page
    older than the newest correction."""
    with transaction.atomic():
        locked = AssessmentReturn.objects.select_for_update().select_related("partnership", "cycle").get(
            pk=assessment_return.pk)
        if locked.status != AssessmentReturn.Status.ACCEPTED:
            raise ReturnRefused(f"The return of {locked} is {locked.get_status_display().lower()}: "
                                "only an accepted return is corrected.")
        if newest_correction(locked) != seen:
            raise ReturnRefused("Someone else corrected this return while you were looking at it. "
                                "Nothing was saved: reload the page to see their correction.")
        issues = current_issues(locked)
        before = issues[at] if at is not None else None
        if kind == REMOVE:
            issues.remove(before)
            corrects = f"Removed: {described(before)}"
        else:
            after = CorrectedIssue(category=category, own_wording=own_wording, kind=kind,
                                   note=before.note if before else "")
            if before is None:
                issues.append(after)
                corrects = f"Added: {described(after)}"
            else:
                issues[at] = after
                corrects = f"{described(before)} corrected to {described(after)}"
        correction = ReturnCorrection.objects.create(
            assessment_return=locked, corrects=corrects, reason=reason.strip(), by=by)
        for order, issue in enumerate(issues):
            issue.correction, issue.order = correction, order
            issue.save()
    return correction
