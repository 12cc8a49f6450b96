"""Reminding priority leads whose open actions have no update in the current quarter."""

from __future__ import annotations

import datetime
import logging
import smtplib
from collections import defaultdict

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse

from agreements.models import Version
from agreements.notifications import subject_line

from .models import Action, LeadAssignment, UpdateReminder, quarter_start

logger = logging.getLogger("csa.notify")


def leads_to_remind(today: datetime.date) -> dict:
    """{lead: [actions]} for the open actions of published editions with no update this quarter."""
    quarter = quarter_start(today)
    reminded = UpdateReminder.objects.filter(quarter=quarter).values("user")
    waiting = defaultdict(list)
    actions = (
        Action.objects.open().filter(edition__status=Version.Status.PUBLISHED, priority__isnull=False)
        .without_update_since(quarter).select_related("priority", "edition")
    )
    assignments = LeadAssignment.objects.exclude(user__in=reminded).filter(user__is_active=True).select_related("user")
    leads_of = defaultdict(list)
    for assignment in assignments:
        leads_of[(assignment.agreement_id, assignment.priority_key)].append(assignment.user)
    for action in actions:
        for user in leads_of[(action.edition.agreement_id, action.priority.key)]:
            waiting[user].append(action)
    return waiting


def remind(user, actions: list[Action], today: datetime.date) -> bool:
    """E-mails the lead and records it; False if they have no address or the mail did not go."""
    if not user.email:
        return False
    context = {"user": user, "actions": actions, "url": settings.SITE_URL + reverse("delivery:lead-home")}
    subject = subject_line(render_to_string("delivery/email/reminder_subject.txt", context))
    try:
        with transaction.atomic():
            UpdateReminder.objects.create(
                user=user, quarter=quarter_start(today), actions="\n".join(action.title for action in actions),
            )
            send_mail(subject, render_to_string("delivery/email/reminder_body.txt", context), None, [user.email])
    except IntegrityError:
        return False  # another run reminded them meanwhile
    except (smtplib.SMTPException, OSError):
        logger.exception("Could not remind %s of their action updates", user.email)
        return False
    return True
