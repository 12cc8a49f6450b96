"""The officer portal's and KCST's forms. Each carries the return's revision, so a stale page is refused."""

from __future__ import annotations

from django import forms
from django.core.validators import RegexValidator

from agreements.admin_labels import LabelledInlineFormSet
from agreements.fields import OneLine
from agreements.models import Agreement
from agreements.roles import KCST_STAFF, within

from .corrections import REMOVE, described
from .imports import MAX_BYTES
from .models import AssessmentCycle, AssessmentReturn, MorileScore, ReturnItem

STALE_PAGE = "This page is out of date. Reload it and make your change again."
DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def revision_field() -> forms.IntegerField:
    return forms.IntegerField(widget=forms.HiddenInput, error_messages={"required": STALE_PAGE, "invalid": STALE_PAGE})


class RevisionForm(forms.Form):
    """A button that changes a return: submit, remove, accept. It carries only the revision."""

    revision = revision_field()

    def __init__(self, *args, assessment_return: AssessmentReturn, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["revision"].initial = assessment_return.revision


class MoveForm(RevisionForm):
    direction = forms.ChoiceField(choices=[("up", "Up"), ("down", "Down")])

    @property
    def step(self) -> int:
        return -1 if self.cleaned_data["direction"] == "up" else 1


class ItemForm(forms.ModelForm):
    revision = revision_field()
    kind = forms.ChoiceField(
        label="Class", choices=ReturnItem.Kind.choices, widget=forms.RadioSelect,
        error_messages={"required": "Choose the class of this issue"},
    )

    class Meta:
        model = ReturnItem
        fields = ["category", "own_wording", "kind", "note"]
        labels = {"category": "Category", "own_wording": "Issue in your own words (optional)",
                  "note": "Note (optional)"}
        help_texts = {
            "category": "The issue on the county's list. Leave it empty only if none fits.",
            "own_wording": "If your strategic assessment words the issue differently, write it here. "
                           "Choose the category it belongs to as well, if there is one.",
            "note": "Anything KCST should know about this issue.",
        }
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, assessment_return: AssessmentReturn, **kwargs):
        kwargs.setdefault("instance", ReturnItem(assessment_return=assessment_return))
        super().__init__(*args, **kwargs)
        self.fields["revision"].initial = assessment_return.revision
        category = self.fields["category"]
        category.queryset = assessment_return.cycle.categories.all()
        category.empty_label = "Choose a category"
        category.label_from_instance = lambda c: c.label
        category.error_messages["invalid_choice"] = "Choose a category from the list"


class LocalSignoffForm(forms.Form):
    """Offers "agreed" only to an officer who may give it, and nothing but "agreed" after submission."""

    revision = revision_field()
    local_signoff = forms.ChoiceField(
        label="Has the local Community Safety Partnership agreed this return?",
        choices=AssessmentReturn.LocalSignoff.choices, widget=forms.RadioSelect,
        error_messages={
            "required": "Choose whether the local CSP has agreed the return",
            "invalid_choice": "You cannot record that the local CSP has agreed the return: "
                              "only an officer who may confirm the local sign-off can",
        },
    )

    def __init__(self, *args, assessment_return: AssessmentReturn, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["revision"].initial = assessment_return.revision
        field = self.fields["local_signoff"]
        field.initial = assessment_return.local_signoff
        signoff = AssessmentReturn.LocalSignoff
        offered = [signoff.PROVISIONAL] if assessment_return.officer_can_edit else []
        if assessment_return.may_confirm_signoff(user):
            offered.append(signoff.AGREED)
        else:
            field.help_text = (
                "Only an officer who may confirm the local CSP's sign-off can record that it is agreed. "
                "Ask them to record it, or ask KCST who holds that role."
            )
        field.choices = [(value, label) for value, label in signoff.choices if value in offered]

    @property
    def offers_a_choice(self) -> bool:
        return bool(self.fields["local_signoff"].choices)


class MorileForm(forms.ModelForm):
    """Scores one of the issues the return already names, so a score always matches an issue."""

    revision = revision_field()
    issue = forms.ChoiceField(
        label="Issue", help_text="One of the issues in this return. Add the issue first if it is not listed.",
        error_messages={"required": "Choose the issue these scores are for",
                        "invalid_choice": "Choose one of the issues in this return"},
    )
    confidence = forms.ChoiceField(
        label="Confidence", choices=MorileScore.Confidence.choices, widget=forms.RadioSelect,
        help_text="How sure you are of the information behind the scores.",
        error_messages={"required": "Choose how confident you are in the scores"},
    )

    class Meta:
        model = MorileScore
        fields = ["issue", "harm", "likelihood", "organisational_position", "confidence", "scheme_name",
                  "scheme_version"]
        labels = {"organisational_position": "Organisational position", "scheme_name": "Scoring scheme",
                  "scheme_version": "Scheme version"}
        help_texts = {
            "harm": "The harm score, as your scoring scheme gives it.",
            "likelihood": "The likelihood score.",
            "organisational_position": "The organisational position (capacity and capability) score.",
        }

    def __init__(self, *args, assessment_return: AssessmentReturn, **kwargs):
        kwargs.setdefault("instance", MorileScore(assessment_return=assessment_return))
        super().__init__(*args, **kwargs)
        self.fields["revision"].initial = assessment_return.revision
        issues = [str(item) for item in assessment_return.items.select_related("category")]
        # A score entered as free text before scores picked an issue stays valid until it is changed.
        if self.instance.issue and self.instance.issue not in issues:
            issues.append(self.instance.issue)
        self.fields["issue"].choices = [("", "Choose an issue")] + [(issue, issue) for issue in issues]
        for name in ("harm", "likelihood", "organisational_position"):
            self.fields[name].widget.attrs["inputmode"] = "decimal"


class ReturnForAmendmentForm(RevisionForm):
    reason = forms.CharField(
        label="Why does the return need amending?", max_length=2000, widget=forms.Textarea(attrs={"rows": 4}),
        help_text="The officer sees this on the return and receives it by e-mail.",
        error_messages={"required": "Give the reason the return needs amending"},
    )


class OpenCycleForm(forms.Form):
    agreement = forms.ModelChoiceField(queryset=Agreement.objects.all(), empty_label=None)
    label = forms.CharField(
        label="Cycle", max_length=20, help_text="The years of the strategic assessments, for example 2024-25.",
        validators=[RegexValidator(r"^\d{4}-\d{2}$", "Write the cycle like 2024-25")],
    )
    opens_on = forms.DateField(label="Opens on", widget=DATE_WIDGET)
    due_on = forms.DateField(label="Due by", widget=DATE_WIDGET,
                             help_text="Returns submitted after this day are accepted but marked late. A cycle "
                                       "due before today is recorded history: nothing in it is late.")
    categories_from = forms.ModelChoiceField(
        label="Start the category list from", queryset=AssessmentCycle.objects.none(), required=False,
        empty_label="No cycle: start with an empty list",
        help_text="A copy of that cycle's categories, in its order; you can change the list in the admin.",
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the agreements this person runs as KCST staff.
        self.fields["agreement"].queryset = within(Agreement.objects, user, KCST_STAFF)
        cycles = AssessmentCycle.objects.filter(agreement__in=self.fields["agreement"].queryset)
        self.fields["categories_from"].queryset = cycles.select_related("agreement")
        self.fields["categories_from"].initial = cycles.order_by("-opens_on").first()

    def clean(self):
        cleaned = super().clean()
        agreement, label = cleaned.get("agreement"), cleaned.get("label")
        if agreement and label and AssessmentCycle.objects.filter(agreement=agreement, label=label).exists():
            self.add_error("label", f"The {label} cycle is already open")
        opens_on, due_on = cleaned.get("opens_on"), cleaned.get("due_on")
        if opens_on and due_on and due_on < opens_on:
            self.add_error("due_on", "The due date must be on or after the opening date")
        source = cleaned.get("categories_from")
        if agreement and source and source.agreement_id != agreement.pk:
            self.add_error("categories_from", "Choose a cycle of the same agreement, or no cycle")
        return cleaned


class ImportForm(forms.Form):
    file = forms.FileField(
        label="CSV or XLSX file of returns",
        help_text="The same columns as the CSV and XLSX exports. Every partnership named in the file has its return "
                  "replaced by the file's rows; if any row is wrong, nothing is imported.",
        error_messages={"required": "Choose a CSV or XLSX file to import"},
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(f"The file must be smaller than {MAX_BYTES // 1_000_000} MB")
        return upload


class CategoryListFormSet(LabelledInlineFormSet):
    """A cycle's category list on one screen: keys and names each used once, positions each given once.

    Rows are saved one at a time, so two keys swapped in one save would collide in the database
    half-way: that is refused here with a way round it, instead of failing with a server error.
    """

    def clean(self):
        super().clean()
        kept = [form for form in self.forms
                if form.is_valid() and form.cleaned_data and not self._should_delete_form(form)]
        errors = []
        for field, what in (("key", "key"), ("name", "name"), ("order", "position")):
            seen: set[str] = set()
            for form in kept:
                value = str(form.cleaned_data.get(field, "")).strip().casefold()
                if value in seen:
                    errors.append(f"Two categories have the {what} “{form.cleaned_data[field]}”: "
                                  f"give each category its own {what}.")
                seen.add(value)
        if self.instance.pk:
            errors += self._swapped_keys(kept)
        if errors:
            raise forms.ValidationError(errors)

    def _swapped_keys(self, kept) -> list[str]:
        """A key given to one row while another row still holds it in the database."""
        held = {category.key: category for category in self.instance.categories.all()}
        errors = []
        for form in kept:
            if "key" not in form.changed_data:
                continue
            holder = held.get(form.cleaned_data["key"])
            if holder is not None and holder.pk != form.instance.pk:
                errors.append(
                    f"The key “{holder.key}” still belongs to {holder.name} until this save: to swap two keys, "
                    f"first give one of them a key not in use, save, then give each its new key."
                )
        return errors


class CorrectionForm(forms.Form):
    """KCST's correction of one issue of an accepted return: changed, added or removed, with why."""

    seen = forms.IntegerField(widget=forms.HiddenInput, error_messages={"required": STALE_PAGE, "invalid": STALE_PAGE})
    issue = forms.ChoiceField(label="Issue to correct",
                              error_messages={"required": "Choose the issue to correct, or a new issue",
                                              "invalid_choice": "Choose one of the return's issues, or a new issue"})
    category = forms.ModelChoiceField(
        label="Category", required=False, queryset=AssessmentCycle.objects.none(), empty_label="Choose a category",
        help_text="The issue on the county's list, as it should count.",
        error_messages={"invalid_choice": "Choose a category from the list"},
    )
    own_wording = forms.CharField(label="Issue in the partnership's own words (optional)", required=False,
                                  max_length=ReturnItem._meta.get_field("own_wording").max_length)
    kind = forms.ChoiceField(
        label="Class", widget=forms.RadioSelect,
        choices=[*ReturnItem.Kind.choices, (REMOVE, "Remove this issue from the return")],
        error_messages={"required": "Choose the class the issue should have, or remove it"},
    )
    reason = forms.CharField(
        label="Why is the return corrected?", widget=forms.Textarea(attrs={"rows": 4}), max_length=2000,
        help_text="Kept with the correction for KCST, e.g. the CSP's e-mail that reported the mistake.",
        error_messages={"required": "Say why the return is corrected"},
    )

    def __init__(self, *args, assessment_return: AssessmentReturn, issues: list, seen: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.current = issues
        self.fields["seen"].initial = seen
        self.fields["issue"].choices = [
            ("", "Choose an issue"), *((str(i), described(issue)) for i, issue in enumerate(issues)),
            ("new", "A new issue"),
        ]
        category = self.fields["category"]
        category.queryset = assessment_return.cycle.categories.all()
        category.label_from_instance = lambda c: c.label
        self.fields["own_wording"].validators.append(OneLine("issue in the partnership's own words"))

    @property
    def at(self) -> int | None:
        issue = self.cleaned_data["issue"]
        return None if issue == "new" else int(issue)

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        at, category, kind = self.at, data["category"], data["kind"]
        if kind == REMOVE:
            if at is None:
                self.add_error("kind", "A new issue cannot be removed: choose its class")
            return data
        if category is None and not data["own_wording"].strip():
            self.add_error("category", "Choose a category, or write the issue in the partnership's own words")
        elif category is not None and any(
                other.category_id == category.pk for i, other in enumerate(self.current) if i != at):
            self.add_error("category", f"{category.name} is already one of the return's issues: correct that one instead")
        elif at is not None and (self.current[at].category_id, self.current[at].own_wording, self.current[at].kind) == (
                category.pk if category else None, data["own_wording"], kind):
            self.add_error("kind", "The correction changes nothing: change the category, wording or class")
        return data


class ReturnsTableForm(forms.Form):
    """KCST's choice of which of a cycle's returns to list and in what order: a plain GET form."""

    ANY = [("", "Any")]
    status = forms.ChoiceField(choices=ANY + AssessmentReturn.Status.choices, required=False)
    late = forms.ChoiceField(label="Late", choices=ANY + [("yes", "Late"), ("no", "Not late")], required=False)
    signoff = forms.ChoiceField(label="Local sign-off", choices=ANY + AssessmentReturn.LocalSignoff.choices,
                                required=False)
    sort = forms.ChoiceField(label="Sort by", required=False, choices=[
        ("partnership", "Partnership"), ("status", "Status"), ("late", "Late first"),
        ("signoff", "Local sign-off"), ("updated", "Last change, newest first"),
    ])

    # Each sort's key on a return; ties keep the partnerships' alphabetical order.
    SORT_KEYS = {
        "partnership": lambda r: 0,
        "status": lambda r: list(AssessmentReturn.Status.values).index(r.status),
        "late": lambda r: not r.is_late,
        "signoff": lambda r: r.local_signoff,
        "updated": lambda r: -r.updated_at.timestamp(),
    }

    @classmethod
    def from_address(cls, query) -> ReturnsTableForm:
        """The form as the address fills it in; with an unknown choice, which lists every return, the
        empty form, so the form shows what is listed and its HTML follows its choice alone."""
        form = cls(query)
        return form if form.is_valid() else cls()

    def choice(self) -> str:
        """What the form and the table show, as a part of their cache key."""
        return "/".join(self.cleaned_data.values()) if self.is_valid() else ""

    def chosen(self, returns: list[AssessmentReturn]) -> list[AssessmentReturn]:
        """The returns the form picks, in its order; an unknown choice in the address lists them all."""
        if not self.is_valid():
            return returns
        wanted = self.cleaned_data
        picked = [
            r for r in returns
            if wanted["status"] in ("", r.status)
            and wanted["late"] in ("", "yes" if r.is_late else "no")
            and wanted["signoff"] in ("", r.local_signoff)
        ]
        return sorted(picked, key=self.SORT_KEYS[wanted["sort"] or "partnership"])
