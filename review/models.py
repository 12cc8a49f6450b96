"""Comments KCSP and Working Group members leave on a draft, and KCST's answers."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from agreements.fields import OneLineField
from agreements.models import Agreement, Version, WrittenOnce


class Comment(models.Model):
    """A comment on a part of an edition in review, or, when it has a subject, on a part of another
    document about that edition that readers review the same way (an annual review of its priorities).

    The subject names a record of an app above this one, which this app never imports; the subject
    answers `get_absolute_url()`, `accepts_comments` and `str()`.
    """

    agreement_path = "version__agreement"

    class Target(models.TextChoices):
        CHAPTER = "chapter", "Chapter"
        PARAGRAPH = "paragraph", "Paragraph"
        PRIORITY = "priority", "Priority"
        LEAD = "lead", "Lead"
        SECTION = "section", "Section"
        PROPOSAL = "proposal", "Proposal"

    version = models.ForeignKey(Version, on_delete=models.CASCADE, related_name="comments")
    subject_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    subject_id = models.PositiveBigIntegerField(null=True, blank=True)
    subject = GenericForeignKey("subject_type", "subject_id")
    # Targets are named by key, which stays the same when a refresh copies the edition.
    target = models.CharField(max_length=20, choices=Target.choices)
    target_key = models.SlugField(max_length=60)
    target_label = OneLineField(max_length=300, help_text="How the part was named when the comment was made.")
    chapter_key = models.SlugField(max_length=60, help_text="The chapter the comment is counted under.")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(max_length=4000)
    created_at = models.DateTimeField(auto_now_add=True)
    reply = models.TextField(blank=True, max_length=4000)
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    replied_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    late = models.BooleanField(default=False, help_text="Made after the date KCST asked for comments by.")
    # When the author was last told of KCST's answer, at once or in their daily digest.
    answer_mailed_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["version", "created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.target_label}: {self.text[:40]}"

    @property
    def place(self) -> str:
        """What was commented on, as the lists name it."""
        if self.subject_id:
            return str(self.subject)
        return f"{self.version.agreement} {self.version.number}"

    @property
    def url(self) -> str:
        if self.subject_id:
            return self.subject.get_absolute_url()
        return reverse("review", args=[self.version.agreement.slug, self.version.number])

    @property
    def is_open(self) -> bool:
        """Whether its author may still change it (and the page still take comments)."""
        from .access import IN_REVIEW

        if self.subject_id:
            return self.subject.accepts_comments
        return self.version.status in IN_REVIEW

    @property
    def is_resolved(self) -> bool:
        return self.resolved_at is not None

    @classmethod
    def leave(cls, version: Version, author, target, text: str) -> Comment:
        """A member's comment on one part of the edition (a review.targets.Target), late after the date asked."""
        deadline = version.comments_by
        comment = cls.objects.create(
            version=version, author=author, target=target.target, target_key=target.key,
            target_label=target.label, chapter_key=target.chapter_key, text=text,
            late=deadline is not None and timezone.localdate() > deadline,
        )
        return comment

    def answer(self, by, reply: str, resolve: bool) -> None:
        self.reply = reply
        self.replied_by = by
        self.replied_at = timezone.now()
        fields = ["reply", "replied_by", "replied_at"]
        if resolve:
            self.resolved_by = by
            self.resolved_at = timezone.now()
            fields += ["resolved_by", "resolved_at"]
        self.save(update_fields=fields)

    @property
    def answer_unmailed(self) -> bool:
        """KCST answered after the author was last told (a reply may be changed, a comment resolved later)."""
        answered = max((t for t in (self.replied_at, self.resolved_at) if t), default=None)
        return answered is not None and (self.answer_mailed_at is None or self.answer_mailed_at < answered)

    def mark_answer_mailed(self) -> None:
        self.answer_mailed_at = timezone.now()
        self.save(update_fields=["answer_mailed_at"])


class ReviewerSettings(models.Model):
    """A Working Group or KCSP member's own choices in one agreement, and when they last looked at
    their reviews (what is new to them on their home page is counted from then)."""

    agreement_path = "agreement"

    class Replies(models.TextChoices):
        IMMEDIATELY = "immediately", "As soon as KCST reply or resolve"
        DAILY = "daily", "In one e-mail a day"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="+")
    replies = models.CharField(
        "E-mail me KCST's answers to my comments", max_length=20, choices=Replies.choices, default=Replies.IMMEDIATELY,
    )
    seen_reviews_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "agreement"], name="one_settings_per_reviewer")]
        verbose_name_plural = "reviewer settings"

    def __str__(self) -> str:
        return f"{self.user} in {self.agreement}"

    @classmethod
    def of(cls, user, agreement_id: int) -> ReviewerSettings:
        return cls.objects.get_or_create(user=user, agreement_id=agreement_id)[0]


class DiscardedProposal(models.Model):
    """A change note the application proposed and KCST discarded, so it is not proposed again."""

    agreement_path = "version__agreement"

    version = models.ForeignKey(Version, on_delete=models.CASCADE, related_name="discarded_proposals")
    section = OneLineField(max_length=40)
    text = OneLineField(max_length=500)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["version", "text"], name="discarded_once")]



class PublishedComparison(WrittenOnce):
    """The comparison the review page showed when the edition was published, kept as shown: the
    published edition's review reads it instead of comparing again (review/record.py)."""

    agreement_path = "version__agreement"  # see agreements.roles.within

    version = models.OneToOneField(Version, on_delete=models.PROTECT, related_name="published_comparison")
    base = models.ForeignKey(Version, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                             help_text="The edition the changes were marked against, if there was one.")
    # Written only by review/record.py, never from a form: the limit is far above any edition.
    marked_json = models.TextField(max_length=20_000_000)
    taken_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Comparison of {self.version} as published"

    def kept_message(self) -> str:
        return f"The comparison of {self.version} is kept as published."
