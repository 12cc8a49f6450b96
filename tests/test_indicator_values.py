"""Indicator values: entered one at a time, or imported from CSV or XLSX all or nothing."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from delivery.models import Indicator

from .delivery_cast import make_lead


@pytest.fixture
def indicator(kent):
    return Indicator.objects.create(
        agreement=kent, priority_key="domestic-abuse", name="Domestic abuse incidents", definition="Recorded.",
        unit="incidents", better="lower", source="Kent Police",
    )


@pytest.fixture
def lead(kent):
    return make_lead(kent)


def values(indicator):
    return list(indicator.values.values_list("period", "period_start", "value"))


def upload(client, indicator, name: str, content: bytes):
    return client.post(reverse("delivery:import-values", args=[indicator.pk]),
                       {"file": SimpleUploadedFile(name, content)})


def test_a_csv_of_values_is_imported(client, lead, indicator):
    client.force_login(lead)
    response = upload(client, indicator, "values.csv",
                      b"period,period start,value\nquarter,2024-04-01,120\nquarter,2024-07-01,95.5\n")
    assert response.status_code == 302
    assert values(indicator) == [("quarter", datetime.date(2024, 4, 1), Decimal("120")),
                                 ("quarter", datetime.date(2024, 7, 1), Decimal("95.5"))]


def test_one_bad_row_refuses_the_whole_file_naming_each_row_and_field(client, lead, indicator):
    indicator.values.create(period="quarter", period_start=datetime.date(2024, 4, 1), value=7)
    client.force_login(lead)
    response = upload(client, indicator, "values.csv", (
        b"period,period start,value\nquarter,2024-04-01,120\nfortnight,2024-07-01,95\n"
        b"quarter,2024-08-01,lots\nquarter,2024-04-01,5\n"
    ))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Row 3, period: “fortnight” should be one of month, quarter, year." in page
    assert "Row 4, value: “lots” is not a number." in page
    assert "Row 5, period: the same period is given in row 2." in page
    assert values(indicator) == [("quarter", datetime.date(2024, 4, 1), Decimal("7"))]


def test_a_period_that_does_not_start_a_quarter_is_refused(client, lead, indicator):
    client.force_login(lead)
    page = upload(client, indicator, "values.csv", b"period,period start,value\nquarter,2024-08-01,3\n")
    assert "Row 2, period start: Give the first day of the quarter." in page.content.decode()
    assert values(indicator) == []


def test_an_xlsx_of_values_is_imported_and_replaces_a_recorded_period(client, lead, indicator):
    indicator.values.create(period="year", period_start=datetime.date(2023, 1, 1), value=7)
    book = Workbook()
    sheet = book.active
    sheet.append(["Period", "Period start", "Value"])
    sheet.append(["year", datetime.datetime(2023, 1, 1), 410])
    sheet.append(["year", datetime.datetime(2024, 1, 1), 388])
    data = io.BytesIO()
    book.save(data)
    client.force_login(lead)
    assert upload(client, indicator, "values.xlsx", data.getvalue()).status_code == 302
    assert values(indicator) == [("year", datetime.date(2023, 1, 1), Decimal("410")),
                                 ("year", datetime.date(2024, 1, 1), Decimal("388"))]


def test_a_lead_adds_a_value_and_a_wrong_one_is_refused_naming_the_field(client, lead, indicator):
    client.force_login(lead)
    url = reverse("delivery:add-value", args=[indicator.pk])
    refused = client.post(url, {"period": "month", "period_start": "2024-05-02", "value": "12"})
    assert "Give the first day of the month." in refused.content.decode()
    assert client.post(url, {"period": "month", "period_start": "2024-05-01", "value": "12"}).status_code == 302
    assert values(indicator) == [("month", datetime.date(2024, 5, 1), Decimal("12"))]


def test_a_second_value_for_the_same_period_is_refused_naming_the_period(client, lead, indicator):
    indicator.values.create(period="quarter", period_start=datetime.date(2024, 4, 1), value=7)
    client.force_login(lead)
    page = client.post(reverse("delivery:add-value", args=[indicator.pk]),
                       {"period": "quarter", "period_start": "2024-04-01", "value": "9"}).content.decode()
    assert "Q2 2024 already has a value (7)." in page
    assert values(indicator) == [("quarter", datetime.date(2024, 4, 1), Decimal("7"))]
