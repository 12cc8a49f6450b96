"""Importing an indicator's values from CSV or XLSX, all or nothing, as the returns import does.

Every row is checked before anything is written; one bad row refuses the whole file, naming the
row and the field. A period already recorded takes the file's value.
"""

from __future__ import annotations

import csv
import datetime
import io
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from openpyxl import load_workbook

from .models import Indicator, IndicatorValue

COLUMNS = ["period", "period start", "value"]
MAX_BYTES = 1_000_000
MAX_ROWS = 2_000


class ImportRefused(Exception):
    def __init__(self, errors: list[str]):
        self.errors = errors
        super().__init__("; ".join(errors))


def import_values(indicator: Indicator, data: bytes, filename: str) -> list[IndicatorValue]:
    """Records the file's values, or raises ImportRefused having changed nothing."""
    planned = check(indicator, read_xlsx(data) if filename.lower().endswith(".xlsx") else read_csv(data))
    with transaction.atomic():
        existing = {(v.period, v.period_start): v for v in indicator.values.select_for_update()}
        saved = []
        for value in planned:
            stored = existing.get((value.period, value.period_start), value)
            stored.value = value.value
            stored.save()
            saved.append(stored)
        return saved


def read_csv(data: bytes) -> list[list[str]]:
    if len(data) > MAX_BYTES:
        raise ImportRefused([f"The file is larger than {MAX_BYTES // 1_000_000} MB."])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportRefused(["The file is not UTF-8 text: save it as “CSV UTF-8” and try again."]) from None
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        return list(reader)[: MAX_ROWS + 2]
    except csv.Error as error:
        raise ImportRefused([f"Row {reader.line_num}: cannot be read as CSV ({error})."]) from None


def read_xlsx(data: bytes) -> list[list[str]]:
    if len(data) > MAX_BYTES:
        raise ImportRefused([f"The file is larger than {MAX_BYTES // 1_000_000} MB."])
    try:
        sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).worksheets[0]
    except Exception:  # openpyxl raises many kinds for a file that is not a workbook
        raise ImportRefused(["The file cannot be read as an XLSX workbook."]) from None
    rows = []
    for row in sheet.iter_rows(values_only=True, max_row=MAX_ROWS + 2):
        rows.append(["" if cell is None else _cell_text(cell) for cell in row])
    return rows


def _cell_text(cell) -> str:
    if isinstance(cell, datetime.datetime):
        return cell.date().isoformat()
    return str(cell)


def check(indicator: Indicator, rows: list[list[str]]) -> list[IndicatorValue]:
    if not rows:
        raise ImportRefused(["The file is empty."])
    if [cell.strip().casefold() for cell in rows[0]] != COLUMNS:
        raise ImportRefused([f"Row 1: the headings must be {', '.join(COLUMNS)}, in that order."])
    if len(rows) > MAX_ROWS + 1:
        raise ImportRefused([f"The file has more than {MAX_ROWS} rows."])
    values, errors, seen = [], [], {}
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        value, problems = _check_row(indicator, row)
        if value is not None:
            key = (value.period, value.period_start)
            if key in seen:
                problems.append(f"period: the same period is given in row {seen[key]}.")
            seen.setdefault(key, number)
        errors += [f"Row {number}, {problem}" for problem in problems]
        values.append(value)
    if not values and not errors:
        errors.append("The file has no rows below the headings.")
    if errors:
        raise ImportRefused(errors)
    return values


def _check_row(indicator: Indicator, row: list[str]) -> tuple[IndicatorValue | None, list[str]]:
    if len(row) != len(COLUMNS):
        return None, [f"columns: it has {len(row)}; it should have {len(COLUMNS)}."]
    period, start, amount = (cell.strip() for cell in row)
    problems = []
    period_value = period.casefold()
    if period_value not in IndicatorValue.Period.values:
        problems.append(f"period: “{period}” should be one of {', '.join(IndicatorValue.Period.values)}.")
    try:
        start_date = datetime.date.fromisoformat(start)
    except ValueError:
        start_date = None
        problems.append(f"period start: “{start}” is not a date written as YYYY-MM-DD.")
    try:
        number = Decimal(amount)
        if not number.is_finite():
            raise InvalidOperation
    except InvalidOperation:
        number = None
        problems.append(f"value: “{amount}” is not a number.")
    if problems:
        return None, problems
    value = IndicatorValue(indicator=indicator, period=period_value, period_start=start_date, value=number)
    try:
        value.clean_fields(exclude=["indicator"])
        value.clean()
    except ValidationError as error:
        return None, [f"{field.replace('_', ' ')}: {' '.join(messages)}" for field, messages in error.message_dict.items()]
    return value, []
