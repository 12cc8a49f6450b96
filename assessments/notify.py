"""E-mails to a partnership's officers: each message's subject and body rendered from one context."""

from __future__ import annotations

import logging
import smtplib

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse

from agreements.notifications import subject_line

logger = logging.getLogger("csa.notify")


def recipients(partnership) -> list[str]:
    """The partnership's own address and every active officer's, each once."""
    addresses = [partnership.email] if partnership.email else []
    for officer in partnership.officers.select_related("user"):
        if officer.user.is_active and officer.user.email:
            addresses.append(officer.user.email)
    return list(dict.fromkeys(addresses))


def _send(template: str, assessment_return, **context) -> int:
    """Sends one message to the partnership's officers; returns how many addresses it went to."""
    to = recipients(assessment_return.partnership)
    if not to:
        return 0
    context = {
        "return": assessment_return,
        "cycle": assessment_return.cycle,
        "partnership": assessment_return.partnership,
        "url": settings.SITE_URL + reverse("portal:return", args=[assessment_return.pk]),
        **context,
    }
    subject = subject_line(render_to_string(f"assessments/email/{template}_subject.txt", context))
    body = render_to_string(f"assessments/email/{template}_body.txt", context)
    try:
        send_mail(subject, body, None, to)
    except (smtplib.SMTPException, OSError):
        # The change itself is saved; KCST is told on the page that the e-mail did not go.
        logger.exception("Could not e-mail %s about %s", to, assessment_return)
        return 0
    return len(to)


def send_returned_for_amendment(assessment_return) -> int:
    return _send("returned", assessment_return, reason=assessment_return.returned_reason)


def send_reminder(assessment_return, days: int) -> int:
    return _send("reminder", assessment_return, days=days)
