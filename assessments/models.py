"""Districts, their Community Safety Partnerships, and the strategic assessment returns they send."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from agreements.fields import OneLineField
from agreements.models import Agreement, RevisionedModel, StaleEdit, Version, WrittenOnce

from .morile import rank_score
from .notify import send_reminder, send_returned_for_amendment


class ReturnRefused(Exception):
    """The return is not in a state that allows this change; nothing was saved."""


class ReturnKept(ReturnRefused):
    """The return is accepted, or fed a published edition: what it said is kept as it was, and a
    correction is a new record (ReturnCorrection)."""


class District(models.Model):
    agreement_path = "agreement"

    slug = models.SlugField(max_length=60, help_text="Unique within its agreement.")
    name = OneLineField(max_length=100)
    former_name = OneLineField(max_length=100, blank=True, help_text="e.g. Shepway for Folkestone and Hythe.")
    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, related_name="districts")
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["agreement", "slug"], name="unique_district_slug")]

    def __str__(self) -> str:
        return self.name


class PartnershipQuerySet(models.QuerySet):
    def active_in(self, year: int) -> PartnershipQuerySet:
        """The partnerships that existed in this year, by the spans of years KCST entered."""
        return self.filter(
            Q(active_from__isnull=True) | Q(active_from__lte=year), Q(active_to__isnull=True) | Q(active_to__gte=year)
        )


class Partnership(models.Model):
    """A Community Safety Partnership (CSP), covering one or more districts over a span of years."""

    agreement_path = "agreement"

    slug = models.SlugField(max_length=60, help_text="Unique within its agreement.")
    name = OneLineField(max_length=150)
    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, related_name="partnerships")
    districts = models.ManyToManyField(District, related_name="partnerships")
    active_from = models.PositiveSmallIntegerField(
        null=True, blank=True,
        help_text="The first cycle it sent a return for, as the cycle's first year (2018 for 2018-19); "
                  "blank if it always has. For a split or merge, the year the new partnership began.",
    )
    active_to = models.PositiveSmallIntegerField(
        null=True, blank=True,
        help_text="The last cycle it sent a return for, as the cycle's first year (2017 for 2017-18); "
                  "blank while it exists. For a split or merge, the last year before it.",
    )
    email = models.EmailField(blank=True, help_text="Where reminders and messages about its return go.")
    history = HistoricalRecords()

    objects = PartnershipQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["agreement", "slug"], name="unique_partnership_slug")]

    def __str__(self) -> str:
        return self.name

    @property
    def short_name(self) -> str:
        """The name without the words every partnership shares, for narrow table headings."""
        return shortened(self.name)

    def name_in(self, year: int) -> str:
        """The name it had in the cycle starting in `year`: a former name up to its last year, then today's.

        Reads `former_names` through `.all()`, so a list prefetches them once for every partnership.
        """
        return next((former.name for former in self.former_names.all() if year <= former.until), self.name)

    def name_then_and_now(self, year: int, short: bool = False) -> str:
        """The name it had that year, with today's beside it where it differs: "Shepway (now Folkestone and Hythe)"."""
        then, now = self.name_in(year), self.name
        if short:
            then, now = shortened(then), shortened(now)
        return then if then == now else f"{then} (now {now})"


def shortened(name: str) -> str:
    return name.removesuffix(" Community Safety Partnership")


class PartnershipName(models.Model):
    """A name a partnership had before, and the last cycle it had it in: a rename keeps the partnership.

    Today's name is the partnership's own; its periods of names follow one another, so the year a
    name ended is all there is to store.
    """

    agreement_path = "partnership__agreement"

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="former_names")
    name = OneLineField(max_length=150)
    until = models.PositiveSmallIntegerField(
        help_text="The last cycle it had this name in, as the cycle's first year (2017 for 2017-18).",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["partnership", "until"]
        verbose_name = "former name"
        constraints = [
            models.UniqueConstraint(fields=["partnership", "until"], name="one_former_name_per_partnership_year")
        ]

    def __str__(self) -> str:
        return f"{self.name} (until {self.until}-{(self.until + 1) % 100:02d})"


class PartnershipOfficer(models.Model):
    """Links a district officer's log-in to the one partnership whose return they submit."""

    agreement_path = "partnership__agreement"

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="partnership_officer")
    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="officers")
    can_confirm_local_signoff = models.BooleanField(
        default=False, help_text="May record that the local CSP has agreed the return."
    )
    history = HistoricalRecords()

    def __str__(self) -> str:
        return f"{self.user} ({self.partnership})"


def cycle_is_open(today: datetime.date | None = None, path: str = "") -> Q:
    """Cycles officers can see: opened, and not yet closed by KCST; `path` leads to the cycle."""
    today = today or timezone.localdate()
    return Q(**{f"{path}opens_on__lte": today}) & (
        Q(**{f"{path}closed_on__isnull": True}) | Q(**{f"{path}closed_on__gt": today})
    )


class AssessmentCycleQuerySet(models.QuerySet):
    def open(self, today: datetime.date | None = None) -> AssessmentCycleQuerySet:
        return self.filter(cycle_is_open(today))


class AssessmentCycle(models.Model):
    """One year's round of strategic assessments, e.g. 2024-25, feeding one agreement version."""

    agreement_path = "agreement"

    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, related_name="cycles")
    label = OneLineField(max_length=20, help_text="e.g. 2024-25")
    version = models.ForeignKey(
        Version, null=True, blank=True, on_delete=models.SET_NULL, related_name="cycles",
        help_text="The agreement version whose Appendix A this cycle feeds.",
    )
    opens_on = models.DateField()
    due_on = models.DateField()
    description = OneLineField(max_length=300, blank=True)
    other_focus_areas = models.TextField(blank=True, max_length=4000, help_text="Printed under the Appendix A table.")
    closed_on = models.DateField(
        null=True, blank=True,
        help_text="From this day officers no longer see the cycle's returns in the portal.",
    )
    recorded_history = models.BooleanField(
        default=False,
        help_text="Entered after the fact from the year's records: no return is late and no reminders are sent.",
    )
    history = HistoricalRecords()

    objects = AssessmentCycleQuerySet.as_manager()

    class Meta:
        ordering = ["agreement", "-opens_on"]
        constraints = [models.UniqueConstraint(fields=["agreement", "label"], name="unique_cycle_label")]

    def __str__(self) -> str:
        return f"{self.agreement.area} {self.label} ({self.agreement.slug})"

    def clean(self) -> None:
        if self.version_id and self.agreement_id and self.version.agreement_id != self.agreement_id:
            raise ValidationError({"version": "Choose a version of this cycle's own agreement"})

    @property
    def year(self) -> int:
        """The year the cycle starts in (2016 for 2016-17), which partnerships' spans of years are read against."""
        start = self.label[:4]
        return int(start) if start.isdigit() else self.opens_on.year

    @property
    def is_open(self) -> bool:
        today = timezone.localdate()
        return self.opens_on <= today and (self.closed_on is None or self.closed_on > today)

    def previous(self) -> AssessmentCycle | None:
        return (
            AssessmentCycle.objects.filter(agreement=self.agreement, opens_on__lt=self.opens_on)
            .order_by("-opens_on")
            .first()
        )


class Category(models.Model):
    """One issue on the county's list that returns are mapped onto, e.g. Domestic Abuse."""

    agreement_path = "cycle__agreement"

    cycle = models.ForeignKey(AssessmentCycle, on_delete=models.CASCADE, related_name="categories")
    key = models.SlugField(max_length=60, help_text="Stays the same from cycle to cycle.")
    name = OneLineField(max_length=150)
    includes = OneLineField(max_length=300, blank=True, help_text="Printed in brackets after the name.")
    synonyms = models.TextField(blank=True, max_length=4000, help_text="Other wordings CSPs use, one a line.")
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


def kept_reason(return_id: int) -> str | None:
    """Why the return's issues, scores and events can no longer change, or None while they can."""
    kept = (AssessmentReturn._base_manager.select_related("partnership", "cycle__version__agreement")
            .filter(pk=return_id).first())
    if kept is None:
        return None
    edition = kept.cycle.version
    if edition is not None and edition.is_published:
        return (f"The return of {kept} fed the published edition {edition}: it is kept as it was. "
                "KCST enters a correction on its review page instead.")
    if kept.status == AssessmentReturn.Status.ACCEPTED:
        return (f"The return of {kept} is accepted: its issues, MoRiLE scores and events are kept as "
                "accepted. KCST enters a correction on its review page instead.")
    return None


def kept_returns() -> Q:
    """Returns whose parts are kept: accepted, or in a cycle that fed a published edition."""
    return Q(status=AssessmentReturn.Status.ACCEPTED) | Q(cycle__version__status=Version.Status.PUBLISHED)


class KeptQuerySet(models.QuerySet):
    """A bulk update goes through the same rule as a save: refused for a kept return or its parts
    (deletes are refused by assessments.keeping, which sees each row, cascades included)."""

    return_path = "assessment_return"

    def update(self, **kwargs):
        returns = AssessmentReturn._base_manager.filter(pk__in=self.values(self.return_path))
        if (kept := returns.filter(kept_returns()).values_list("pk", flat=True).first()) is not None:
            raise ReturnKept(kept_reason(kept))
        return super().update(**kwargs)


class AssessmentReturnQuerySet(KeptQuerySet):
    return_path = "pk"

    def for_officer(self, user) -> AssessmentReturnQuerySet:
        """The returns an officer may see: their own partnership's, in cycles that are open."""
        if not user.is_authenticated:
            return self.none()
        # On the cycle's own join, not a subquery: PostgreSQL plans it in a quarter of the time.
        return self.filter(cycle_is_open(path="cycle__"), partnership__officers__user=user)

    def awaiting_submission(self) -> AssessmentReturnQuerySet:
        return self.filter(status__in=AssessmentReturn.EDITABLE)


class AssessmentReturn(RevisionedModel):
    """One partnership's strategic assessment outcome for one cycle.

    Everything an officer changes, the items and MoRiLE scores included, goes through `editing()`,
    which bumps the return's revision: one counter tells a stale page from a current one.
    """

    agreement_path = "cycle__agreement"

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
    description = OneLineField(max_length=300, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    objects = AssessmentReturnQuerySet.as_manager()

    EDITABLE = (Status.DRAFT, Status.RETURNED)

    class Meta:
        ordering = ["cycle", "partnership__name"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "partnership"], name="one_return_per_partnership_per_cycle")
        ]

    def __str__(self) -> str:
        return f"{self.partnership} {self.cycle.label}"

    @property
    def partnership_name(self) -> str:
        """The partnership as it was called in the return's cycle, with today's name where it differs."""
        return self.partnership.name_then_and_now(self.cycle.year)

    @property
    def is_provisional(self) -> bool:
        return self.local_signoff == self.LocalSignoff.PROVISIONAL

    @property
    def is_late(self) -> bool:
        if self.cycle.recorded_history:
            return False
        if self.submitted_at:
            return timezone.localdate(self.submitted_at) > self.cycle.due_on
        return timezone.localdate() > self.cycle.due_on and self.status in self.EDITABLE

    @property
    def officer_can_edit(self) -> bool:
        return self.status in self.EDITABLE

    @property
    def is_agreed(self) -> bool:
        return self.local_signoff == self.LocalSignoff.AGREED

    def may_confirm_signoff(self, user) -> bool:
        """Only an officer the partnership trusts with it may record the local CSP's agreement."""
        return PartnershipOfficer.objects.filter(
            user=user, partnership_id=self.partnership_id, can_confirm_local_signoff=True
        ).exists()

    @contextmanager
    def _locked(self, revision: int | None, allowed: tuple[str, ...], doing: str) -> Iterator[None]:
        """Holds the row while a change is made, refusing a stale copy or a change not allowed now."""
        with transaction.atomic():
            locked = AssessmentReturn.objects.select_for_update().only("revision", "status").get(pk=self.pk)
            if locked.revision != self.revision or (revision is not None and revision != self.revision):
                raise StaleEdit(self)
            if locked.status not in allowed:
                raise ReturnRefused(
                    f"The return is {locked.get_status_display().lower()}, so it cannot be {doing} now."
                )
            yield

    @contextmanager
    def editing(self, revision: int | None) -> Iterator[None]:
        """Wraps an officer's change to the return or its parts: refused after submission or if stale."""
        with self._locked(revision, self.EDITABLE, "changed"):
            self.save(update_fields=["updated_at"])
            yield

    def save_part(self, part: ReturnItem | MorileScore, revision: int | None) -> None:
        with self.editing(revision):
            if isinstance(part, ReturnItem) and part._state.adding:
                last = self.items.order_by("-order").values_list("order", flat=True).first()
                part.order = 0 if last is None else last + 1
            part.save()

    def remove_part(self, part: ReturnItem | MorileScore, revision: int | None) -> None:
        with self.editing(revision):
            part.delete()

    def restore_item(self, item_id: int, revision: int | None) -> ReturnItem:
        """Puts back an issue removed from this return, as it was when removed (its place included)."""
        with self.editing(revision):
            removed = ReturnItem.history.filter(id=item_id, assessment_return_id=self.pk).order_by("-history_id").first()
            if removed is None or removed.history_type != "-":
                raise ReturnRefused("That issue is not a removed issue of this return: nothing was changed.")
            item = removed.instance
            if item.category_id and self.items.filter(category_id=item.category_id).exists():
                raise ReturnRefused(f"{item.category.name} is in the return again: change that issue instead.")
            item.save(force_insert=True)
        return item

    def move_item(self, item: ReturnItem, step: int, revision: int | None) -> None:
        """Moves an item one place up (-1) or down (+1), renumbering so the order has no ties."""
        with self.editing(revision):
            items = list(self.items.all())
            at = next(i for i, other in enumerate(items) if other.pk == item.pk)
            to = at + step
            if 0 <= to < len(items):
                items[at], items[to] = items[to], items[at]
            for order, other in enumerate(items):
                if other.order != order:
                    other.order = order
                    other.save(update_fields=["order"])

    @property
    def signoff_can_change(self) -> bool:
        """While editable either way; after submission only to confirm, as the CSP often agrees later."""
        return self.officer_can_edit or self.is_provisional

    def last_years(self) -> AssessmentReturn | None:
        """The partnership's return in the cycle before this one, if it had one."""
        return AssessmentReturn.objects.filter(
            partnership_id=self.partnership_id, cycle__agreement_id=self.cycle.agreement_id,
            cycle__opens_on__lt=self.cycle.opens_on,
        ).select_related("cycle", "partnership").order_by("-cycle__opens_on").first()

    def start_from(self, earlier: AssessmentReturn, revision: int | None) -> None:
        """Copies an earlier return's issues into this empty one, for the officer to edit.

        Categories are matched by key, as keys stay the same from cycle to cycle; an issue whose
        category this cycle no longer has keeps its name as the officer's own wording.
        """
        categories = {category.key: category for category in self.cycle.categories.all()}
        with self.editing(revision):
            if self.items.exists():
                raise ReturnRefused("The return already has issues: change them instead of starting again.")
            for order, item in enumerate(earlier.items.select_related("category")):
                category = categories.get(item.category.key) if item.category else None
                own_wording = item.own_wording or ("" if category else str(item))
                ReturnItem(assessment_return=self, category=category, own_wording=own_wording, kind=item.kind,
                           note=item.note, order=order).save()

    def set_local_signoff(self, value: str, by, revision: int | None) -> None:
        """Records who confirmed "agreed by the local CSP" and when, as an event KCST reads; provisional
        clears both, and only while the return is editable."""
        allowed = tuple(self.Status) if value == self.LocalSignoff.AGREED else self.EDITABLE
        with self._locked(revision, allowed, "changed"):
            if value == self.local_signoff:
                return
            if value == self.LocalSignoff.AGREED:
                if not self.may_confirm_signoff(by):
                    raise ReturnRefused(
                        "Only an officer who may confirm the local CSP's sign-off can mark the return agreed."
                    )
                self.signoff_confirmed_by, self.signoff_confirmed_at = by, timezone.now()
            else:
                self.signoff_confirmed_by, self.signoff_confirmed_at = None, None
            self.local_signoff = value
            self.save(update_fields=["local_signoff", "signoff_confirmed_by", "signoff_confirmed_at", "updated_at"])
            if self.is_agreed:
                self.events.create(action=ReturnEvent.Action.SIGNED_OFF, by=by)

    def submit(self, by, revision: int | None = None) -> None:
        with self._locked(revision, self.EDITABLE, "submitted"):
            if not self.items.exists():
                raise ReturnRefused("Add at least one issue before you submit the return.")
            self.status = self.Status.SUBMITTED
            self.submitted_by, self.submitted_at = by, timezone.now()
            self.save(update_fields=["status", "submitted_by", "submitted_at", "updated_at"])
            self.events.create(
                action=ReturnEvent.Action.SUBMITTED, by=by,
                note=f"After the due date ({self.cycle.due_on:%-d %B %Y})." if self.is_late else "",
            )

    def return_for_amendment(self, by, reason: str, revision: int | None = None) -> int:
        """Sends the return back with the reason; returns how many addresses the reason was e-mailed to."""
        reason = reason.strip()
        if not reason:
            raise ReturnRefused("Give the reason the return needs amending: the officer will see it.")
        with self._locked(revision, (self.Status.SUBMITTED, self.Status.ACCEPTED), "returned for amendment"):
            if self.cycle.version is not None and self.cycle.version.is_published:
                raise ReturnKept(kept_reason(self.pk))
            if self.corrections.exists():
                # Its corrections would count in place of what the officer sends again.
                raise ReturnKept(f"The return of {self} has been corrected by KCST: correct it again instead.")
            self.status = self.Status.RETURNED
            self.returned_reason = reason
            self.save(update_fields=["status", "returned_reason", "updated_at"])
            self.events.create(action=ReturnEvent.Action.RETURNED, by=by, note=reason)
        # Only once the change is saved: a refused or failed change must not tell the officer anything.
        return send_returned_for_amendment(self)

    def remind(self, by) -> int:
        """E-mails the partnership's officers that the return is late, and records that KCST did;
        returns how many addresses it went to."""
        if not (self.officer_can_edit and self.is_late):
            raise ReturnRefused("Only a late return that has not been submitted can be reminded.")
        sent = send_reminder(self, days=0)
        self.events.create(
            action=ReturnEvent.Action.REMINDED, by=by,
            note=f"E-mailed to {sent} address(es)." if sent else "Not sent: the partnership has no e-mail address.",
        )
        return sent

    def accept(self, by, revision: int | None = None) -> None:
        with self._locked(revision, (self.Status.SUBMITTED,), "accepted"):
            self.status = self.Status.ACCEPTED
            self.save(update_fields=["status", "updated_at"])
            self.events.create(action=ReturnEvent.Action.ACCEPTED, by=by)


class ReturnEvent(models.Model):
    """One step of a return's route: submitted, returned with a reason, accepted or imported.

    Rows are only ever added, so every reason KCST gave stays readable after the next submission.
    """

    agreement_path = "assessment_return__cycle__agreement"

    class Action(models.TextChoices):
        SUBMITTED = "submitted", "Submitted"
        RETURNED = "returned", "Returned for amendment"
        ACCEPTED = "accepted", "Accepted"
        SIGNED_OFF = "signed_off", "Local sign-off confirmed"
        REMINDED = "reminded", "Reminded that it is late"
        IMPORTED = "imported", "Imported from a file"

    assessment_return = models.ForeignKey(AssessmentReturn, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=20, choices=Action.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    note = models.TextField(blank=True, max_length=2000)

    objects = KeptQuerySet.as_manager()

    class Meta:
        ordering = ["assessment_return", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.at:%Y-%m-%d %H:%M}"


class ReturnItem(models.Model):
    agreement_path = "assessment_return__cycle__agreement"

    class Kind(models.TextChoices):
        MAIN = "main", "Main priority"
        CROSS_CUTTING = "cross_cutting", "Cross-cutting theme or subsidiary priority"
        WITHIN_THEME = "within_theme", "Issue within a broader theme"

    assessment_return = models.ForeignKey(AssessmentReturn, on_delete=models.CASCADE, related_name="items")
    category = models.ForeignKey(Category, null=True, blank=True, on_delete=models.PROTECT, related_name="items")
    own_wording = OneLineField(max_length=200, blank=True)
    kind = models.CharField("class", max_length=20, choices=Kind.choices)
    note = OneLineField(max_length=500, blank=True)
    order = models.PositiveSmallIntegerField(default=0)
    history = HistoricalRecords()

    objects = KeptQuerySet.as_manager()

    class Meta:
        ordering = ["assessment_return", "order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment_return", "category"], name="category_once_per_return"
            ),
            models.CheckConstraint(
                condition=Q(category__isnull=False) | ~Q(own_wording=""), name="item_names_an_issue"
            ),
        ]

    def __str__(self) -> str:
        return self.own_wording or (self.category.name if self.category else "")

    def clean(self) -> None:
        if self.category_id is None and not self.own_wording.strip():
            raise ValidationError(
                {"category": "Choose a category, or write the issue in your own words"}
            )
        if self.category_id is None:
            return
        if self.category.cycle_id != self.assessment_return.cycle_id:
            raise ValidationError({"category": "Choose a category from this cycle's list"})
        taken = ReturnItem.objects.filter(
            assessment_return_id=self.assessment_return_id, category_id=self.category_id
        ).exclude(pk=self.pk)
        if taken.exists():
            raise ValidationError(
                {"category": f"{self.category.name} is already in this return: change that issue instead"}
            )


class MorileScore(models.Model):
    """A MoRiLE (Management of Risk in Law Enforcement) scoring of one issue in a return.

    The published scales are not reliably public, so each dimension is stored as scored, with the
    scheme's name and version, and the rank is computed by one configurable function.
    """

    agreement_path = "assessment_return__cycle__agreement"

    class Confidence(models.TextChoices):
        LOW = "low", "Low"
        MEDIUM = "medium", "Medium"
        HIGH = "high", "High"

    assessment_return = models.ForeignKey(AssessmentReturn, on_delete=models.CASCADE, related_name="morile_scores")
    issue = OneLineField(max_length=200)
    harm = models.DecimalField(max_digits=6, decimal_places=2, validators=[MinValueValidator(0), MaxValueValidator(1000)])
    likelihood = models.DecimalField(max_digits=6, decimal_places=2, validators=[MinValueValidator(0), MaxValueValidator(1000)])
    organisational_position = models.DecimalField(
        max_digits=6, decimal_places=2, validators=[MinValueValidator(0), MaxValueValidator(1000)]
    )
    confidence = models.CharField(max_length=10, choices=Confidence.choices, default=Confidence.MEDIUM)
    scheme_name = OneLineField(max_length=100, default="MoRiLE")
    scheme_version = OneLineField(max_length=20, default="1")
    history = HistoricalRecords()

    objects = KeptQuerySet.as_manager()

    class Meta:
        ordering = ["assessment_return", "issue"]
        verbose_name = "MoRiLE score"

    def __str__(self) -> str:
        return self.issue

    @property
    def rank_score(self) -> Decimal:
        return rank_score(self)


class KeptAsWritten(WrittenOnce):
    """A correction, or one of its issues: never changed or deleted (deletes in bulk are refused by
    assessments.keeping)."""

    refusal = ReturnKept

    class Meta:
        abstract = True

    def kept_message(self) -> str:
        return f"{self._meta.verbose_name.capitalize()} '{self}' is kept as written: enter another correction instead."

    @classmethod
    def kept_in_bulk_message(cls) -> str:
        return "Corrections are kept as written: enter another correction instead."


class ReturnCorrection(KeptAsWritten):
    """KCST's correction of an accepted return, made after acceptance (often after publication).

    The return and its issues stay as accepted; the correction holds the return's whole list of
    issues as corrected (`CorrectedIssue`), with what it changed and why. The newest correction is
    what Appendix A and the matrix count from then on, in drafts and on KCST's pages; a published
    edition keeps what its snapshot stored.
    """

    agreement_path = "assessment_return__cycle__agreement"

    assessment_return = models.ForeignKey(AssessmentReturn, on_delete=models.PROTECT, related_name="corrections")
    corrects = OneLineField(max_length=500, help_text="What the correction changes, as the return had it and as corrected.")
    reason = models.TextField(max_length=2000)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["assessment_return", "at", "pk"]

    def __str__(self) -> str:
        return f"Correction of {self.assessment_return}, {self.at:%Y-%m-%d %H:%M}"


class CorrectedIssue(KeptAsWritten):
    """One issue of a return as a correction has it: the same fields as the return's own issues."""

    agreement_path = "correction__assessment_return__cycle__agreement"

    # Deleting a correction is refused (assessments.keeping); CASCADE lets that refusal name it.
    correction = models.ForeignKey(ReturnCorrection, on_delete=models.CASCADE, related_name="issues")
    category = models.ForeignKey(Category, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    own_wording = OneLineField(max_length=200, blank=True)
    kind = models.CharField("class", max_length=20, choices=ReturnItem.Kind.choices)
    note = OneLineField(max_length=500, blank=True)
    order = models.PositiveSmallIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["correction", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["correction", "category"], name="category_once_per_correction"),
            models.CheckConstraint(
                condition=Q(category__isnull=False) | ~Q(own_wording=""), name="corrected_issue_names_an_issue"
            ),
        ]

    def __str__(self) -> str:
        return self.own_wording or (self.category.name if self.category else "")


# What an officer's return page and a cycle's dashboard are built from: their cached parts are kept
# under the stamp of these (agreements.stamps).
RETURN_SOURCES = (AssessmentCycle, Partnership, PartnershipName, AssessmentReturn, ReturnItem, MorileScore, Category,
                  ReturnCorrection, CorrectedIssue)
