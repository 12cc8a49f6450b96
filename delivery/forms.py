"""The priority lead's update form. It carries the update's revision, so a stale page is refused."""

from __future__ import annotations

from django import forms

from .models import Action, ActionUpdate

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
        fields = ["date", "progress", "status", "status_reason"]
        labels = {"date": "Date of the update", "progress": "What was done",
                  "status_reason": "Reason (if lagging or insufficient progress)"}
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


class SinceForm(forms.Form):
    since = forms.DateField(label="Updates since the meeting of", required=False, widget=DATE_WIDGET)
