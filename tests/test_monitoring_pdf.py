"""The monitoring report as a PDF: PDF/UA-1 identification, tagged tables, bookmarks."""

import datetime
import io
from decimal import Decimal

import pikepdf
import pypdf
import pytest
from django.urls import reverse

from delivery.models import Indicator
from delivery.pdf import render_monitoring_pdf

from .delivery_cast import make_action
from .test_pdf import structure_tags


@pytest.fixture
def report_pdf(kent, draft):
    make_action(draft, status="lagging", status_reason="Late start")
    indicator = Indicator.objects.create(
        agreement=kent, priority_key="domestic-abuse", name="Domestic abuse incidents", definition="Recorded.",
        unit="incidents", better="lower", source="Kent Police",
    )
    indicator.values.create(period="year", period_start=datetime.date(2024, 1, 1), value=Decimal("388"))
    return render_monitoring_pdf(draft)


def test_the_report_identifies_as_pdf_ua_with_tagged_tables(report_pdf):
    with pikepdf.open(io.BytesIO(report_pdf)) as pdf:
        with pdf.open_metadata() as xmp:
            assert xmp["pdfuaid:part"] == "1"
        assert str(pdf.Root.Lang) == "en-GB"
        assert {"/Table", "/TH", "/TD", "/Caption", "/H1", "/H2"} <= structure_tags(pdf)


def test_the_report_has_a_bookmark_per_part(report_pdf):
    reader = pypdf.PdfReader(io.BytesIO(report_pdf))
    titles = [item.title for item in reader.outline if not isinstance(item, list)]
    assert titles[0].startswith("Monitoring the action plan")
    nested = next(item for item in reader.outline if isinstance(item, list))
    assert [item.title for item in nested if not isinstance(item, list)][:4] == [
        "Actions by status", "Overdue or lagging", "Updates", "Indicators",
    ]
    text = "".join(page.extract_text() for page in reader.pages)
    assert "388" in text and "Late start" in text


def test_the_working_group_downloads_the_report(client, draft, kcst, monkeypatch):
    monkeypatch.setattr("delivery.views.render_monitoring_pdf", lambda version, since: b"%PDF-1.7 stand-in")
    client.force_login(kcst)
    response = client.get(reverse("delivery:monitoring-pdf", args=["kent", draft.number]))
    assert response["Content-Disposition"] == 'attachment; filename="kent-csa-8.0-monitoring.pdf"'
