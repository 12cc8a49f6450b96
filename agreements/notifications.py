"""E-mail to the people whose turn it is, sent after the change is committed."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mass_mail
from django.urls import reverse

from .fields import CONTROL_CHARACTERS


def people_in(agreement, *roles: str) -> list[str]:
    """The addresses of the people holding one of the roles in this agreement."""
    User = get_user_model()
    return sorted(set(
        User.objects.filter(memberships__agreement=agreement, memberships__role__in=roles, is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
    ))


def subject_line(text: str) -> str:
    """A message's subject on one line, whatever the names in it hold: a line break refuses the message."""
    return " ".join(CONTROL_CHARACTERS.sub(" ", text).split())


def review_link(version) -> str:
    return settings.SITE_URL + reverse("review", args=[version.agreement.slug, version.number])


def transition_made(version, t, record) -> None:
    recipients = people_in(version.agreement_id, *t.notify)
    if not recipients:
        return
    who = record.by.get_full_name() or record.by.username if record.by else "The application"
    subject = subject_line(f"{version.agreement.name} {version.number}: {version.get_status_display()}")
    lines = [
        f"{who} moved version {version.number} of the {version.agreement.name} "
        f"from {record.get_from_status_display()} to {record.get_to_status_display()}.",
    ]
    if record.comments_by:
        lines += ["", f"Comments by {record.comments_by:%d %B %Y}."]
    if record.note:
        lines += ["", f"Note: {record.note}"]
    if record.minute:
        lines += ["", f"KCSP meeting {record.meeting_date:%d %B %Y}: {record.minute}"]
    lines += ["", f"Read it here: {review_link(version)}"]
    messages = [(subject, "\n".join(lines), settings.DEFAULT_FROM_EMAIL, [email]) for email in recipients]
    send_mass_mail(messages, fail_silently=False)
