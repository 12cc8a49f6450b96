"""Districts, their Community Safety Partnerships, and the strategic assessment returns they send."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from agreements.models import Agreement, RevisionedModel, Version


class District(models.Model):
    slug = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=100)
    former_name = models.CharField(max_length=100, blank=True, help_text="e.g. Shepway for Folkestone and Hythe.")
    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, related_name="districts")
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Partnership(models.Model):
    """A Community Safety Partnership (CSP), covering one or more districts over a span of years."""

    slug = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=150)
    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, related_name="partnerships")
    districts = models.ManyToManyField(District, related_name="partnerships")
    active_from = models.PositiveSmallIntegerField(null=True, blank=True, help_text="First year, if known.")
    active_to = models.PositiveSmallIntegerField(null=True, blank=True, help_text="Last year, if it has ended.")
    email = models.EmailField(blank=True, help_text="Where reminders and messages about its return go.")
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class PartnershipOfficer(models.Model):
    """Links a district officer's log-in to the one partnership whose return they submit."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="partnership_officer")
    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="officers")
    can_confirm_local_signoff = models.BooleanField(
        default=False, help_text="May record that the local CSP has agreed the return."
    )
    history = HistoricalRecords()

    def __str__(self) -> str:
        return f"{self.user} ({self.partnership})"


class AssessmentCycle(models.Model):
    """One year's round of strategic assessments, e.g. 2024-25, feeding one agreement version."""

    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, related_name="cycles")
    label = models.CharField(max_length=20, help_text="e.g. 2024-25")
    version = models.ForeignKey(
        Version, null=True, blank=True, on_delete=models.SET_NULL, related_name="cycles",
        help_text="The agreement version whose Appendix A this cycle feeds.",
    )
    opens_on = models.DateField()
    due_on = models.DateField()
    description = models.CharField(max_length=300, blank=True)
    other_focus_areas = models.TextField(blank=True, help_text="Printed under the Appendix A table.")
    history = HistoricalRecords()

    class Meta:
        ordering = ["agreement", "-opens_on"]
        constraints = [models.UniqueConstraint(fields=["agreement", "label"], name="unique_cycle_label")]

    def __str__(self) -> str:
        return f"{self.agreement.area} {self.label}"

    def previous(self) -> AssessmentCycle | None:
        return (
            AssessmentCycle.objects.filter(agreement=self.agreement, opens_on__lt=self.opens_on)
            .order_by("-opens_on")
            .first()
        )


class Category(models.Model):
    """One issue on the county's list that returns are mapped onto, e.g. Domestic Abuse."""

    cycle = models.ForeignKey(AssessmentCycle, on_delete=models.CASCADE, related_name="categories")
    key = models.SlugField(max_length=60, help_text="Stays the same from cycle to cycle.")
    name = models.CharField(max_length=150)
    includes = models.CharField(max_length=300, blank=True, help_text="Printed in brackets after the name.")
    synonyms = models.TextField(blank=True, help_text="Other wordings CSPs use, one a line.")
    order = models.PositiveSmallIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["cycle", "order", "name"]
        verbose_name_plural = "categories"
        constraints = [models.UniqueConstraint(fields=["cycle", "key"], name="unique_category_key")]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return f"{self.name} ({self.includes})" if self.includes else self.name


class AssessmentReturn(RevisionedModel):
    """One partnership's strategic assessment outcome for one cycle."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted"
        RETURNED = "returned", "Returned for amendment"
        ACCEPTED = "accepted", "Accepted"

    class LocalSignoff(models.TextChoices):
        PROVISIONAL = "provisional", "Provisional, awaiting local sign-off"
        AGREED = "agreed", "Agreed by the local CSP"

    cycle = models.ForeignKey(AssessmentCycle, on_delete=models.PROTECT, related_name="returns")
    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="returns")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    local_signoff = models.CharField(max_length=20, choices=LocalSignoff.choices, default=LocalSignoff.PROVISIONAL)
    signoff_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    signoff_confirmed_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    returned_reason = models.TextField(blank=True, max_length=2000)
    description = models.CharField(max_length=300, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["cycle", "partnership__name"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "partnership"], name="one_return_per_partnership_per_cycle")
        ]

    def __str__(self) -> str:
        return f"{self.partnership} {self.cycle.label}"

    @property
    def is_provisional(self) -> bool:
        return self.local_signoff == self.LocalSignoff.PROVISIONAL

    @property
    def is_late(self) -> bool:
        if self.submitted_at:
            return timezone.localdate(self.submitted_at) > self.cycle.due_on
        return timezone.localdate() > self.cycle.due_on and self.status in (self.Status.DRAFT, self.Status.RETURNED)

    @property
    def officer_can_edit(self) -> bool:
        return self.status in (self.Status.DRAFT, self.Status.RETURNED)


class ReturnItem(models.Model):
    class Kind(models.TextChoices):
        MAIN = "main", "Main priority"
        CROSS_CUTTING = "cross_cutting", "Cross-cutting theme or subsidiary priority"
        WITHIN_THEME = "within_theme", "Issue within a broader theme"

    assessment_return = models.ForeignKey(AssessmentReturn, on_delete=models.CASCADE, related_name="items")
    category = models.ForeignKey(Category, null=True, blank=True, on_delete=models.PROTECT, related_name="items")
    own_wording = models.CharField(max_length=200, blank=True)
    kind = models.CharField("class", max_length=20, choices=Kind.choices)
    note = models.CharField(max_length=500, blank=True)
    order = models.PositiveSmallIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["assessment_return", "order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment_return", "category"], name="category_once_per_return"
            )
        ]

    def __str__(self) -> str:
        return self.own_wording or (self.category.name if self.category else "")


class MorileScore(models.Model):
    """A MoRiLE (Management of Risk in Law Enforcement) scoring of one issue in a return.

    The published scales are not reliably public, so each dimension is stored as scored, with the
    scheme's name and version, and the rank is computed by one configurable function.
    """

    class Confidence(models.TextChoices):
        LOW = "low", "Low"
        MEDIUM = "medium", "Medium"
        HIGH = "high", "High"

    assessment_return = models.ForeignKey(AssessmentReturn, on_delete=models.CASCADE, related_name="morile_scores")
    issue = models.CharField(max_length=200)
    harm = models.DecimalField(max_digits=6, decimal_places=2, validators=[MinValueValidator(0), MaxValueValidator(1000)])
    likelihood = models.DecimalField(max_digits=6, decimal_places=2, validators=[MinValueValidator(0), MaxValueValidator(1000)])
    organisational_position = models.DecimalField(
        max_digits=6, decimal_places=2, validators=[MinValueValidator(0), MaxValueValidator(1000)]
    )
    confidence = models.CharField(max_length=10, choices=Confidence.choices, default=Confidence.MEDIUM)
    scheme_name = models.CharField(max_length=100, default="MoRiLE")
    scheme_version = models.CharField(max_length=20, default="1")
    history = HistoricalRecords()

    class Meta:
        ordering = ["assessment_return", "issue"]
        verbose_name = "MoRiLE score"

    def __str__(self) -> str:
        return self.issue
