"""The action plan the agreement is delivered through, its leads' updates, meetings and indicators.

Actions are delivered while their edition is in force, so unlike the document's text
(agreements.EditionContent) they stay editable after the edition is published.
"""

from __future__ import annotations

import datetime
import operator
from functools import reduce

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Exists, OuterRef, Q
from simple_history.models import HistoricalRecords

from agreements.models import Agreement, CrossCuttingTheme, Priority, RevisionedModel, Version, new_key
from agreements.roles import KCST_STAFF, agreements_of


class UpdateReviewed(Exception):
    """An update the Working Group has reviewed at a meeting is never changed; a new update corrects it."""


class LeadAssignment(models.Model):
    """A priority lead: a person reporting on one priority of one agreement.

    Tied to the priority's key, so the assignment carries across editions with the priority.
    """

    agreement_path = "agreement"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="lead_assignments")
    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="lead_assignments")
    priority_key = models.SlugField(max_length=60, help_text="The key of the priority the person leads.")
    history = HistoricalRecords()

    class Meta:
        ordering = ["agreement", "priority_key", "user"]
        verbose_name = "priority lead"
        constraints = [
            models.UniqueConstraint(fields=["user", "agreement", "priority_key"], name="one_assignment_per_priority")
        ]

    def __str__(self) -> str:
        return f"{self.user}: lead for {self.priority_key}, {self.agreement}"

    @staticmethod
    def priorities_led_by(user) -> frozenset[tuple[int, str]]:
        """(agreement id, priority key) of each priority the user leads.

        One query per user object, however often a page asks: the navigation and the lead's lists
        of actions and indicators read the same pairs.
        """
        if not user.is_authenticated:
            return frozenset()
        if not hasattr(user, "_priorities_led"):
            pairs = LeadAssignment.objects.filter(user=user).order_by().values_list("agreement_id", "priority_key")
            user._priorities_led = frozenset(pairs)
        return user._priorities_led

    @staticmethod
    def leads(user) -> bool:
        return bool(LeadAssignment.priorities_led_by(user))


def _led_by(user, agreement_path: str, key_path: str) -> Q:
    """The records of the priorities the user leads, by their agreement and priority key: the pairs are
    read once, and a filter on them costs less to build than a subquery joined to each record."""
    pairs = sorted(LeadAssignment.priorities_led_by(user))
    led = (Q(**{agreement_path: agreement, key_path: key}) for agreement, key in pairs)
    return reduce(operator.or_, led, Q(pk__in=[]))  # no pair: nothing


def _kcst_or_lead(queryset, user, agreement_path: str):
    kcst_of = agreements_of(user, KCST_STAFF)
    if kcst_of is None:
        return queryset
    return queryset.filter(pk__in=queryset.led_by(user).values("pk")) | queryset.filter(
        **{f"{agreement_path}__in": kcst_of}
    )


class ActionQuerySet(models.QuerySet):
    def led_by(self, user) -> ActionQuerySet:
        """The actions of the priorities the user leads; none for anyone else."""
        return self.filter(_led_by(user, "edition__agreement_id", "priority__key"))

    def reachable_by(self, user) -> ActionQuerySet:
        """KCST staff reach the actions of their agreements; a priority lead those of their
        priorities; anyone else none."""
        return _kcst_or_lead(self, user, "edition__agreement")

    def open(self) -> ActionQuerySet:
        return self.exclude(status__in=Action.CLOSED)

    def without_update_since(self, day: datetime.date) -> ActionQuerySet:
        return self.exclude(Exists(ActionUpdate.objects.filter(action=OuterRef("pk"), date__gte=day)))


class Action(RevisionedModel):
    class Status(models.TextChoices):
        NOT_STARTED = "not_started", "Not started"
        ON_TARGET = "on_target", "On target"
        LAGGING = "lagging", "Lagging"
        INSUFFICIENT = "insufficient", "Insufficient progress"
        COMPLETE = "complete", "Complete"
        WITHDRAWN = "withdrawn", "Withdrawn"

    CLOSED = (Status.COMPLETE, Status.WITHDRAWN)
    NEEDS_REASON = (Status.LAGGING, Status.INSUFFICIENT)
    agreement_path = "edition__agreement"

    edition = models.ForeignKey(Version, on_delete=models.CASCADE, related_name="actions")
    priority = models.ForeignKey(Priority, null=True, blank=True, on_delete=models.PROTECT, related_name="actions")
    theme = models.ForeignKey(
        CrossCuttingTheme, null=True, blank=True, on_delete=models.PROTECT, related_name="actions",
        verbose_name="cross-cutting theme",
    )
    key = models.SlugField(max_length=60, blank=True, help_text="Stays the same when the action is carried forward.")
    carried_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False,
    )
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True, max_length=4000)
    owner_organisation = models.CharField(max_length=200)
    responsible_lead = models.CharField(max_length=200, help_text="The person responsible for the action.")
    start_date = models.DateField()
    due_date = models.DateField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.NOT_STARTED)
    status_reason = models.CharField(
        "reason", max_length=300, blank=True, help_text="Required when the action is lagging or has insufficient progress.",
    )
    history = HistoricalRecords()

    objects = ActionQuerySet.as_manager()

    class Meta:
        ordering = ["edition", "priority__order", "theme__order", "due_date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(priority__isnull=False, theme__isnull=True) | Q(priority__isnull=True, theme__isnull=False),
                name="action_in_one_priority_or_theme",
            ),
            models.UniqueConstraint(fields=["edition", "key"], name="unique_action_key"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def heading(self):
        return self.priority or self.theme

    def is_overdue(self, today: datetime.date | None = None) -> bool:
        return self.status not in self.CLOSED and self.due_date < (today or datetime.date.today())

    def clean(self):
        errors = {}
        if (self.priority_id is None) == (self.theme_id is None):
            errors["priority"] = "Choose a priority or a cross-cutting theme, not both."
        for field in ("priority", "theme"):
            item = getattr(self, field)
            if item is not None and self.edition_id and item.version_id != self.edition_id:
                errors[field] = f"The {item._meta.verbose_name} must be one of this edition's."
        if self.start_date and self.due_date and self.due_date < self.start_date:
            errors["due_date"] = "The due date must be on or after the start date."
        errors.update(status_reason_errors(self.status, self.status_reason))
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        if not self.key:
            self.key = new_key(self.title)
        return super().save(*args, **kwargs)

    @transaction.atomic
    def post_update(self, update: ActionUpdate) -> ActionUpdate:
        """Records the update; the action takes the status its latest update (by date) reports, so a
        late entry or a corrected earlier update does not turn the clock back."""
        update.action = self
        update.save()
        if self.updates.order_by("-date", "-pk").first() == update:
            self.status, self.status_reason = update.status, update.status_reason
            self.save(update_fields=["status", "status_reason"])
        return update


def status_reason_errors(status: str, reason: str) -> dict[str, str]:
    if status in Action.NEEDS_REASON and not reason.strip():
        label = Action.Status(status).label.lower()
        return {"status_reason": f"Say briefly why the action is {label}."}
    return {}


class Meeting(models.Model):
    """A Working Group meeting that reviewed the action plan; the updates it reviewed are final."""

    agreement_path = "agreement"

    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, related_name="delivery_meetings")
    date = models.DateField()
    note = models.CharField(max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["agreement", "-date"]
        verbose_name = "Working Group meeting"
        constraints = [models.UniqueConstraint(fields=["agreement", "date"], name="one_meeting_a_day")]

    def __str__(self) -> str:
        return f"Working Group meeting, {self.date:%-d %B %Y}"

    def save(self, *args, **kwargs):
        with transaction.atomic():
            super().save(*args, **kwargs)
            pending = ActionUpdate.objects.filter(
                action__edition__agreement=self.agreement, reviewed_at__isnull=True, date__lte=self.date,
            )
            # One save each, so the history records which meeting reviewed each update.
            for update in pending:
                update.reviewed_at = self
                update.save()


class ActionUpdate(RevisionedModel):
    agreement_path = "action__edition__agreement"

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="updates")
    date = models.DateField(default=datetime.date.today)
    progress = models.TextField("what was done", max_length=4000)
    status = models.CharField("new status", max_length=20, choices=Action.Status.choices)
    status_reason = models.CharField("reason", max_length=300, blank=True)
    posted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    posted_at = models.DateTimeField(auto_now_add=True)
    reviewed_at = models.ForeignKey(
        Meeting, null=True, blank=True, on_delete=models.PROTECT, related_name="updates", editable=False,
    )
    notable = models.BooleanField(default=False, help_text="Proposed for the year's key achievements.")
    history = HistoricalRecords()

    class Meta:
        ordering = ["action", "-date", "-pk"]

    def __str__(self) -> str:
        return f"{self.action}: {self.date:%-d %B %Y}"

    def clean(self):
        errors = status_reason_errors(self.status, self.status_reason)
        if errors:
            raise ValidationError(errors)

    def check_editable(self) -> None:
        if self._state.adding:
            return
        reviewed = ActionUpdate._base_manager.filter(pk=self.pk, reviewed_at__isnull=False)
        meeting = reviewed.values_list("reviewed_at__date", flat=True).first()
        if meeting is not None:
            raise UpdateReviewed(
                f"The Working Group reviewed this update at its meeting of {meeting:%-d %B %Y}, so it cannot "
                "change. Post a new update to correct it."
            )

    def save(self, *args, **kwargs):
        self.check_editable()
        return super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        self.check_editable()
        return super().delete(*args, **kwargs)


class IndicatorQuerySet(models.QuerySet):
    def for_edition(self, version: Version) -> IndicatorQuerySet:
        keys = version.priorities.values("key")
        return self.filter(agreement_id=version.agreement_id, priority_key__in=keys)

    def led_by(self, user) -> IndicatorQuerySet:
        return self.filter(_led_by(user, "agreement_id", "priority_key"))

    def reachable_by(self, user) -> IndicatorQuerySet:
        return _kcst_or_lead(self, user, "agreement")


class Indicator(models.Model):
    """A performance indicator of one priority, kept by the priority's key across editions."""

    class Better(models.TextChoices):
        HIGHER = "higher", "Higher is better"
        LOWER = "lower", "Lower is better"

    agreement_path = "agreement"

    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, related_name="indicators")
    priority_key = models.SlugField(max_length=60, help_text="The key of the priority it represents.")
    name = models.CharField(max_length=200)
    definition = models.TextField(max_length=2000)
    unit = models.CharField(max_length=60, help_text="e.g. offences, per cent, people.")
    better = models.CharField("which direction is better", max_length=10, choices=Better.choices)
    source = models.CharField(max_length=200)
    history = HistoricalRecords()

    objects = IndicatorQuerySet.as_manager()

    class Meta:
        ordering = ["agreement", "priority_key", "name"]
        constraints = [models.UniqueConstraint(fields=["agreement", "name"], name="unique_indicator_name")]

    def __str__(self) -> str:
        return self.name


class IndicatorValue(models.Model):
    class Period(models.TextChoices):
        MONTH = "month", "Month"
        QUARTER = "quarter", "Quarter"
        YEAR = "year", "Year"

    agreement_path = "indicator__agreement"

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="values")
    period = models.CharField(max_length=10, choices=Period.choices)
    period_start = models.DateField(help_text="The first day of the month, quarter or year.")
    value = models.DecimalField(max_digits=12, decimal_places=2)
    history = HistoricalRecords()

    class Meta:
        ordering = ["indicator", "period_start"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "period", "period_start"], name="one_value_per_period")
        ]

    def __str__(self) -> str:
        return f"{self.indicator}: {self.period_label}"

    @property
    def period_label(self) -> str:
        start = self.period_start
        if self.period == self.Period.MONTH:
            return f"{start:%b %Y}"
        if self.period == self.Period.QUARTER:
            return f"Q{(start.month - 1) // 3 + 1} {start.year}"
        return f"{start.year}"

    def clean(self):
        start = self.period_start
        if start and (start.day != 1 or (self.period == self.Period.QUARTER and start.month % 3 != 1)
                      or (self.period == self.Period.YEAR and start.month != 1)):
            raise ValidationError({"period_start": f"Give the first day of the {self.period}."})


def quarter_start(day: datetime.date) -> datetime.date:
    return datetime.date(day.year, (day.month - 1) // 3 * 3 + 1, 1)


class UpdateReminder(models.Model):
    """A reminder e-mailed to a lead by `send_update_reminders`: one a quarter, so cron may run it daily."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    quarter = models.DateField(help_text="The first day of the quarter the reminder was for.")
    actions = models.TextField(help_text="The actions without an update, one a line.")
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-sent_at"]
        constraints = [models.UniqueConstraint(fields=["user", "quarter"], name="one_reminder_a_quarter")]

    def __str__(self) -> str:
        return f"{self.user}, quarter from {self.quarter:%-d %B %Y}"


class DiscardedAchievement(models.Model):
    """A key achievement proposed from delivery that KCST discarded, so it is not proposed again."""

    agreement_path = "version__agreement"

    version = models.ForeignKey(Version, on_delete=models.CASCADE, related_name="+")
    source = models.CharField(max_length=80)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["version", "source"], name="achievement_discarded_once")]

    def __str__(self) -> str:
        return f"{self.version}: {self.source}"
