"""The annual review of an agreement's priorities: KCST's proposals, the recommendations taken to the
KCSP "For Decision", and the KCSP's decision, which the next draft's priorities and themes follow."""

from __future__ import annotations

import copy

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from agreements.fields import OneLineField
from agreements.models import (
    Agreement,
    EditionContentQuerySet,
    Lineage,
    RevisionedModel,
    Version,
    WrittenOnce,
)
from agreements.sanitise import sanitise_html
from assessments.models import AssessmentCycle


class ReviewFrozen(Exception):
    """A review's content changes only while it is a draft; a recorded decision never changes."""


class AnnualReview(RevisionedModel):
    """One agreement's review of its priorities in one assessment cycle, e.g. "Annual review 2024-25"."""

    agreement_path = "agreement"

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        IN_REVIEW = "in_review", "In review by the Working Group and KCSP"
        DECIDED = "decided", "Decided by the KCSP"
        PUBLISHED = "published", "Published"

    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, related_name="annual_reviews")
    cycle = models.ForeignKey(AssessmentCycle, on_delete=models.PROTECT, related_name="annual_reviews")
    edition = models.ForeignKey(
        Version, on_delete=models.PROTECT, related_name="annual_reviews",
        help_text="The published edition whose priorities and themes are reviewed.",
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT, editable=False)
    by_line = OneLineField("By", max_length=300, blank=True, help_text="e.g. Shafick Peerbux, Head of Community Safety")
    to_line = OneLineField(
        "To", max_length=300, blank=True, help_text="The meeting, e.g. Kent Community Safety Partnership – 15th March 2017"
    )
    subject = OneLineField(max_length=300, default="Community Safety Agreement Update")
    summary_html = models.TextField("summary", blank=True, max_length=4000)
    background_html = models.TextField("1 Background", blank=True, max_length=20000)
    introduction_html = models.TextField("2 Introduction", blank=True, max_length=20000)
    process_html = models.TextField("3 The review process", blank=True, max_length=20000)
    proposals_html = models.TextField("4 The proposed priorities and themes", blank=True, max_length=20000)
    delivery_html = models.TextField("5 Action plan and performance monitoring", blank=True, max_length=20000)
    attachments = models.TextField(blank=True, max_length=2000, help_text="One attachment a line.")
    contact_html = models.TextField("for further information", blank=True, max_length=4000)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    TEXTS = ("summary_html", "background_html", "introduction_html", "process_html", "proposals_html",
             "delivery_html", "contact_html")

    class Meta:
        ordering = ["agreement", "-cycle__opens_on"]
        constraints = [models.UniqueConstraint(fields=["agreement", "cycle"], name="one_review_per_cycle")]

    def __str__(self) -> str:
        return f"{self.title}, {self.agreement}"

    @property
    def title(self) -> str:
        return f"Annual review {self.cycle.label}"

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def accepts_comments(self) -> bool:
        """The Working Group and the KCSP comment while it is in review (review.Comment asks)."""
        return self.status == self.Status.IN_REVIEW

    def get_absolute_url(self) -> str:
        return reverse("annual_review:review", args=[self.agreement.slug, self.cycle.label])

    @property
    def attachment_list(self) -> list[str]:
        return [line.strip() for line in self.attachments.splitlines() if line.strip()]

    def clean(self):
        if self.cycle_id and self.agreement_id and self.cycle.agreement_id != self.agreement_id:
            raise ValidationError({"cycle": "Choose a cycle of this agreement."})
        if self.edition_id and self.agreement_id and self.edition.agreement_id != self.agreement_id:
            raise ValidationError({"edition": "Choose an edition of this agreement."})

    def check_editable(self) -> None:
        status = AnnualReview._base_manager.filter(pk=self.pk).values_list("status", flat=True).first()
        if status not in (None, self.Status.DRAFT):
            raise ReviewFrozen(
                f"The {self.title} is {self.Status(status).label.lower()}, so its content cannot change."
            )

    def save(self, *args, **kwargs):
        # Only annual_review.workflow moves the status, and it saves nothing else.
        if not getattr(self, "_moving", False):
            self.check_editable()
        for name in self.TEXTS:
            setattr(self, name, sanitise_html(getattr(self, name)))
        return super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        self.check_editable()
        return super().delete(*args, **kwargs)


class ReviewContentQuerySet(EditionContentQuerySet):
    """Bulk changes obey the review's freeze rule, as an edition's content obeys the edition's."""

    def _refuse_if_frozen(self) -> None:
        frozen = AnnualReview.objects.filter(pk__in=self.values("review")).exclude(status=AnnualReview.Status.DRAFT)
        if frozen.exists():
            raise ReviewFrozen("The review is no longer a draft, so its content cannot change.")


class ReviewContent(RevisionedModel):
    """A part of one review: it changes only while the review is a draft."""

    agreement_path = "review__agreement"

    objects = ReviewContentQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.review.check_editable()
        return super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        self.review.check_editable()
        return super().delete(*args, **kwargs)


class EvidenceNote(ReviewContent):
    """KCST's own introduction to one block of evidence the application assembles."""

    class Block(models.TextChoices):
        PRIORITIES = "priorities", "The current priorities and cross-cutting themes"
        APPENDIX_A = "appendix_a", "District strategic assessments (Appendix A)"
        MATRIX = "matrix", "Issues by district"
        TOP_ISSUES = "top_issues", "The top issues emerging"
        MORILE = "morile", "MoRiLE outcomes"
        HORIZON = "horizon", "Horizon scanning (PESTELO)"
        POLICE_CRIME_PLAN = "police_crime_plan", "The Police and Crime Plan"

    review = models.ForeignKey(AnnualReview, on_delete=models.CASCADE, related_name="evidence_notes")
    block = models.CharField(max_length=20, choices=Block.choices)
    html = models.TextField("introduction", blank=True, max_length=20000)
    history = HistoricalRecords()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["review", "block"], name="one_note_per_block")]

    def save(self, *args, **kwargs):
        self.html = sanitise_html(self.html)
        return super().save(*args, **kwargs)


class Proposal(ReviewContent):
    """What KCST proposes for current priorities or themes, or a new one, and why."""

    class Action(models.TextChoices):
        RETAIN = "retain", "Retain"
        RENAME = "rename", "Rename"
        EXPAND = "expand", "Expand (rename with a wider list of what it includes)"
        MERGE = "merge", "Merge several into one"
        SPLIT = "split", "Split into several"
        DROP = "drop", "Drop"
        ADD = "add", "Add a new one"

    Item = Lineage.Item

    # How many current items and new names each action takes: (current, new names).
    SHAPES = {
        Action.RETAIN: ("one", "none"), Action.RENAME: ("one", "one"), Action.EXPAND: ("one", "one"),
        Action.MERGE: ("several", "one"), Action.SPLIT: ("one", "several"), Action.DROP: ("one", "none"),
        Action.ADD: ("none", "one"),
    }

    review = models.ForeignKey(AnnualReview, on_delete=models.CASCADE, related_name="proposals")
    item = models.CharField(max_length=10, choices=Item.choices, default=Item.PRIORITY)
    action = models.CharField(max_length=10, choices=Action.choices)
    current_keys = models.JSONField(default=list, blank=True, help_text="Keys of the current edition's items.")
    new_names = models.TextField(blank=True, max_length=2000, help_text="One name a line.")
    new_includes = models.TextField(blank=True, max_length=4000, help_text="What a priority includes, one item a line.")
    reasoning_html = models.TextField("reasoning", blank=True, max_length=20000)
    cited_categories = models.JSONField(
        default=list, blank=True, help_text="Keys of the cycle's categories cited as evidence."
    )
    order = models.PositiveSmallIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["review", "item", "order", "pk"]

    def __str__(self) -> str:
        return f"{self.get_action_display()}: {', '.join(self.current_keys + self.name_list)}"

    @property
    def name_list(self) -> list[str]:
        return [line.strip() for line in self.new_names.splitlines() if line.strip()]

    @property
    def includes_list(self) -> list[str]:
        return [line.strip() for line in self.new_includes.splitlines() if line.strip()]

    @property
    def named(self) -> str:
        """How a page or a message names it: by its new names where it has them, as keys mean nothing
        to a reader."""
        return " and ".join(self.name_list) or str(self)

    def clean(self):
        current, names = self.SHAPES[self.Action(self.action)]
        counts = {"none": lambda n: n == 0, "one": lambda n: n == 1, "several": lambda n: n >= 2}
        words = {"none": "no", "one": "exactly one", "several": "two or more"}
        errors = {}
        if not counts[current](len(self.current_keys)):
            # Not a field of its own on the form (current items are chosen from a list): a general error.
            errors[NON_FIELD_ERRORS] = f"{self.get_action_display()} takes {words[current]} current item(s)."
        if not counts[names](len(self.name_list)):
            errors["new_names"] = f"{self.get_action_display()} takes {words[names]} new name(s), one a line."
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        self.reasoning_html = sanitise_html(self.reasoning_html)
        return super().save(*args, **kwargs)


class Recommendation(ReviewContent):
    """One of the numbered recommendations: "The KCSP is asked to agree ..."."""

    review = models.ForeignKey(AnnualReview, on_delete=models.CASCADE, related_name="recommendations")
    text = models.TextField(max_length=4000)
    proposals = models.ManyToManyField(
        Proposal, blank=True, related_name="recommendations",
        help_text="The proposals that follow if the KCSP agrees this recommendation.",
    )
    order = models.PositiveSmallIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["review", "order", "pk"]

    def __str__(self) -> str:
        return self.text[:80]


def proposals_and_recommendations() -> list[models.Prefetch]:
    """Each review's proposals and recommendations in their order, to prefetch: within one review the
    models' own ordering, which starts at the review's agreement and cycle, joins both to sort nothing."""
    return [
        models.Prefetch("proposals", queryset=Proposal.objects.order_by("item", "order", "pk")),
        models.Prefetch("recommendations", queryset=Recommendation.objects.order_by("order", "pk")),
    ]


class Kept(WrittenOnce):
    """The decision's rows: written once, when KCST record it."""

    refusal = ReviewFrozen

    class Meta:
        abstract = True

    def kept_message(self) -> str:
        return "A recorded decision cannot change."


class Decision(Kept):
    """The KCSP's decision on a review, as minuted. Recorded once, by KCST, and never changed."""

    agreement_path = "review__agreement"

    review = models.OneToOneField(AnnualReview, on_delete=models.PROTECT, related_name="decision")
    meeting_date = models.DateField()
    minute = models.TextField(max_length=4000, help_text='e.g. "RESOLVED that the priorities be agreed".')
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"KCSP decision of {self.meeting_date:%d %B %Y}"


class Outcome(Kept):
    """The KCSP's answer to one recommendation."""

    agreement_path = "decision__review__agreement"

    class Answer(models.TextChoices):
        AGREED = "agreed", "Agreed"
        AMENDED = "amended", "Agreed as amended"
        NOT_AGREED = "not_agreed", "Not agreed"

    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="outcomes")
    recommendation = models.ForeignKey(Recommendation, on_delete=models.PROTECT, related_name="outcomes")
    answer = models.CharField(max_length=12, choices=Answer.choices)
    amendment = models.TextField(blank=True, max_length=4000)

    class Meta:
        ordering = ["decision", "recommendation__order", "recommendation__pk"]
        constraints = [models.UniqueConstraint(fields=["decision", "recommendation"], name="one_outcome_each")]

    def __str__(self) -> str:
        return f"{self.recommendation}: {self.get_answer_display()}"

    @property
    def agreed(self) -> bool:
        return self.answer != self.Answer.NOT_AGREED


class AmendedProposal(Kept):
    """What a proposal became where the KCSP agreed a recommendation naming it as amended and the
    amendment changes the proposal's data (its new names, what a priority includes). An amendment in
    words only has none: applying the decision then says the amendment is KCST's to make by hand."""

    agreement_path = "decision__review__agreement"

    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="amended_proposals")
    proposal = models.ForeignKey(Proposal, on_delete=models.PROTECT, related_name="amendments")
    new_names = models.TextField(blank=True, max_length=2000, help_text="One name a line.")
    new_includes = models.TextField(blank=True, max_length=4000, help_text="One item a line.")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["decision", "proposal"], name="one_amendment_per_proposal")]

    def __str__(self) -> str:
        return f"{self.proposal} as amended"

    def applied_to(self, proposal: Proposal) -> Proposal:
        """The proposal as agreed: a copy, never saved, with the amended names and includes-list."""
        amended = copy.copy(proposal)
        amended.new_names = self.new_names or proposal.new_names
        amended.new_includes = self.new_includes or proposal.new_includes
        return amended
