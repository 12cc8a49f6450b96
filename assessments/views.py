"""The district officers' portal: their own partnership's return for the open cycles, nothing else."""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.functional import SimpleLazyObject
from django.views.decorators.http import require_POST

from agreements.models import StaleEdit
from agreements.roles import home_for, is_kcst
from agreements.stamps import fragment_cache

from .forms import ItemForm, LocalSignoffForm, MorileForm, MoveForm, RevisionForm
from .models import RETURN_SOURCES, AssessmentReturn, ReturnRefused
from .morile import ranked

REFUSALS = (StaleEdit, ReturnRefused)
# The session's note of the issue just removed, for the return page's "Undo".
REMOVED = "portal-removed-issue"


def officer_return(view):
    """Finds the return among the officer's own: any other return is a 404, whichever URL named it."""

    @login_required
    @wraps(view)
    def wrapper(request, return_id: int, **kwargs):
        assessment_return = get_object_or_404(
            AssessmentReturn.objects.for_officer(request.user).select_related("cycle", "partnership")
            .prefetch_related("partnership__former_names"),
            pk=return_id,
        )
        return view(request, assessment_return, **kwargs)

    return wrapper


def _to_return(assessment_return: AssessmentReturn):
    return redirect("portal:return", assessment_return.pk)


def _read_only(request, assessment_return: AssessmentReturn):
    messages.error(
        request,
        f"The return is {assessment_return.get_status_display().lower()}: it cannot be changed "
        "unless KCST returns it for amendment.",
    )
    return _to_return(assessment_return)


@login_required
def landing(request):
    """Where signing in leads: the page of what needs the person, by their role."""
    return redirect(*start_page(request.user))


def start_page(user) -> tuple:
    """The first that applies: an officer's return (due date and status at the top), or their list
    if they have several; KCST's desk; otherwise their role's home (agreements.roles.home_for)."""
    returns = list(AssessmentReturn.objects.for_officer(user).values_list("pk", flat=True)[:2])
    if len(returns) == 1:
        return "portal:return", returns[0]
    if returns:
        return ("portal:home",)
    if is_kcst(user):
        return ("desk:kcst",)
    return (home_for(user),)


@login_required
def home(request):
    returns = AssessmentReturn.objects.for_officer(request.user).select_related("cycle", "partnership").prefetch_related(
        "partnership__former_names"
    )
    return render(request, "assessments/portal/home.html", {"returns": returns, "is_kcst": is_kcst(request.user)})


@officer_return
def return_detail(request, assessment_return: AssessmentReturn):
    removed = request.session.pop(REMOVED, None)
    return render(request, "assessments/portal/return.html", {
        "return": assessment_return,
        "removed": removed if removed and removed["return"] == assessment_return.pk else None,
        # Read only when the cached issues and scores are out of date.
        "items": assessment_return.items.select_related("category"),
        "scores": SimpleLazyObject(lambda: ranked(assessment_return.morile_scores.all())),
        "last_years": SimpleLazyObject(assessment_return.last_years),
        # The partnership's own officers see what KCST corrected and why: it is their return, and
        # what counts for their CSP; no one else outside KCST does.
        "corrections": SimpleLazyObject(lambda: list(assessment_return.corrections.select_related("by"))),
        "fragment": fragment_cache(RETURN_SOURCES),
    })


def _last_years(assessment_return: AssessmentReturn) -> AssessmentReturn:
    earlier = assessment_return.last_years()
    if earlier is None:
        raise Http404("The partnership had no return in an earlier cycle.")
    return earlier


@officer_return
def last_year(request, assessment_return: AssessmentReturn):
    earlier = _last_years(assessment_return)
    return render(request, "assessments/portal/last_year.html", {
        "return": assessment_return,
        "earlier": earlier,
        "items": earlier.items.select_related("category"),
        "scores": ranked(earlier.morile_scores.all()),
        "may_start_from_it": assessment_return.officer_can_edit and not assessment_return.items.exists(),
    })


@officer_return
@require_POST
def start_from_last_year(request, assessment_return: AssessmentReturn):
    earlier = _last_years(assessment_return)
    if not assessment_return.officer_can_edit:
        return _read_only(request, assessment_return)
    form = RevisionForm(request.POST, assessment_return=assessment_return)
    _change(request, form, lambda: assessment_return.start_from(earlier, form.cleaned_data["revision"]),
            f"Started from the {earlier.cycle.label} return: check each issue and change what is different this year.")
    return _to_return(assessment_return)


def _edit_part(request, assessment_return: AssessmentReturn, form, template: str, saved: str):
    if not assessment_return.officer_can_edit:
        return _read_only(request, assessment_return)
    if request.method == "POST" and form.is_valid():
        try:
            assessment_return.save_part(form.instance, form.cleaned_data["revision"])
        except REFUSALS as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, saved)
            return _to_return(assessment_return)
    return render(request, template, {"return": assessment_return, "form": form})


@officer_return
def item_add(request, assessment_return: AssessmentReturn):
    form = ItemForm(request.POST or None, assessment_return=assessment_return)
    return _edit_part(request, assessment_return, form, "assessments/portal/item_form.html", "Issue added.")


@officer_return
def item_change(request, assessment_return: AssessmentReturn, item_id: int):
    item = get_object_or_404(assessment_return.items, pk=item_id)
    form = ItemForm(request.POST or None, assessment_return=assessment_return, instance=item)
    return _edit_part(request, assessment_return, form, "assessments/portal/item_form.html", "Issue changed.")


@officer_return
def item_remove(request, assessment_return: AssessmentReturn, item_id: int):
    """Asks on a page of its own, so removing needs no script and never happens by a slip."""
    item = get_object_or_404(assessment_return.items, pk=item_id)
    if not assessment_return.officer_can_edit:
        return _read_only(request, assessment_return)
    if request.method != "POST":
        return render(request, "assessments/portal/item_remove.html", {"return": assessment_return, "item": item})
    form = RevisionForm(request.POST, assessment_return=assessment_return)
    if _change(request, form, lambda: assessment_return.remove_part(item, form.cleaned_data["revision"]), None):
        # The return page offers to undo it, once: the item is read back from its history.
        request.session[REMOVED] = {"return": assessment_return.pk, "item": item_id, "issue": str(item)}
    return _to_return(assessment_return)


@officer_return
@require_POST
def item_restore(request, assessment_return: AssessmentReturn, item_id: int):
    form = RevisionForm(request.POST, assessment_return=assessment_return)
    _change(request, form, lambda: assessment_return.restore_item(item_id, form.cleaned_data["revision"]),
            "The issue is back in the return.")
    return _to_return(assessment_return)


@officer_return
@require_POST
def item_move(request, assessment_return: AssessmentReturn, item_id: int):
    item = get_object_or_404(assessment_return.items, pk=item_id)
    form = MoveForm(request.POST, assessment_return=assessment_return)
    _change(request, form, lambda: assessment_return.move_item(item, form.step, form.cleaned_data["revision"]),
            f"Moved “{item}”.")
    return _to_return(assessment_return)


def _change(request, form, change, done: str | None) -> bool:
    """Runs a one-button change, turning a refusal into a message; True if it was made."""
    if not form.is_valid():
        messages.error(request, "Nothing was changed. " + " ".join(e for errors in form.errors.values() for e in errors))
        return False
    try:
        change()
    except REFUSALS as refusal:
        messages.error(request, str(refusal))
        return False
    if done:
        messages.success(request, done)
    return True


@officer_return
def signoff(request, assessment_return: AssessmentReturn):
    if not assessment_return.signoff_can_change:
        return _read_only(request, assessment_return)
    form = LocalSignoffForm(request.POST or None, assessment_return=assessment_return, user=request.user)
    if request.method == "POST" and form.offers_a_choice and form.is_valid():
        try:
            assessment_return.set_local_signoff(
                form.cleaned_data["local_signoff"], request.user, form.cleaned_data["revision"]
            )
        except REFUSALS as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, f"Local sign-off: {assessment_return.get_local_signoff_display()}.")
            return _to_return(assessment_return)
    return render(request, "assessments/portal/signoff.html", {"return": assessment_return, "form": form})


@officer_return
def morile_add(request, assessment_return: AssessmentReturn):
    form = MorileForm(request.POST or None, assessment_return=assessment_return)
    return _edit_part(request, assessment_return, form, "assessments/portal/morile_form.html", "MoRiLE score added.")


@officer_return
def morile_change(request, assessment_return: AssessmentReturn, score_id: int):
    score = get_object_or_404(assessment_return.morile_scores, pk=score_id)
    form = MorileForm(request.POST or None, assessment_return=assessment_return, instance=score)
    return _edit_part(request, assessment_return, form, "assessments/portal/morile_form.html", "MoRiLE score changed.")


@officer_return
@require_POST
def morile_remove(request, assessment_return: AssessmentReturn, score_id: int):
    score = get_object_or_404(assessment_return.morile_scores, pk=score_id)
    form = RevisionForm(request.POST, assessment_return=assessment_return)
    _change(request, form, lambda: assessment_return.remove_part(score, form.cleaned_data["revision"]),
            f"Removed the MoRiLE score for “{score}”.")
    return _to_return(assessment_return)


@officer_return
def check_answers(request, assessment_return: AssessmentReturn):
    """Check your answers; posting the page submits the return exactly as the officer saw it."""
    if not assessment_return.officer_can_edit:
        return _read_only(request, assessment_return)
    form = RevisionForm(request.POST or None, assessment_return=assessment_return)
    if request.method == "POST":
        if _change(request, form, lambda: assessment_return.submit(request.user, form.cleaned_data["revision"]),
                   None):
            return redirect("portal:submitted", assessment_return.pk)
        return redirect("portal:check", assessment_return.pk)
    return render(request, "assessments/portal/check.html", {
        "return": assessment_return,
        "items": assessment_return.items.select_related("category"),
        "scores": ranked(assessment_return.morile_scores.all()),
        "form": form,
    })


@officer_return
def submitted(request, assessment_return: AssessmentReturn):
    if assessment_return.status != AssessmentReturn.Status.SUBMITTED:
        return _to_return(assessment_return)
    return render(request, "assessments/portal/submitted.html", {"return": assessment_return})
