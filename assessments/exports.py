"""A cycle's tables: its returns, one row per issue; Appendix A; the district-by-category matrix.

Each table has the same rows whether it is written as CSV or XLSX, from a page or by the command.
"""

from __future__ import annotations

import csv
import io
from typing import TextIO

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

from . import aggregation
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
        .prefetch_related("assessment_return__partnership__former_names")
        .order_by("assessment_return__partnership__name", "order", "pk")
    )
    return [
        [
            # The name of that year, which the import takes back.
            item.assessment_return.partnership.name_in(cycle.year),
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


def appendix_a_rows(cycle: AssessmentCycle) -> list[list[str]]:
    """The page's Appendix A table, in its order: most CSPs first, ties in the category list's order."""
    return [[row.label, str(row.csps)] for row in aggregation.appendix_a(cycle).rows]


def matrix_columns(cycle: AssessmentCycle) -> list[str]:
    return ["issue", *aggregation.matrix(cycle).headings]


def matrix_rows(cycle: AssessmentCycle) -> list[list[str]]:
    """One row per category, one column per CSP, the class in words: no colour to lose in print."""
    kind_label = dict(ReturnItem.Kind.choices)
    return [[category.name, *(kind_label.get(mark, "") for mark in marks)]
            for category, marks in aggregation.matrix(cycle).rows()]


# Each table by the name pages and the command use: its headings and its rows.
TABLES = {
    "returns": (lambda cycle: COLUMNS, rows),
    "appendix-a": (lambda cycle: ["priority", "no. of CSPs"], appendix_a_rows),
    "matrix": (matrix_columns, matrix_rows),
}


def table(cycle: AssessmentCycle, name: str) -> tuple[list[str], list[list[str]]]:
    columns, body = TABLES[name]
    return columns(cycle), body(cycle)


def csv_safe(value: str) -> str:
    return f"'{value}" if value.startswith(FORMULA_STARTS) else value


def write_csv(cycle: AssessmentCycle, out: TextIO, name: str = "returns") -> None:
    columns, body = table(cycle, name)
    writer = csv.writer(out)
    writer.writerow(columns)
    writer.writerows([csv_safe(cell) for cell in row] for row in body)


def csv_text(cycle: AssessmentCycle, name: str = "returns") -> str:
    out = io.StringIO()
    write_csv(cycle, out, name)
    return out.getvalue()


def xlsx_bytes(cycle: AssessmentCycle, name: str = "returns") -> bytes:
    columns, body = table(cycle, name)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = f"{name.capitalize()} {cycle.label}"[:31]
    sheet.append(columns)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in body:
        # Control characters pasted into a note cannot be stored in a workbook at all.
        sheet.append([ILLEGAL_CHARACTERS_RE.sub("", cell) for cell in row])
        for cell in sheet[sheet.max_row]:
            # Text stays text: openpyxl would otherwise store "=..." as a live formula.
            cell.data_type = "s"
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def filename(cycle: AssessmentCycle, extension: str, name: str = "returns") -> str:
    return f"{cycle.agreement.slug}-{name}-{cycle.label}.{extension}"
