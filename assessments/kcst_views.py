"""KCST's pages: each cycle's returns at a glance, review, export and import, and the live Appendix A."""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.views.decorators.http import require_POST

from agreements.models import StaleEdit
from agreements.roles import KCST_STAFF, is_kcst, within
from agreements.stamps import fragment_cache

from . import aggregation, exports
from .corrections import correct, current_issues, newest_correction
from .cycles import CycleRefused, open_cycle
from .forms import CorrectionForm, ImportForm, OpenCycleForm, ReturnForAmendmentForm, ReturnsTableForm, RevisionForm
from .imports import ImportRefused, import_returns
from .models import RETURN_SOURCES, AssessmentCycle, AssessmentReturn, ReturnRefused
from .morile import ranked
from .notify import recipients
from .resubmission import since_returned

REFUSALS = (StaleEdit, ReturnRefused)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def kcst_required(view):
    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not is_kcst(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def _cycle(request, cycle_id: int) -> AssessmentCycle:
    """A cycle of an agreement the user is KCST staff of; any other is a 404."""
    cycles = within(AssessmentCycle.objects, request.user, KCST_STAFF)
    return get_object_or_404(cycles.select_related("agreement", "version"), pk=cycle_id)


def _return(request, return_id: int) -> AssessmentReturn:
    returns = within(AssessmentReturn.objects, request.user, KCST_STAFF)
    return get_object_or_404(
        returns.select_related("cycle__agreement", "partnership").prefetch_related("partnership__former_names"),
        pk=return_id,
    )


@kcst_required
def home(request):
    cycles = within(AssessmentCycle.objects, request.user, KCST_STAFF).select_related("agreement").annotate(
        returns_total=Count("returns"),
        returns_in=Count("returns", filter=~Q(returns__status__in=AssessmentReturn.EDITABLE)),
        awaiting_review=Count("returns", filter=Q(returns__status=AssessmentReturn.Status.SUBMITTED)),
    )
    return render(request, "assessments/kcst/home.html", {"cycles": cycles})


@kcst_required
def cycle_open(request):
    form = OpenCycleForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            cycle = open_cycle(
                form.cleaned_data["agreement"], form.cleaned_data["label"], form.cleaned_data["due_on"],
                opens_on=form.cleaned_data["opens_on"], categories_from=form.cleaned_data["categories_from"],
            )
        except CycleRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, f"Opened the {cycle.label} cycle with {cycle.returns.count()} draft returns.")
            return redirect("portal:cycle", cycle.pk)
    return render(request, "assessments/kcst/cycle_open.html", {"form": form})


@kcst_required
def cycle_dashboard(request, cycle_id: int):
    cycle = _cycle(request, cycle_id)
    table = ReturnsTableForm.from_address(request.GET)
    # Read only when the cached part is out of date: it is kept under the returns' stamp, the day
    # (lateness changes with it) and KCST's filter and sort.
    progress = SimpleLazyObject(lambda: CycleProgress(cycle))
    return render(request, "assessments/kcst/cycle.html", {
        "cycle": cycle, "progress": progress, "table": table,
        "shown": SimpleLazyObject(lambda: table.chosen(progress.returns)),
        "choice": table.choice(), "today": timezone.localdate(), "fragment": fragment_cache(RETURN_SOURCES),
    })


class CycleProgress:
    """A cycle's returns with how many are in, how many are late and how many await KCST's review."""

    def __init__(self, cycle: AssessmentCycle):
        self.returns = list((
            cycle.returns.select_related("partnership", "submitted_by").prefetch_related("partnership__former_names")
            .order_by("partnership__name")
        ))
        for r in self.returns:
            r.cycle = cycle  # is_late reads the due date: one cycle, not one query per row.
        self.submitted = sum(not r.officer_can_edit for r in self.returns)
        self.late = sum(r.is_late for r in self.returns)
        self.awaiting_review = sum(r.status == AssessmentReturn.Status.SUBMITTED for r in self.returns)


@kcst_required
def return_remind(request, return_id: int):
    """A page of its own, so the dashboard's cached table holds a link rather than a form."""
    assessment_return = _return(request, return_id)
    if request.method == "POST":
        try:
            sent = assessment_return.remind(request.user)
        except ReturnRefused as refusal:
            messages.error(request, str(refusal))
        else:
            name = assessment_return.partnership.name
            if sent:
                messages.success(request, f"Reminder sent to {sent} address(es) of the {name}.")
            else:
                messages.error(request, f"No reminder sent: the {name} has no e-mail address.")
        return redirect("portal:cycle", assessment_return.cycle_id)
    return render(request, "assessments/kcst/remind.html", {
        "return": assessment_return,
        "recipients": recipients(assessment_return.partnership),
    })


@kcst_required
def return_review(request, return_id: int):
    assessment_return = _return(request, return_id)
    return _review_page(request, assessment_return, ReturnForAmendmentForm(assessment_return=assessment_return))


def _review_page(request, assessment_return: AssessmentReturn, amend_form: ReturnForAmendmentForm):
    corrections = list(assessment_return.corrections.select_related("by"))
    edition = assessment_return.cycle.version
    return render(request, "assessments/kcst/review.html", {
        "return": assessment_return,
        "previous_return": neighbour(assessment_return, -1),
        "next_return": neighbour(assessment_return, +1),
        "resubmission": since_returned(assessment_return),
        "items": assessment_return.items.select_related("category"),
        "scores": ranked(assessment_return.morile_scores.all()),
        "events": assessment_return.events.select_related("by"),
        "corrections": corrections,
        "may_amend": assessment_return.status == AssessmentReturn.Status.SUBMITTED or (
            assessment_return.status == AssessmentReturn.Status.ACCEPTED and not corrections
            and not (edition and edition.is_published)),
        "form": amend_form,
    })


@kcst_required
def return_correct(request, return_id: int):
    """A correction of an accepted return, as a new record: the return stays as accepted."""
    assessment_return = _return(request, return_id)
    if assessment_return.status != AssessmentReturn.Status.ACCEPTED:
        raise Http404
    issues = current_issues(assessment_return)
    form = CorrectionForm(request.POST or None, assessment_return=assessment_return, issues=issues,
                          seen=newest_correction(assessment_return))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            correct(assessment_return, request.user, data["reason"], at=form.at, category=data["category"],
                    own_wording=data["own_wording"].strip(), kind=data["kind"], seen=data["seen"])
        except ReturnRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, "Correction saved. Drafts' Appendix A counts the return as corrected; "
                                      "published editions stay as published.")
            return redirect("portal:review", assessment_return.pk)
    return render(request, "assessments/kcst/correct.html", {
        "return": assessment_return, "issues": issues, "form": form,
    }, status=400 if form.errors else 200)


@kcst_required
@require_POST
def return_accept(request, return_id: int):
    assessment_return = _return(request, return_id)
    form = RevisionForm(request.POST, assessment_return=assessment_return)
    if not form.is_valid():
        messages.error(request, "Nothing was changed. " + " ".join(form.errors.get("revision", [])))
    else:
        try:
            assessment_return.accept(request.user, form.cleaned_data["revision"])
        except REFUSALS as refusal:
            messages.error(request, str(refusal))
        else:
            messages.success(request, f"Accepted the return of the {assessment_return.partnership.name}.")
    return redirect("portal:review", assessment_return.pk)


@kcst_required
@require_POST
def return_for_amendment(request, return_id: int):
    assessment_return = _return(request, return_id)
    form = ReturnForAmendmentForm(request.POST, assessment_return=assessment_return)
    if form.is_valid():
        try:
            emailed = assessment_return.return_for_amendment(
                request.user, form.cleaned_data["reason"], form.cleaned_data["revision"]
            )
        except REFUSALS as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, f"Returned for amendment. {_emailed(emailed, assessment_return)}")
            return redirect("portal:review", assessment_return.pk)
    return _review_page(request, assessment_return, form)


def neighbour(assessment_return: AssessmentReturn, step: int) -> AssessmentReturn | None:
    """The return before (-1) or after (+1) this one in its cycle's table, by partnership name."""
    order = ("partnership__name", "pk")
    later = Q(partnership__name__gt=assessment_return.partnership.name) | Q(
        partnership__name=assessment_return.partnership.name, pk__gt=assessment_return.pk)
    returns = assessment_return.cycle.returns.select_related("partnership").prefetch_related("partnership__former_names")
    if step > 0:
        return returns.filter(later).order_by(*order).first()
    return returns.exclude(later).exclude(pk=assessment_return.pk).order_by(*order).last()


def _emailed(count: int, assessment_return: AssessmentReturn) -> str:
    if count:
        return f"The reason was e-mailed to {count} address{'es' if count > 1 else ''}."
    return (f"No e-mail went to the {assessment_return.partnership.name}: it has no officer address, or the "
            "e-mail could not be sent. Tell them yourself.")


@kcst_required
def export_csv(request, cycle_id: int, table: str = "returns"):
    cycle = _cycle(request, cycle_id)
    if table not in exports.TABLES:
        raise Http404
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{exports.filename(cycle, "csv", table)}"'
    exports.write_csv(cycle, response, table)
    return response


@kcst_required
def export_xlsx(request, cycle_id: int, table: str = "returns"):
    cycle = _cycle(request, cycle_id)
    if table not in exports.TABLES:
        raise Http404
    response = HttpResponse(exports.xlsx_bytes(cycle, table), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{exports.filename(cycle, "xlsx", table)}"'
    return response


@kcst_required
def import_file(request, cycle_id: int):
    cycle = _cycle(request, cycle_id)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            imported = import_returns(cycle, form.cleaned_data["file"].read(), request.user)
        except ImportRefused as refusal:
            for error in refusal.first_errors():
                form.add_error("file", error)
        else:
            names = ", ".join(r.partnership.name for r in imported)
            messages.success(request, f"Imported {len(imported)} return(s): {names}.")
            return redirect("portal:cycle", cycle.pk)
    return render(request, "assessments/kcst/import.html", {"cycle": cycle, "form": form, "columns": exports.COLUMNS})


@kcst_required
def appendix_a(request, cycle_id: int):
    cycle = _cycle(request, cycle_id)
    others = AssessmentCycle.objects.filter(agreement=cycle.agreement_id).exclude(pk=cycle.pk)
    # The previous cycle unless KCST asks for another of the same agreement.
    compared = others.filter(pk=request.GET["compare"]).first() if request.GET.get("compare", "").isdigit() else None
    compared = compared or cycle.previous()
    return render(request, "assessments/kcst/appendix_a.html", {
        "cycle": cycle,
        "appendix": aggregation.appendix_a(cycle),
        "matrix": aggregation.matrix(cycle),
        "others": others,
        "year_on_year": aggregation.year_on_year(compared, cycle) if compared else None,
    })
