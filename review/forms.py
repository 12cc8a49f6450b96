from django import forms

from agreements.fields import OneLine

from .models import ReviewerSettings
from .targets import Target


class CommentForm(forms.Form):
    about = forms.ChoiceField(
        label="What are you commenting on?", error_messages={"required": "Choose what you are commenting on"}
    )
    text = forms.CharField(
        label="Your comment", max_length=4000, widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter your comment"},
    )

    def __init__(self, targets: list[Target], *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.targets = {t.value: t for t in targets}
        self.fields["about"].choices = [("", "Choose a part of the edition"), *((t.value, t.label) for t in targets)]
        self.fields["about"].error_messages["invalid_choice"] = (
            "That part of the edition no longer exists: reload the page and choose again"
        )

    def target(self) -> Target:
        return self.targets[self.cleaned_data["about"]]


class EditCommentForm(forms.Form):
    text = forms.CharField(
        label="Your comment", max_length=4000, widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter your comment"},
    )


class AnswerForm(forms.Form):
    reply = forms.CharField(
        label="Reply", max_length=4000, widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter a reply"},
    )
    resolve = forms.BooleanField(label="Mark the comment resolved", required=False)


class ProposalForm(forms.Form):
    section = forms.CharField(max_length=40, widget=forms.HiddenInput, validators=[OneLine("section")])
    text = forms.CharField(label="Change note", max_length=500, error_messages={"required": "Enter the change note"},
                           validators=[OneLine("change note")])


class RepliesForm(forms.ModelForm):
    class Meta:
        model = ReviewerSettings
        fields = ["replies"]
        widgets = {"replies": forms.RadioSelect}
