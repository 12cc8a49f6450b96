"""The priority leads' pages and the Working Group's monitoring page.

A lead reaches only the actions of the priorities they lead: any other action or update is a 404,
whichever URL named it, as for district officers and their returns.
"""

from __future__ import annotations

import datetime
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_POST

from agreements.models import Agreement, CrossCuttingTheme, EditionFrozen, Priority, StaleEdit, Version
from agreements.roles import DRAFT_READERS, agreements_of, can_read_drafts, is_kcst
from agreements.stamps import KEEP_SECONDS, stamp

from . import achievements
from .charts import chart
from .forms import AchievementForm, ActionForm, SinceForm, UpdateForm, ValueForm, ValuesImportForm
from .indicator_imports import ImportRefused, import_values
from .models import Action, ActionUpdate, Indicator, IndicatorValue, UpdateReviewed
from .monitoring import monitoring as monitoring_of
from .pdf import monitoring_filename, render_monitoring_pdf


def own_action(view):
    @login_required
    @wraps(view)
    def wrapper(request, action_id: int, **kwargs):
        action = get_object_or_404(
            Action.objects.reachable_by(request.user).select_related("edition__agreement", "priority", "theme"), pk=action_id,
        )
        return view(request, action, **kwargs)

    return wrapper


@login_required
def lead_home(request):
    actions = (
        Action.objects.led_by(request.user).select_related("edition__agreement", "priority")
        .order_by("-edition__effective_year", "priority__order", "due_date")
    )
    return render(request, "delivery/lead_home.html", {
        "actions": actions, "indicators": Indicator.objects.led_by(request.user),
        "monitored": _monitored_editions(request.user),
    })


def _monitored_editions(user) -> list[tuple[Version, bool]]:
    """The editions whose monitoring page the user may open (each of their agreements' edition in
    force and its draft), each with whether they may ask for its proposed key achievements."""
    readable = agreements_of(user, *DRAFT_READERS)
    if readable == set():
        return []  # most leads read no drafts
    agreements = Agreement.objects.order_by("name")
    if readable is not None:
        agreements = agreements.filter(pk__in=readable)
    editions = []
    for agreement in agreements:
        kcst = is_kcst(user, agreement)
        editions += [(version, kcst and version.is_draft)
                     for version in (agreement.latest_published(), agreement.open_version()) if version is not None]
    return editions


@own_action
def action_detail(request, action: Action):
    return render(request, "delivery/action.html", {
        "action": action, "updates": action.updates.select_related("reviewed_at", "posted_by"),
    })


@own_action
def edit_action(request, action: Action):
    form = ActionForm(request.POST or None, instance=action)
    if request.method == "POST" and form.is_valid():
        action.revision = form.cleaned_data["revision"]
        try:
            action.save()
        except StaleEdit:
            form.add_error(None, "Someone changed this action meanwhile. Reload the page and make your change again.")
        else:
            messages.success(request, "The action is changed.")
            return redirect("delivery:action", action.pk)
    return render(request, "delivery/action_form.html", {"action": action, "form": form})


def _save_update(request, action: Action, form: UpdateForm, saved: str):
    if request.method == "POST" and form.is_valid():
        update = form.instance
        update.revision = form.cleaned_data["revision"]
        try:
            if update._state.adding:
                update.posted_by = request.user
            action.post_update(update)
        except StaleEdit:
            form.add_error(None, "Someone changed this update or its action meanwhile. Reload the page and "
                                 "make your change again.")
        except UpdateReviewed as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, saved)
            return redirect("delivery:action", action.pk)
    return render(request, "delivery/update_form.html", {"action": action, "form": form})


@own_action
def post_update(request, action: Action):
    form = UpdateForm(request.POST or None, action=action)
    return _save_update(request, action, form, "Your update is posted.")


@login_required
def edit_update(request, update_id: int):
    update = get_object_or_404(
        ActionUpdate.objects.filter(action__in=Action.objects.reachable_by(request.user)).select_related("action", "reviewed_at"),
        pk=update_id,
    )
    try:
        update.check_editable()
    except UpdateReviewed as refusal:
        messages.error(request, str(refusal))
        return redirect("delivery:action", update.action_id)
    form = UpdateForm(request.POST or None, instance=update, action=update.action)
    return _save_update(request, update.action, form, "Your update is changed.")


def _monitored(request, slug: str, number: str) -> tuple[Version, SinceForm]:
    version = get_object_or_404(Version.objects.select_related("agreement"), agreement__slug=slug, number=number)
    if not can_read_drafts(request.user, version.agreement):
        raise Http404
    return version, SinceForm(request.GET or None)


def _since(form: SinceForm):
    return form.cleaned_data["since"] if form.is_valid() else None


@login_required
def monitoring(request, slug: str, number: str):
    version, since = _monitored(request, slug, number)
    return render(request, "delivery/monitoring.html", {
        "version": version, "since_form": since, "report": monitoring_report(version, _since(since)),
    })


# What the monitoring report is built from: each keeps history, so their stamp changes with them.
REPORT_SOURCES = (Priority, CrossCuttingTheme, Action, ActionUpdate, Indicator, IndicatorValue)


def monitoring_report(version: Version, since: datetime.date | None) -> SafeString:
    """The monitoring report as every reader of the edition gets it, kept under the stamp of what it
    is built from, the day (what is overdue follows it) and the date updates are shown since.
    Building it takes seven queries and some 500 template variables at synthetic scale, four times
    a signed-in request's floor (README, Performance)."""
    today = datetime.date.today()
    state = stamp(REPORT_SOURCES)
    key = f"monitoring:{version.pk}:{since}:{today}:{state.key}"
    if (report := cache.get(key)) is None:
        report = render_to_string("delivery/monitoring_report.html",
                                  {"report": monitoring_of(version, since, today)})
        if state.settled:
            cache.set(key, report, KEEP_SECONDS)
    return mark_safe(report)


@login_required
def monitoring_pdf(request, slug: str, number: str):
    version, since = _monitored(request, slug, number)
    response = HttpResponse(render_monitoring_pdf(version, _since(since)), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{monitoring_filename(version)}"'
    return response


def own_indicator(view):
    @login_required
    @wraps(view)
    def wrapper(request, indicator_id: int, **kwargs):
        return view(request, get_object_or_404(Indicator.objects.reachable_by(request.user), pk=indicator_id), **kwargs)

    return wrapper


@own_indicator
def indicator_detail(request, indicator: Indicator):
    return render(request, "delivery/indicator.html", {"indicator": indicator, "chart": chart(indicator)})


@own_indicator
def add_value(request, indicator: Indicator):
    form = ValueForm(request.POST or None, indicator=indicator)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, f"The value for {form.instance.period_label} is recorded.")
        return redirect("delivery:indicator", indicator.pk)
    return render(request, "delivery/value_form.html", {"indicator": indicator, "form": form})


@own_indicator
def import_indicator_values(request, indicator: Indicator):
    form = ValuesImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            imported = import_values(indicator, upload.read(), upload.name)
        except ImportRefused as refusal:
            for error in refusal.errors:
                form.add_error("file", error)
        else:
            messages.success(request, f"Imported {len(imported)} value(s).")
            return redirect("delivery:indicator", indicator.pk)
    return render(request, "delivery/import_values.html", {"indicator": indicator, "form": form})


def _kcst_version(request, slug: str, number: str) -> Version:
    version = get_object_or_404(Version.objects.select_related("agreement"), agreement__slug=slug, number=number)
    if not is_kcst(request.user, version.agreement):
        raise Http404
    return version


@login_required
def proposed_achievements(request, slug: str, number: str):
    version = _kcst_version(request, slug, number)
    proposals = achievements.proposals(version) if version.is_draft else []
    return render(request, "delivery/achievements.html", {
        "version": version, "forms": [AchievementForm(initial=vars(proposal)) for proposal in proposals],
    })


def _to_proposals(version: Version):
    return redirect(reverse("delivery:achievements", args=[version.agreement.slug, version.number]))


@login_required
@require_POST
def accept_achievement(request, slug: str, number: str):
    version = _kcst_version(request, slug, number)
    form = AchievementForm(request.POST)
    if not form.is_valid():
        messages.error(request, "The key achievement was not added: give it a title and a text.")
        return _to_proposals(version)
    try:
        achievements.accept(version, form.cleaned_data["title"], form.cleaned_data["text"])
    except (EditionFrozen, ValidationError) as refusal:
        messages.error(request, f"The key achievement was not added: {' '.join(getattr(refusal, 'messages', [str(refusal)]))}")
    else:
        messages.success(request, f"Key achievement added: {form.cleaned_data['title']}")
    return _to_proposals(version)


@login_required
@require_POST
def discard_achievement(request, slug: str, number: str):
    version = _kcst_version(request, slug, number)
    form = AchievementForm(request.POST)
    if form.is_valid():
        achievements.discard(version, form.cleaned_data["source"], request.user)
        messages.success(request, f"Proposal discarded: {form.cleaned_data['title']}")
    return _to_proposals(version)
