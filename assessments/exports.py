"""A cycle's returns as a table, one row per issue: the same rows for CSV, XLSX and the command."""

from __future__ import annotations

import csv
import io
from typing import TextIO

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

from .models import AssessmentCycle, ReturnItem

COLUMNS = [
    "partnership", "category key", "category name", "own wording", "class", "note", "local sign-off", "status",
]

# A spreadsheet treats a cell starting with one of these as a formula; a leading apostrophe stops it.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def rows(cycle: AssessmentCycle) -> list[list[str]]:
    items = (
        ReturnItem.objects.filter(assessment_return__cycle=cycle)
        .select_related("assessment_return__partnership", "category")
        .order_by("assessment_return__partnership__name", "order", "pk")
    )
    return [
        [
            item.assessment_return.partnership.name,
            item.category.key if item.category else "",
            item.category.name if item.category else "",
            item.own_wording,
            item.kind,
            item.note,
            item.assessment_return.local_signoff,
            item.assessment_return.status,
        ]
        for item in items
    ]


def csv_safe(value: str) -> str:
    return f"'{value}" if value.startswith(FORMULA_STARTS) else value


def write_csv(cycle: AssessmentCycle, out: TextIO) -> None:
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    writer.writerows([csv_safe(cell) for cell in row] for row in rows(cycle))


def csv_text(cycle: AssessmentCycle) -> str:
    out = io.StringIO()
    write_csv(cycle, out)
    return out.getvalue()


def xlsx_bytes(cycle: AssessmentCycle) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = f"Returns {cycle.label}"[:31]
    sheet.append(COLUMNS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows(cycle):
        # Control characters pasted into a note cannot be stored in a workbook at all.
        sheet.append([ILLEGAL_CHARACTERS_RE.sub("", cell) for cell in row])
        for cell in sheet[sheet.max_row]:
            # Text stays text: openpyxl would otherwise store "=..." as a live formula.
            cell.data_type = "s"
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def filename(cycle: AssessmentCycle, extension: str) -> str:
    return f"{cycle.agreement.slug}-returns-{cycle.label}.{extension}"
