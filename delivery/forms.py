"""The priority lead's update form. It carries the update's revision, so a stale page is refused."""

from __future__ import annotations

from django import forms

from .models import Action, ActionUpdate, Indicator, IndicatorValue

STALE_PAGE = "This page is out of date. Reload it and make your change again."
DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class UpdateForm(forms.ModelForm):
    revision = forms.IntegerField(widget=forms.HiddenInput, error_messages={"required": STALE_PAGE, "invalid": STALE_PAGE})
    status = forms.ChoiceField(
        label="New status", choices=Action.Status.choices, widget=forms.RadioSelect,
        error_messages={"required": "Choose the action's new status"},
    )

    class Meta:
        model = ActionUpdate
        fields = ["date", "progress", "status", "status_reason", "notable"]
        labels = {"date": "Date of the update", "progress": "What was done",
                  "status_reason": "Reason (if lagging or insufficient progress)",
                  "notable": "Propose this update for the year's key achievements"}
        help_texts = {"progress": "What partners delivered since the last update, in a few sentences.",
                      "status_reason": "Required when the action is lagging or has insufficient progress."}
        widgets = {"date": DATE_WIDGET, "progress": forms.Textarea(attrs={"rows": 5})}
        error_messages = {
            "date": {"required": "Enter the date of the update", "invalid": "Enter the date as a real date"},
            "progress": {"required": "Say what was done"},
        }

    def __init__(self, *args, action: Action, **kwargs):
        kwargs.setdefault("instance", ActionUpdate(action=action, status=action.status))
        super().__init__(*args, **kwargs)
        self.fields["revision"].initial = self.instance.revision


class ActionForm(forms.ModelForm):
    """What a lead may change of their own action; its status moves only with an update."""

    revision = forms.IntegerField(widget=forms.HiddenInput, error_messages={"required": STALE_PAGE, "invalid": STALE_PAGE})

    class Meta:
        model = Action
        fields = ["title", "description", "owner_organisation", "responsible_lead", "start_date", "due_date"]
        labels = {"owner_organisation": "Owner organisation", "description": "Description (optional)"}
        widgets = {"start_date": DATE_WIDGET, "due_date": DATE_WIDGET, "description": forms.Textarea(attrs={"rows": 4})}
        error_messages = {
            "title": {"required": "Enter the action's title"},
            "owner_organisation": {"required": "Enter the organisation that owns the action"},
            "responsible_lead": {"required": "Enter the person responsible for the action"},
            "start_date": {"required": "Enter the start date", "invalid": "Enter the start date as a real date"},
            "due_date": {"required": "Enter the due date", "invalid": "Enter the due date as a real date"},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["revision"].initial = self.instance.revision


class SinceForm(forms.Form):
    since = forms.DateField(label="Updates since the meeting of", required=False, widget=DATE_WIDGET)


class ValueForm(forms.ModelForm):
    period = forms.ChoiceField(
        label="Period", choices=IndicatorValue.Period.choices, widget=forms.RadioSelect,
        error_messages={"required": "Choose whether the value is for a month, a quarter or a year"},
    )

    class Meta:
        model = IndicatorValue
        fields = ["period", "period_start", "value"]
        labels = {"period_start": "First day of the period", "value": "Value"}
        widgets = {"period_start": DATE_WIDGET}
        error_messages = {
            "period_start": {"required": "Enter the first day of the period", "invalid": "Enter a real date"},
            "value": {"required": "Enter the value", "invalid": "Enter the value as a number"},
        }

    def __init__(self, *args, indicator: Indicator, **kwargs):
        kwargs.setdefault("instance", IndicatorValue(indicator=indicator))
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        recorded = self.instance.indicator.values.filter(
            period=cleaned.get("period"), period_start=cleaned.get("period_start"),
        ).first()
        if recorded is not None:
            self.add_error("period_start", f"{recorded.period_label} already has a value ({recorded.value.normalize():f}).")
        return cleaned


class ValuesImportForm(forms.Form):
    file = forms.FileField(
        label="CSV or XLSX file of values",
        help_text="Columns: period, period start, value. If any row is wrong, nothing is imported.",
        error_messages={"required": "Choose a CSV or XLSX file to import"},
    )


class AchievementForm(forms.Form):
    """A proposed key achievement, which KCST may edit before accepting it."""

    source = forms.CharField(widget=forms.HiddenInput, max_length=80)
    title = forms.CharField(label="Title (printed in bold)", max_length=200)
    text = forms.CharField(label="Text", widget=forms.Textarea(attrs={"rows": 4}), max_length=20000)
