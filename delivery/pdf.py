"""The monitoring report as a PDF, through the edition's pipeline (PDF/UA-1, tagged, bookmarked)."""

from __future__ import annotations

import datetime

from django.template.loader import render_to_string

from agreements.models import Version
from documents.pdf import html_to_pdf

from .monitoring import monitoring


def monitoring_html(version: Version, since: datetime.date | None = None) -> str:
    return render_to_string("delivery/monitoring_pdf.html", {"version": version, "report": monitoring(version, since)})


def render_monitoring_pdf(version: Version, since: datetime.date | None = None) -> bytes:
    return html_to_pdf(monitoring_html(version, since))


def monitoring_filename(version: Version) -> str:
    return f"{version.agreement.slug}-csa-{version.number}-monitoring.pdf"
