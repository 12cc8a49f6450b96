"""The forms KCST writes a review with, and records the KCSP's decision on."""

from __future__ import annotations

from django import forms

from documents.editor_forms import FormattedText, RevisionedEdit
from assessments.aggregation import appendix_a

from .models import AnnualReview, EvidenceNote, Outcome, Proposal, Recommendation


class StartReviewForm(forms.Form):
    cycle = forms.ModelChoiceField(queryset=None, empty_label=None, label="Assessment cycle",
                                   help_text="The year whose strategic assessment returns the review weighs.")

    def __init__(self, agreement, *args, **kwargs):
        super().__init__(*args, **kwargs)
        taken = AnnualReview.objects.filter(agreement=agreement).values("cycle")
        self.fields["cycle"].queryset = agreement.cycles.exclude(pk__in=taken).order_by("-opens_on")
        self.fields["cycle"].label_from_instance = lambda cycle: cycle.label
        self.fields["cycle"].widget = forms.RadioSelect(choices=self.fields["cycle"].choices)
        self.fields["cycle"].error_messages["required"] = "Choose the assessment cycle to review"


class ReviewTextsForm(RevisionedEdit):
    class Meta:
        model = AnnualReview
        fields = ["by_line", "to_line", "subject", "summary_html", "background_html", "introduction_html",
                  "process_html", "proposals_html", "delivery_html", "attachments", "contact_html"]
        widgets = {name: FormattedText(rows=5) for name in AnnualReview.TEXTS}
        widgets["attachments"] = forms.Textarea(attrs={"rows": 3, "class": "textarea"})
        error_messages = {"subject": {"required": "Enter the report's subject"}}


class EvidenceNoteForm(RevisionedEdit):
    class Meta:
        model = EvidenceNote
        fields = ["html"]
        labels = {"html": "Your introduction to this evidence"}
        widgets = {"html": FormattedText(rows=6)}


class ProposalForm(RevisionedEdit):
    """One proposal: which current items, what becomes of them, why, and the evidence cited."""

    current = forms.MultipleChoiceField(
        required=False, widget=forms.CheckboxSelectMultiple, label="Current priorities or themes",
        help_text="None for a new one; two or more for a merge.",
    )
    cited = forms.MultipleChoiceField(
        required=False, widget=forms.CheckboxSelectMultiple, label="Evidence cited",
        help_text="Issues from the cycle's strategic assessments, with the number of CSPs naming each.",
    )

    class Meta:
        model = Proposal
        fields = ["item", "action", "new_names", "new_includes", "reasoning_html"]
        labels = {"item": "Priority or cross-cutting theme", "new_names": "New name or names",
                  "new_includes": "What it includes", "reasoning_html": "Reasoning"}
        widgets = {"item": forms.RadioSelect, "action": forms.RadioSelect,
                   "new_names": forms.Textarea(attrs={"rows": 3, "class": "textarea"}),
                   "new_includes": forms.Textarea(attrs={"rows": 3, "class": "textarea"}),
                   "reasoning_html": FormattedText(rows=6)}
        error_messages = {"action": {"required": "Choose what to do"}}

    def __init__(self, review: AnnualReview, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.review = review
        edition = review.edition
        self.items = {f"priority:{p.key}": ("priority", p.key) for p in edition.priorities.all()}
        self.items |= {f"theme:{t.key}": ("theme", t.key) for t in edition.themes.all()}
        self.fields["current"].choices = (
            [(f"priority:{p.key}", f"Priority: {p.name}") for p in edition.priorities.all()]
            + [(f"theme:{t.key}", f"Theme: {t.name}") for t in edition.themes.all()]
        )
        self.fields["cited"].choices = [
            (row.category_key, f"{row.label} ({row.csps} CSPs)") for row in appendix_a(review.cycle).rows
        ]
        self.fields["item"].choices = Proposal.Item.choices
        self.fields["action"].choices = Proposal.Action.choices
        self.initial.setdefault("current", [f"{self.instance.item}:{key}" for key in self.instance.current_keys])
        self.initial.setdefault("cited", self.instance.cited_categories)

    def clean(self):
        data = super().clean()
        chosen = [self.items[value] for value in data.get("current", [])]
        item = data.get("item")
        if any(kind != item for kind, _ in chosen):
            self.add_error("current", "Choose only current items of the kind chosen above.")
            return data
        keys = [key for _, key in chosen]
        elsewhere = {
            key for p in self.review.proposals.exclude(pk=self.instance.pk).filter(item=item) for key in p.current_keys
        }
        if taken := [key for key in keys if key in elsewhere]:
            self.add_error("current", f"Another proposal already covers {', '.join(taken)}.")
        self.instance.current_keys = keys
        self.instance.cited_categories = data.get("cited", [])
        return data


class RecommendationForm(RevisionedEdit):
    class Meta:
        model = Recommendation
        fields = ["text", "proposals"]
        labels = {"text": "Recommendation", "proposals": "Proposals that follow if it is agreed"}
        widgets = {"text": forms.Textarea(attrs={"rows": 4, "class": "textarea"}),
                   "proposals": forms.CheckboxSelectMultiple}
        error_messages = {"text": {"required": "Enter the recommendation"}}

    def __init__(self, review: AnnualReview, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["proposals"].queryset = review.proposals.all()


class DecisionForm(forms.Form):
    meeting_date = forms.DateField(label="Date of the KCSP meeting", help_text="For example, 15/03/2017",
                                   input_formats=["%d/%m/%Y", "%Y-%m-%d"],
                                   error_messages={"required": "Enter the date of the meeting",
                                                   "invalid": "Enter the date as day/month/year"})
    minute = forms.CharField(widget=forms.Textarea(attrs={"rows": 3, "class": "textarea"}), max_length=4000,
                             label="Minute", help_text='As minuted, e.g. "RESOLVED that ..."',
                             error_messages={"required": "Enter the minute"})

    def __init__(self, review: AnnualReview, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.recommendations = list(review.recommendations.all())
        for i, recommendation in enumerate(self.recommendations, 1):
            self.fields[f"answer_{recommendation.pk}"] = forms.ChoiceField(
                choices=Outcome.Answer.choices, widget=forms.RadioSelect, label=f"Recommendation 6.{i}",
                help_text=recommendation.text, error_messages={"required": f"Record the answer to recommendation 6.{i}"},
            )
            self.fields[f"amendment_{recommendation.pk}"] = forms.CharField(
                required=False, max_length=4000, label=f"Amendment to recommendation 6.{i}",
                widget=forms.Textarea(attrs={"rows": 2, "class": "textarea"}), help_text="Only if agreed as amended.",
            )

        # Where an amendment changes a proposal's data, KCST write the proposal as agreed, so applying
        # the decision applies that and not the proposal as sent.
        self.amendable = [p for p in review.proposals.all() if Proposal.SHAPES[p.action][1] != "none"]
        for proposal in self.amendable:
            self.fields[f"amended_names_{proposal.pk}"] = forms.CharField(
                required=False, max_length=2000,
                label=f"Proposal '{proposal.named}': the new name(s) as amended",
                widget=forms.Textarea(attrs={"rows": 2, "class": "textarea"}),
                help_text="Only if an amendment changed them. One name a line.",
            )
            if proposal.item == Proposal.Item.PRIORITY:
                self.fields[f"amended_includes_{proposal.pk}"] = forms.CharField(
                    required=False, max_length=4000,
                    label=f"Proposal '{proposal.named}': what it includes as amended",
                    widget=forms.Textarea(attrs={"rows": 3, "class": "textarea"}),
                    help_text="Only if an amendment changed it. One item a line.",
                )

    def clean(self):
        data = super().clean()
        for i, recommendation in enumerate(self.recommendations, 1):
            if data.get(f"answer_{recommendation.pk}") == Outcome.Answer.AMENDED and not data.get(
                f"amendment_{recommendation.pk}", ""
            ).strip():
                self.add_error(f"amendment_{recommendation.pk}", f"Write the amendment to recommendation 6.{i}")
        return data

    def answers(self) -> dict[int, tuple[str, str]]:
        return {
            r.pk: (self.cleaned_data[f"answer_{r.pk}"], self.cleaned_data[f"amendment_{r.pk}"])
            for r in self.recommendations
        }

    def amended(self) -> dict[int, tuple[str, str]]:
        return {
            p.pk: (self.cleaned_data[f"amended_names_{p.pk}"], self.cleaned_data.get(f"amended_includes_{p.pk}", ""))
            for p in self.amendable
        }

    def amendment_fields(self):
        return [self[name] for name in self.fields if name.startswith("amended_")]

    def answer_fields(self):
        return [(self[f"answer_{r.pk}"], self[f"amendment_{r.pk}"]) for r in self.recommendations]
