"""The agreement, its editions (versions) and every part of an edition's content."""

from __future__ import annotations

import re
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.text import slugify
from simple_history.models import HistoricalRecords

from . import images
from .fields import OneLineField
from .sanitise import sanitise_html


class StaleEdit(Exception):
    """Someone else saved the record after this copy of it was read."""

    def __init__(self, instance: models.Model):
        self.instance = instance
        super().__init__(
            f"Someone else changed this {instance._meta.verbose_name} while you were editing it. "
            "Nothing was saved: reload the page to see their changes, then make yours again."
        )


class EditionFrozen(Exception):
    """An edition's content may only change while the edition is a draft."""


class WrittenOnceQuerySet(models.QuerySet):
    """Changes in bulk (update, bulk_update) are refused as a single save is."""

    def update(self, **kwargs):
        raise self.model.refusal(self.model.kept_in_bulk_message())


class WrittenOnce(models.Model):
    """A record that is only ever added: saving it again or deleting it is refused, with the
    record's `kept_message()`, as `refusal`, and so is changing records in bulk. (A queryset's bulk
    delete is refused by a pre_delete receiver where the model needs it; the delete below covers
    one record.)"""

    refusal: type[Exception] = EditionFrozen
    objects = WrittenOnceQuerySet.as_manager()

    class Meta:
        abstract = True

    def kept_message(self) -> str:
        """Why the refusal; a record that can say more (which edition, which return) says it."""
        return f"This {self._meta.verbose_name} is kept as it was written: it cannot be changed or deleted."

    @classmethod
    def kept_in_bulk_message(cls) -> str:
        return f"{cls._meta.verbose_name_plural.capitalize()} are kept as they were written: they cannot be changed."

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise self.refusal(self.kept_message())
        return super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise self.refusal(self.kept_message())


class StatusOutsideWorkflow(Exception):
    """A version's status changes only through agreements.workflow."""


class RevisionedModel(models.Model):
    """Refuses to save a copy that is older than the row in the database.

    The revision counter works on SQLite too, where select_for_update() does nothing.
    """

    revision = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self._state.adding:
            return super().save(*args, **kwargs)
        with transaction.atomic():
            bumped = (
                type(self)
                ._base_manager.filter(pk=self.pk, revision=self.revision)
                .update(revision=F("revision") + 1)
            )
            if not bumped:
                raise StaleEdit(self)
            self.revision += 1
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "revision"}
            return super().save(*args, **kwargs)


MONTHS = [
    (1, "January"), (2, "February"), (3, "March"), (4, "April"), (5, "May"), (6, "June"),
    (7, "July"), (8, "August"), (9, "September"), (10, "October"), (11, "November"), (12, "December"),
]


class AgreementQuerySet(models.QuerySet):
    def update(self, **kwargs):
        # The same rule as Agreement.save: published addresses hold the slug.
        if "slug" in kwargs and self.filter(versions__status=Version.Status.PUBLISHED).exists():
            raise EditionFrozen("An agreement with a published edition keeps its short name: its addresses hold it.")
        return super().update(**kwargs)


class Agreement(models.Model):
    agreement_path = "id"  # see agreements.roles.within

    slug = models.SlugField(max_length=40, unique=True, help_text="Short name used in commands and URLs, e.g. kent.")
    name = OneLineField(max_length=200)
    area = OneLineField(max_length=100, help_text="The county or area the agreement covers.")
    contact_html = models.TextField(
        blank=True, max_length=4000, help_text="Contact details printed on the last page."
    )

    class ParagraphNumbers(models.TextChoices):
        PLAIN = "plain", "1.1"
        DOTTED = "dotted", "1.1."

    paragraph_numbers = models.CharField(
        max_length=10, choices=ParagraphNumbers.choices, default=ParagraphNumbers.PLAIN,
        help_text="How paragraph numbers are printed, as in the agreement's own documents.",
    )
    chapters_on_right = models.BooleanField(
        "chapters start on a right-hand page", default=False,
        help_text="For two-sided printing: a page left empty before a chapter says it is intentionally blank.",
    )
    period_start_month = models.PositiveSmallIntegerField("period from (month)", choices=MONTHS, null=True, blank=True)
    period_start_year = models.PositiveSmallIntegerField("period from (year)", null=True, blank=True)
    period_end_month = models.PositiveSmallIntegerField("period to (month)", choices=MONTHS, null=True, blank=True)
    period_end_year = models.PositiveSmallIntegerField(
        "period to (year)", null=True, blank=True,
        help_text="A fixed-term agreement's period, printed on the cover (e.g. April 2011 to March 2014). "
                  "Leave all four empty for a rolling agreement.",
    )
    history = HistoricalRecords()
    objects = AgreementQuerySet.as_manager()

    class Meta:
        ordering = ["name", "slug"]

    def __str__(self) -> str:
        # Two agreements may share a name (a past three-year agreement and the rolling one): the
        # slug, unique and shown in their addresses, tells them apart wherever they are listed.
        return f"{self.name} ({self.slug})"

    PERIOD_FIELDS = ("period_start_month", "period_start_year", "period_end_month", "period_end_year")

    def has_published(self) -> bool:
        return self.versions.filter(status=Version.Status.PUBLISHED).exists()

    def save(self, *args, **kwargs):
        # A published edition's address is cited in e-mails and minutes, and its stored page is
        # kept under it (documents/public_pages.py): another agreement must never take it over.
        stored = None if self._state.adding else (
            Agreement._base_manager.filter(pk=self.pk).values_list("slug", flat=True).first())
        if stored is not None and stored != self.slug and self.has_published():
            raise EditionFrozen(
                f"The short name '{stored}' is in the addresses of {self.name}'s published editions, "
                "so it cannot change."
            )
        return super().save(*args, **kwargs)

    @property
    def period(self) -> str:
        """The agreement's period as the cover prints it, or "" for a rolling agreement."""
        if self.period_start_year is None:
            return ""
        return (f"{self.get_period_start_month_display()} {self.period_start_year} to "
                f"{self.get_period_end_month_display()} {self.period_end_year}")

    def clean(self):
        ends = tuple(getattr(self, name) for name in self.PERIOD_FIELDS)
        if any(part is None for part in ends) and any(part is not None for part in ends):
            raise ValidationError({"period_end_year": "Give the period's first and last month and year, or none of them."})
        if None not in ends and (self.period_end_year, self.period_end_month) <= (
                self.period_start_year, self.period_start_month):
            raise ValidationError({"period_end_year": "The period must end after it starts."})

    def open_version(self) -> Version | None:
        return self.versions.exclude(status=Version.Status.PUBLISHED).first()

    def latest_published(self) -> Version | None:
        return self.versions.filter(status=Version.Status.PUBLISHED, historical=False).order_by(
            "-effective_year", "-effective_month"
        ).first()


class AgreementImage(RevisionedModel):
    """A crest or logo the agreement owns, which its editions choose to print (EditionLogo).

    Its file is stored under the hash of its bytes (agreements/images.py) and never overwritten or
    removed: replacing it stores a new file, so what a published edition printed stays as it was.
    """

    agreement_path = "agreement"

    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, related_name="images")
    name = OneLineField(max_length=200, help_text="Whose crest or logo this is, e.g. Kent Police.")
    alt = OneLineField(
        "alt text", max_length=250,
        help_text="What a screen reader says in its place, e.g. 'Kent Police logo'.",
    )
    file = models.FileField(max_length=200, editable=False)
    sha256 = OneLineField("SHA-256", max_length=64, editable=False)
    width = models.PositiveIntegerField(editable=False)
    height = models.PositiveIntegerField(editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["agreement", "name"]
        verbose_name = "crest or logo"
        verbose_name_plural = "crests and logos"
        constraints = [models.UniqueConstraint(fields=["agreement", "name"], name="unique_image_name")]

    def __str__(self) -> str:
        return self.name

    def take(self, checked: images.CheckedImage) -> None:
        """Uses the checked upload as this image's file (stored at once, under its hash)."""
        self.file.name = checked.store()
        self.sha256, self.width, self.height = checked.sha256, checked.width, checked.height

    def content(self) -> bytes:
        with self.file.open("rb") as stored:
            return stored.read()

    @property
    def stored_name(self) -> str:
        """The file's name without its folder: what the image's URL carries."""
        return self.file.name.rsplit("/", 1)[-1]

    @property
    def url(self) -> str:
        """Where the page and the PDF find this file: the same bytes for as long as the address is used."""
        return reverse("agreement_image", args=[self.stored_name])


class Membership(models.Model):
    """A person's role in one agreement. Roles are held per agreement: a KCST officer, KCSP member
    or Working Group member of one agreement has no access to another's drafts, returns or records.

    A district officer's tie is their PartnershipOfficer record (assessments), hence its agreement.
    """

    class Role(models.TextChoices):
        # The same names as the Django groups that carry the admin's model permissions.
        KCST_STAFF = "KCST staff", "KCST staff"
        KCSP_MEMBER = "KCSP member", "KCSP member"
        WORKING_GROUP_MEMBER = "Working Group member", "Working Group member"

    agreement_path = "agreement"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=30, choices=Role.choices)
    history = HistoricalRecords()

    class Meta:
        ordering = ["agreement", "role", "user"]
        constraints = [
            models.UniqueConstraint(fields=["user", "agreement", "role"], name="one_membership_per_role")
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.role}, {self.agreement}"



class VersionQuerySet(models.QuerySet):
    def update(self, **kwargs):
        # The admin and bulk code paths must obey the same rules as Version.save().
        if "status" in kwargs:
            raise StatusOutsideWorkflow("A version's status changes only through the sign-off workflow.")
        published = self.filter(status=Version.Status.PUBLISHED).values_list("number", flat=True)
        if published:
            raise EditionFrozen(f"Version {', '.join(published)} is published and can no longer change.")
        return super().update(**kwargs)

    def delete(self):
        published = self.filter(status=Version.Status.PUBLISHED).values_list("number", flat=True)
        if published:
            raise EditionFrozen(f"Version {', '.join(published)} is published and can no longer change.")
        return super().delete()


class VersionManager(models.Manager.from_queryset(VersionQuerySet)):
    def get_queryset(self):
        # A version names its agreement wherever it is shown (filters, selects, headings).
        return super().get_queryset().select_related("agreement")


class Version(RevisionedModel):
    """One edition of an agreement, e.g. 8.0, effective April 2024."""

    agreement_path = "agreement"

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        WORKING_GROUP_REVIEW = "working_group_review", "Working Group review"
        KCSP_CONSULTATION = "kcsp_consultation", "KCSP consultation"
        AGREED = "agreed", "Agreed by KCSP"
        PUBLISHED = "published", "Published"

    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, related_name="versions")
    number = OneLineField(
        max_length=10, validators=[RegexValidator(r"^\d+\.\d+$", "Write the number like 8.0.")]
    )
    effective_month = models.PositiveSmallIntegerField(choices=MONTHS, default=4)
    effective_year = models.PositiveSmallIntegerField()
    status = models.CharField(max_length=30, choices=Status.choices, default=Status.DRAFT)
    based_on = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="refreshes"
    )
    historical = models.BooleanField(
        default=False,
        help_text="A past edition of which only what the source documents say is recorded.",
    )
    sources = OneLineField(max_length=300, blank=True, help_text="Where a historical record comes from.")
    diagram_key = models.TextField(
        blank=True, max_length=2000,
        help_text="Printed beneath the priorities diagram, one line a line, e.g. 'ASB = anti-social behaviour'.",
    )
    horizon_heading_end = OneLineField(
        "end of the horizon-scanning headings", max_length=3, blank=True,
        help_text='Printed after each category of Appendix C, as the source prints it: ":" for "Political:", '
        '":-" for "Political:-".',
    )
    publish_with_provisional_returns = models.BooleanField(
        default=False, help_text="KCST chose to publish while some returns were still provisional."
    )
    published_at = models.DateTimeField(null=True, blank=True)
    pdf = models.FileField(upload_to="editions/", blank=True)
    pdf_sha256 = OneLineField("PDF SHA-256", max_length=64, blank=True)
    pdf_size = models.PositiveIntegerField("PDF size in bytes", null=True, blank=True)
    history = HistoricalRecords()

    objects = VersionManager()

    class Meta:
        ordering = ["agreement", "effective_year", "effective_month"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "number"], name="unique_version_number"),
            models.UniqueConstraint(
                fields=["agreement"],
                condition=~Q(status="published"),
                name="one_open_version_per_agreement",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agreement} {self.number}, {self.effective_label}"

    @property
    def effective_label(self) -> str:
        return f"{self.get_effective_month_display()} {self.effective_year}"

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    def previous_published(self) -> Version | None:
        """The last published edition before this one: what a review compares it with."""
        earlier = Q(effective_year__lt=self.effective_year) | Q(
            effective_year=self.effective_year, effective_month__lt=self.effective_month
        )
        return (
            Version.objects.filter(earlier, agreement=self.agreement_id, status=self.Status.PUBLISHED,
                                   historical=False)
            .order_by("-effective_year", "-effective_month")
            .first()
        )

    @cached_property
    def comments_by(self):
        """The date KCST asked for comments by when they sent the edition to the review it is in, if they set one."""
        if self.status not in (self.Status.WORKING_GROUP_REVIEW, self.Status.KCSP_CONSULTATION):
            return None
        step = self.transitions.filter(to_status=self.status).order_by("-at", "-pk").first()
        return step.comments_by if step else None

    def next_number(self) -> str:
        return f"{int(self.number.split('.')[0]) + 1}.0"

    def save(self, *args, **kwargs):
        # Only agreements.workflow sets this, after checking who may move the version and when.
        moving = getattr(self, "_workflow_transition", False)
        if self._state.adding:
            if self.status != self.Status.DRAFT and not moving:
                raise StatusOutsideWorkflow("A new version starts as a draft.")
        else:
            stored = Version._base_manager.filter(pk=self.pk).values_list("status", flat=True).first()
            if stored == self.Status.PUBLISHED and not moving:
                raise EditionFrozen(f"Version {self.number} is published and can no longer change.")
            if stored != self.status and not moving:
                raise StatusOutsideWorkflow("A version's status changes only through the sign-off workflow.")
        return super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.is_published:
            raise EditionFrozen(f"Version {self.number} is published and can no longer change.")
        return super().delete(*args, **kwargs)


class EditionContentQuerySet(models.QuerySet):
    """Bulk changes go through the same freeze rule as a single save."""

    def _refuse_if_frozen(self) -> None:
        frozen = self.model.frozen_versions(self).values_list("number", flat=True).distinct()
        numbers = sorted(frozen)
        if numbers:
            raise EditionFrozen(
                f"Version {', '.join(numbers)} is not a draft, so its content cannot change."
            )

    def update(self, **kwargs):
        self._refuse_if_frozen()
        return super().update(**kwargs)

    def delete(self):
        self._refuse_if_frozen()
        return super().delete()


class EditionContent(RevisionedModel):
    """A part of one edition. It can change only while that edition is a draft."""

    # The path from this model to its Version, for queries; the path to its Agreement follows from it.
    version_path = "version"

    objects = EditionContentQuerySet.as_manager()

    class Meta:
        abstract = True

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        cls.agreement_path = f"{cls.version_path}__agreement"  # see agreements.roles.within

    @classmethod
    def frozen_versions(cls, queryset: models.QuerySet) -> models.QuerySet:
        return Version.objects.filter(
            pk__in=queryset.values(cls.version_path)
        ).exclude(status=Version.Status.DRAFT)

    def edition(self) -> Version:
        obj = self
        for step in self.version_path.split("__"):
            obj = getattr(obj, step)
        return obj

    def check_editable(self) -> None:
        edition = self.edition()
        status = Version._base_manager.filter(pk=edition.pk).values_list("status", flat=True).first()
        if status is not None and status != Version.Status.DRAFT:
            raise EditionFrozen(
                f"Version {edition.number} is {Version.Status(status).label.lower()}, "
                "so its content cannot change."
            )

    def save(self, *args, **kwargs):
        self.check_editable()
        if getattr(self, "key", None) == "":
            self.key = new_key(getattr(self, "name", "") or getattr(self, "title", ""))
        return super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        self.check_editable()
        return super().delete(*args, **kwargs)


def new_key(name: str) -> str:
    """A key for a record added by hand; copies made by a refresh keep theirs."""
    return f"{slugify(name)[:40]}-{uuid.uuid4().hex[:6]}".lstrip("-")


class Chapter(EditionContent):
    """A chapter, appendix or unnumbered section (Foreword) of one edition.

    Which chapters an edition has is data: older agreements had Purpose, Signatories and so on.
    """

    class Generated(models.TextChoices):
        NONE = "", "Paragraphs only"
        ACHIEVEMENTS = "achievements", "Key achievements"
        PRIORITIES_DIAGRAM = "priorities_diagram", "Priorities diagram"
        LEADS = "leads", "Leads table"
        PLANS = "plans", "Links to plans"
        AUTHORITIES = "authorities", "Responsible authorities"
        STRATEGIC_ASSESSMENTS = "strategic_assessments", "Strategic assessments (Appendix A)"
        MORILE = "morile", "MoRiLE outcomes"
        HORIZON_SCANNING = "horizon_scanning", "Horizon scanning"
        POLICE_CRIME_PLAN = "police_crime_plan", "Police and Crime Plan"
        PRIORITY_TABLES = "priority_tables", "Priorities as tables (Appendix E)"
        SIGNATORIES = "signatories", "Signatories"

    class Kind(models.TextChoices):
        ORDINARY = "", "Chapter or appendix"
        FOREWORD = "foreword", "Foreword"

    version = models.ForeignKey(Version, on_delete=models.CASCADE, related_name="chapters")
    key = models.SlugField(max_length=60, blank=True, help_text="Stays the same from edition to edition.")
    kind = models.CharField(
        max_length=20, choices=Kind.choices, blank=True,
        help_text="The foreword is the chapter publishing needs text in.",
    )
    label = OneLineField(max_length=4, blank=True, help_text="1-9 for chapters, A-E for appendices.")
    title = OneLineField(max_length=200)
    order = models.PositiveSmallIntegerField(default=0)
    generated = models.CharField(
        max_length=30, choices=Generated.choices, blank=True,
        help_text="What the application adds after the paragraphs, from the edition's data.",
    )
    block_after = models.SlugField(
        max_length=60, blank=True,
        help_text="The key of the paragraph the generated part follows; blank to let the application place it.",
    )
    block_heading = OneLineField(
        "heading of the generated table's count column", max_length=100, blank=True,
        help_text="Appendix A's is 'No. of CSPs' unless you write another here.",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["version", "order"]
        constraints = [models.UniqueConstraint(fields=["version", "key"], name="unique_chapter_key")]

    def __str__(self) -> str:
        return self.heading

    @property
    def is_appendix(self) -> bool:
        return self.label.isalpha()

    @property
    def heading(self) -> str:
        if not self.label:
            return self.title
        if self.is_appendix:
            return f"Appendix {self.label}: {self.title}"
        return f"{self.label}. {self.title}"

    @property
    def section_name(self) -> str:
        """How the version-control table refers to this chapter: Ch.7, Appendix A, Foreword."""
        if not self.label:
            return self.title
        return f"Appendix {self.label}" if self.is_appendix else f"Ch.{self.label}"


class Paragraph(EditionContent):
    class Style(models.TextChoices):
        NUMBERED = "numbered", "Numbered paragraph"
        PLAIN = "plain", "Unnumbered text"
        SUBHEADING = "subheading", "Subheading"

    class Printed(models.TextChoices):
        ALWAYS = "always", "Always"
        WHILE_DRAFT = "while_draft", "Only while the edition is a draft"
        BY_BLOCK = "by_block", "Not where the chapter's table is printed: it prints this from the data"

    version_path = "chapter__version"

    chapter = models.ForeignKey(Chapter, on_delete=models.CASCADE, related_name="paragraphs")
    key = models.SlugField(max_length=60, blank=True, help_text="Stays the same from edition to edition.")
    order = models.PositiveSmallIntegerField(default=0)
    style = models.CharField(max_length=20, choices=Style.choices, default=Style.NUMBERED)
    html = models.TextField(
        "text", max_length=20000,
        help_text="Bold, italic, links, lists, superscript, subscript and simple tables are kept; "
        "anything else is removed on save. Write [^key] where a note of the chapter is referred to.",
    )
    to_be_updated = models.BooleanField(default=False)
    printed = models.CharField(
        max_length=20, choices=Printed.choices, default=Printed.ALWAYS,
        help_text="Wording that only makes sense in a draft ('in development') is dropped at publication.",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["chapter", "order", "pk"]

    def __str__(self) -> str:
        return f"Paragraph {self.key}"

    def save(self, *args, **kwargs):
        self.html = sanitise_html(self.html)
        if not self.key:
            self.key = new_key(f"{self.chapter.key} paragraph")
        return super().save(*args, **kwargs)

    def siblings(self) -> list[Paragraph]:
        """The chapter's paragraphs in order, this very instance among them."""
        paragraphs = Paragraph.objects.filter(chapter=self.chapter_id).order_by("order", "pk")
        return [self if p.pk == self.pk else p for p in paragraphs]

    def printed_number(self) -> str:
        """Its number as the document prints it (6.3), or "" for an unnumbered paragraph."""
        return next(p.number for p in number_paragraphs(self.chapter, self.siblings()) if p is self)

    def move(self, step: int) -> None:
        """Up (-1) or down (+1) one place within the chapter; at either end it stays."""
        paragraphs = self.siblings()
        at = next(i for i, p in enumerate(paragraphs) if p.pk == self.pk)
        to = at + step
        if 0 <= to < len(paragraphs):
            paragraphs.insert(to, paragraphs.pop(at))
            save_order(paragraphs)

    def add_to(self, chapter: Chapter, beside: Paragraph | None = None, after: bool = True) -> None:
        """Saves this new paragraph in its chapter: before or after `beside`, or else at the end."""
        paragraphs = list(Paragraph.objects.filter(chapter=chapter).order_by("order", "pk"))
        self.chapter = chapter
        at = len(paragraphs)
        if beside is not None:
            at = next(i for i, p in enumerate(paragraphs) if p.pk == beside.pk) + (1 if after else 0)
        paragraphs.insert(at, self)
        with transaction.atomic():
            self.order = at
            self.save()
            save_order(paragraphs)


def save_order(records) -> None:
    """Numbers records 0, 1, 2 ... in the order given, saving (with history) only those that moved."""
    with transaction.atomic():
        for order, record in enumerate(records):
            if record.order != order:
                record.order = order
                record.save(update_fields=["order"])


FOOTNOTE_REFERENCE = re.compile(r"\[\^([A-Za-z0-9_-]+)\]")  # a slug, as Footnote.key


class Footnote(EditionContent):
    """A note printed at the end of its chapter or appendix.

    The text refers to it as [^key]; notes are numbered in the order the text first refers to them,
    so nobody ever types or renumbers a note's number.
    """

    version_path = "chapter__version"

    chapter = models.ForeignKey(Chapter, on_delete=models.CASCADE, related_name="footnotes")
    key = models.SlugField(max_length=60, blank=True, help_text="What the text writes as [^key] to refer to the note.")
    order = models.PositiveSmallIntegerField(default=0)
    html = models.TextField(
        "note", max_length=4000, help_text="Italic, bold and links are kept; anything else is removed on save."
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["chapter", "order", "pk"]
        constraints = [models.UniqueConstraint(fields=["chapter", "key"], name="unique_footnote_key")]

    def __str__(self) -> str:
        return f"Note {self.key}"

    @property
    def reference(self) -> str:
        return f"[^{self.key}]"

    def save(self, *args, **kwargs):
        self.html = sanitise_html(self.html)
        if not self.key:
            self.key = new_key("note")
        return super().save(*args, **kwargs)


def number_paragraphs(chapter: Chapter, paragraphs) -> list[Paragraph]:
    """Give each numbered paragraph its number within the chapter: 6.1, 6.2 ..."""
    count = 0
    numbered = []
    for paragraph in paragraphs:
        paragraph.number = ""
        if paragraph.style == Paragraph.Style.NUMBERED and chapter.label:
            count += 1
            paragraph.number = f"{chapter.label}.{count}"
        numbered.append(paragraph)
    return numbered


class Priority(EditionContent):
    version = models.ForeignKey(Version, on_delete=models.CASCADE, related_name="priorities")
    key = models.SlugField(
        max_length=60, blank=True, help_text="The same item carried forward keeps its key when renamed."
    )
    name = OneLineField(max_length=200)
    gloss = OneLineField(max_length=200, blank=True, help_text="Printed in brackets after the name.")
    includes = models.TextField(blank=True, max_length=4000, help_text="One item a line.")
    includes_note = OneLineField(max_length=300, blank=True)
    includes_name = OneLineField(
        max_length=200, blank=True,
        help_text="The name before its includes-list, where the agreement words it differently (e.g. with '&').",
    )
    leads_name = OneLineField(
        max_length=200, blank=True, help_text="The name in the leads table, where the agreement words it differently.",
    )
    order = models.PositiveSmallIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["version", "order"]
        verbose_name_plural = "priorities"
        constraints = [models.UniqueConstraint(fields=["version", "key"], name="unique_priority_key")]

    def __str__(self) -> str:
        return self.name

    @property
    def includes_list(self) -> list[str]:
        return [line.strip() for line in self.includes.splitlines() if line.strip()]


class Lead(EditionContent):
    version_path = "priority__version"

    priority = models.OneToOneField(Priority, on_delete=models.CASCADE, related_name="lead")
    role = OneLineField(max_length=300, blank=True)
    organisation = OneLineField(max_length=200, blank=True)
    tbc = models.BooleanField("to be confirmed", default=False)
    history = HistoricalRecords()

    def __str__(self) -> str:
        if self.tbc:
            return "TBC"
        return ", ".join(part for part in (self.role, self.organisation) if part)

    @property
    def is_set(self) -> bool:
        return self.tbc or bool(self.role.strip())


class CrossCuttingTheme(EditionContent):
    version = models.ForeignKey(Version, on_delete=models.CASCADE, related_name="themes")
    key = models.SlugField(
        max_length=60, blank=True, help_text="The same item carried forward keeps its key when renamed."
    )
    name = OneLineField(max_length=200)
    includes = models.TextField(blank=True, max_length=4000, help_text="One item a line.")
    includes_name = OneLineField(
        max_length=200, blank=True,
        help_text="The name before its includes-list, where the agreement words it differently (e.g. with '&').",
    )
    order = models.PositiveSmallIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["version", "order"]
        verbose_name = "cross-cutting theme"
        constraints = [models.UniqueConstraint(fields=["version", "key"], name="unique_theme_key")]

    def __str__(self) -> str:
        return self.name

    @property
    def includes_list(self) -> list[str]:
        return [line.strip() for line in self.includes.splitlines() if line.strip()]


class Lineage(EditionContent):
    """Priorities or themes of the edition this draft is based on merged into one, or one split into
    several, so the comparison names a merge or a split, not removals beside an addition."""

    class Kind(models.TextChoices):
        MERGED = "merged", "merged into"
        SPLIT = "split", "split into"

    class Item(models.TextChoices):
        PRIORITY = "priority", "Priority"
        THEME = "theme", "Cross-cutting theme"

    version = models.ForeignKey(Version, on_delete=models.CASCADE, related_name="lineages")
    item = models.CharField(max_length=10, choices=Item.choices)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    old_keys = models.JSONField(help_text="Keys of the items in the edition this draft is based on.")
    new_keys = models.JSONField(help_text="Keys of the items in this draft.")
    history = HistoricalRecords()

    class Meta:
        ordering = ["version", "pk"]

    def __str__(self) -> str:
        return f"{', '.join(self.old_keys)} {self.get_kind_display()} {', '.join(self.new_keys)}"


class PoliceCrimePlan(EditionContent):
    """The Police and Crime Commissioner's plan, as an edition quotes it (Appendix D)."""

    version = models.OneToOneField(Version, on_delete=models.CASCADE, related_name="police_crime_plan")
    title = OneLineField(max_length=200)
    period = OneLineField(max_length=20, help_text="e.g. 2022-2025")
    intro_html = models.TextField("introduction", blank=True, max_length=20000)
    tables_heading = OneLineField(
        max_length=300, blank=True,
        help_text="The heading of its priorities' table beside the CSA's, if not \"<title> (<period>) – <area> PCC's Priorities:\".",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "Police and Crime Plan"

    def __str__(self) -> str:
        return f"{self.title} {self.period}"

    def save(self, *args, **kwargs):
        self.intro_html = sanitise_html(self.intro_html)
        return super().save(*args, **kwargs)


class PoliceCrimePlanPriority(EditionContent):
    class Group(models.TextChoices):
        PRINCIPLE = "principle", "Guiding principles"
        POLICE = "police", "Police priorities"
        COMMISSIONER = "commissioner", "The Police and Crime Commissioner will"

    version_path = "plan__version"

    plan = models.ForeignKey(PoliceCrimePlan, on_delete=models.CASCADE, related_name="priorities")
    group = models.CharField(max_length=20, choices=Group.choices, default=Group.POLICE)
    text = OneLineField(max_length=300)
    in_diagram = models.BooleanField(default=False, help_text="Shown beside the CSA priorities.")
    tables_text = OneLineField(
        max_length=300, blank=True, help_text="Its wording in the table beside the CSA's priorities, where it differs.",
    )
    order = models.PositiveSmallIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "order"]
        verbose_name_plural = "Police and Crime Plan priorities"

    def __str__(self) -> str:
        return self.text


class ListItem(EditionContent):
    """One line of a simple ordered list in an edition."""

    text = OneLineField(max_length=300)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        abstract = True
        ordering = ["version", "order"]

    def __str__(self) -> str:
        return self.text


class PlanLink(ListItem):
    version = models.ForeignKey(Version, on_delete=models.CASCADE, related_name="plan_links")
    history = HistoricalRecords()

    class Meta(ListItem.Meta):
        verbose_name = "link to a plan"
        verbose_name_plural = "links to plans"


class ResponsibleAuthority(ListItem):
    version = models.ForeignKey(Version, on_delete=models.CASCADE, related_name="authorities")
    history = HistoricalRecords()

    class Meta(ListItem.Meta):
        verbose_name_plural = "responsible authorities"


class Signatory(ListItem):
    """One who signs the agreement, as printed, e.g. 'Chief Constable, Kent Police'."""

    version = models.ForeignKey(Version, on_delete=models.CASCADE, related_name="signatories")
    history = HistoricalRecords()

    class Meta(ListItem.Meta):
        verbose_name_plural = "signatories"


class HorizonItem(ListItem):
    class Category(models.TextChoices):
        POLITICAL = "political", "Political"
        ECONOMIC = "economic", "Economic"
        SOCIAL = "social", "Social / Demographic"
        TECHNOLOGICAL = "technological", "Technological"
        ENVIRONMENTAL = "environmental", "Environmental (and Geographical)"
        LEGISLATION = "legislation", "Legislation"
        ORGANISATIONAL = "organisational", "Organisational"

    version = models.ForeignKey(Version, on_delete=models.CASCADE, related_name="horizon_items")
    category = models.CharField(max_length=20, choices=Category.choices)
    group = OneLineField(
        max_length=200, blank=True,
        help_text='A sub-heading within the category, as printed, e.g. "Recent legislation and statutory duties:".',
    )
    note = OneLineField(
        max_length=300, blank=True,
        help_text='Printed in italics after the item and a semicolon, e.g. "inc. statutory guidance on Domestic '
        'Abuse duties".',
    )
    history = HistoricalRecords()

    class Meta(ListItem.Meta):
        verbose_name = "horizon-scanning item"

    def __str__(self) -> str:
        return f"{self.text}; {self.note}" if self.note else self.text


class Achievement(EditionContent):
    version = models.ForeignKey(Version, on_delete=models.CASCADE, related_name="achievements")
    title = OneLineField(max_length=200)
    html = models.TextField("text", max_length=20000)
    order = models.PositiveSmallIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["version", "order"]
        verbose_name = "key achievement"

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        self.html = sanitise_html(self.html)
        return super().save(*args, **kwargs)


class ChangeNote(EditionContent):
    """One line of the version-control table for one version."""

    version = models.ForeignKey(Version, on_delete=models.CASCADE, related_name="change_notes")
    section = OneLineField(
        max_length=40, blank=True, help_text="Ch.7, Appendix A, Foreword ... or blank for the whole document."
    )
    text = OneLineField(max_length=500, help_text="As printed, e.g. 'Ch.7 - minor change to the list of leads'.")
    to_be_updated = models.BooleanField(default=False)
    order = models.PositiveSmallIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["version", "order"]

    def __str__(self) -> str:
        return self.text


class EditionLogo(EditionContent):
    """A crest or logo one edition prints: on its cover or its back page, in its order there. The
    back page prints the partners' logos, then those the agreement is made in partnership with
    under that heading (as the April 2024 agreement prints the Probation Service)."""

    class Place(models.TextChoices):
        COVER = "cover", "Cover"
        BACK_PAGE = "back_page", "Back page"
        IN_PARTNERSHIP = "in_partnership", "Back page, under “In partnership with”"

    version = models.ForeignKey(Version, on_delete=models.CASCADE, related_name="logos")
    # PROTECT: an image an edition prints cannot be deleted; the refusal names the edition (__str__).
    image = models.ForeignKey(AgreementImage, on_delete=models.PROTECT, related_name="printed_in")
    place = models.CharField(max_length=20, choices=Place.choices, default=Place.BACK_PAGE)
    order = models.PositiveSmallIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["version", "place", "order", "pk"]
        verbose_name = "crest or logo printed"
        verbose_name_plural = "crests and logos printed"
        constraints = [
            models.UniqueConstraint(fields=["version", "place", "image"], name="one_image_once_per_place")
        ]

    def __str__(self) -> str:
        return (f"{self.image} on the {self.get_place_display().lower()} of version {self.version.number} "
                f"({self.version.get_status_display()})")

    def clean(self):
        if self.image_id and self.version_id and self.image.agreement_id != self.version.agreement_id:
            raise ValidationError({"image": "Choose a crest or logo of this edition's own agreement."})


EDITION_PARTS = (
    Chapter, Paragraph, Footnote, Priority, Lead, CrossCuttingTheme, Lineage, PoliceCrimePlan,
    PoliceCrimePlanPriority, PlanLink, ResponsibleAuthority, Signatory, HorizonItem, Achievement, ChangeNote,
    EditionLogo,
)


class Snapshot(WrittenOnce):
    """A published edition as it was at publication, served as stored: its complete document data
    and the body of its web page, each with its SHA-256 (the PDF is stored on the version)."""

    agreement_path = "version__agreement"  # see agreements.roles.within

    version = models.OneToOneField(Version, on_delete=models.PROTECT, related_name="snapshot")
    title = OneLineField(max_length=300)
    # Written only by documents/snapshot.py, never from a form: the limits are far above any edition.
    document_json = models.TextField(max_length=20_000_000)
    document_sha256 = OneLineField("document SHA-256", max_length=64)
    page_html = models.TextField(max_length=20_000_000)
    page_sha256 = OneLineField("page SHA-256", max_length=64)
    taken_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Snapshot of {self.title}"

    def kept_message(self) -> str:
        return f"The snapshot of {self.title} is kept as taken."


class VersionTransition(models.Model):
    """One step of a version along the sign-off route: who moved it, when and why.

    Rows are only ever added, so the route a version took can always be read back.
    """

    agreement_path = "version__agreement"

    version = models.ForeignKey(Version, on_delete=models.CASCADE, related_name="transitions")
    name = OneLineField(max_length=40)
    from_status = models.CharField(max_length=30, choices=Version.Status.choices)
    to_status = models.CharField(max_length=30, choices=Version.Status.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    note = models.TextField(blank=True, max_length=4000)
    meeting_date = models.DateField(null=True, blank=True, help_text="The KCSP meeting that agreed the priorities.")
    comments_by = models.DateField(null=True, blank=True, help_text="When sent to review: the date comments are asked by.")
    minute = models.TextField(
        blank=True, max_length=4000, help_text='Minute reference or resolution, e.g. "RESOLVED that the priorities be agreed".'
    )

    class Meta:
        ordering = ["version", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.version.number}: {self.get_from_status_display()} to {self.get_to_status_display()}"


class ScrutinyRecord(models.Model):
    """A Crime and Disorder Scrutiny Committee meeting that looked at a version, possibly after publication."""

    agreement_path = "version__agreement"

    version = models.ForeignKey(Version, on_delete=models.CASCADE, related_name="scrutiny_records")
    meeting_date = models.DateField()
    minute = models.TextField(max_length=4000)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    class Meta:
        ordering = ["version", "meeting_date"]

    def __str__(self) -> str:
        return f"Scrutiny Committee {self.meeting_date:%d %B %Y}"
