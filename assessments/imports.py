"""Importing a cycle's returns from a CSV or XLSX file of the export's shape, all or nothing.

Every row is checked before anything is written; one bad row refuses the whole file, naming each
row and what is wrong with it. A partnership named in the file has its return replaced by the
file's rows (issues, local sign-off and status); a partnership not named keeps its return.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from openpyxl import load_workbook

from agreements.fields import CONTROL_CHARACTERS
from agreements.models import StaleEdit

from .exports import COLUMNS, FORMULA_STARTS
from .models import AssessmentCycle, AssessmentReturn, ReturnEvent, ReturnItem, shortened

# Every XLSX workbook is a zip archive, and a zip archive starts with these bytes.
XLSX_SIGNATURE = b"PK\x03\x04"

MAX_BYTES = 1_000_000
MAX_ROWS = 5_000
# A page lists this many of a refused file's errors, and counts the rest: a file of 5,000 bad rows
# would otherwise make a page of megabytes that helps nobody.
SHOWN_ERRORS = 100
IMPORTABLE_STATUSES = (
    AssessmentReturn.Status.DRAFT, AssessmentReturn.Status.SUBMITTED, AssessmentReturn.Status.ACCEPTED,
)


class ImportRefused(Exception):
    def __init__(self, errors: list[str]):
        self.errors = errors
        super().__init__("; ".join(errors))

    def first_errors(self) -> list[str]:
        """At most SHOWN_ERRORS errors, then how many more there were."""
        more = len(self.errors) - SHOWN_ERRORS
        if more <= 0:
            return self.errors
        return [*self.errors[:SHOWN_ERRORS],
                f"There {'is' if more == 1 else 'are'} {more:,} more {'error' if more == 1 else 'errors'} "
                f"after these: correct these rows and import the file again to see the rest."]


@dataclass
class ReturnPlan:
    assessment_return: AssessmentReturn
    first_row: int
    local_signoff: str
    status: str
    items: list[ReturnItem] = field(default_factory=list)
    categories: dict[int, int] = field(default_factory=dict)  # category id -> row number


def import_returns(cycle: AssessmentCycle, data: bytes, by) -> list[AssessmentReturn]:
    """Replaces the returns the file names, or raises ImportRefused having changed nothing."""
    plans = check(cycle, read(data))
    try:
        with transaction.atomic():
            return [apply(plan, by) for plan in plans]
    except StaleEdit as stale:
        raise ImportRefused([f"{stale.instance.partnership.name} changed its return during the import. "
                             "Nothing was imported: try again."]) from None


def read(data: bytes) -> list[list[str]]:
    if len(data) > MAX_BYTES:
        raise ImportRefused([f"The file is larger than {MAX_BYTES // 1_000_000} MB."])
    if data.startswith(XLSX_SIGNATURE):
        return read_xlsx(data)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportRefused(["The file is not UTF-8 text: save it as “CSV UTF-8” and try again."]) from None
    if "\x00" in text:
        raise ImportRefused(["The file contains null characters: it is not a CSV file."])
    reader = csv.reader(io.StringIO(text, newline=""))
    rows = []
    try:
        for row in reader:
            rows.append(row)
            if len(rows) > MAX_ROWS + 1:
                raise ImportRefused([f"The file has more than {MAX_ROWS} rows."])
    except csv.Error as error:
        raise ImportRefused([f"Row {reader.line_num}: cannot be read as CSV ({error})."]) from None
    return rows


def read_xlsx(data: bytes) -> list[list[str]]:
    """The first sheet's rows as text, as the CSV reader gives them; empty cells are empty strings."""
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError):
        raise ImportRefused(["The file is neither CSV text nor an XLSX workbook that can be opened."]) from None
    rows = []
    for row in workbook.worksheets[0].iter_rows(values_only=True):
        rows.append(["" if cell is None else str(cell) for cell in row])
        if len(rows) > MAX_ROWS + 1:
            raise ImportRefused([f"The file has more than {MAX_ROWS} rows."])
    workbook.close()
    # A sheet's rows are as wide as its widest row: the trailing empty cells are not columns.
    width = len(COLUMNS)
    return [row[:width] if not any(row[width:]) else row for row in rows]


def _choice(value: str, choices) -> str | None:
    """Accepts a choice's stored value or its label, in any case."""
    wanted = value.strip().casefold()
    for stored, label in choices:
        if wanted in (stored.casefold(), str(label).casefold()):
            return stored
    return None


def _uncell(value: str) -> str:
    """Undoes the apostrophe the export puts before a cell a spreadsheet would read as a formula."""
    value = value.strip()
    if value.startswith("'") and value[1:].startswith(FORMULA_STARTS):
        return value[1:]
    return value


def check(cycle: AssessmentCycle, rows: list[list[str]]) -> list[ReturnPlan]:
    if not rows:
        raise ImportRefused(["The file is empty."])
    if [cell.strip().casefold() for cell in rows[0]] != COLUMNS:
        raise ImportRefused([f"Row 1: the headings must be {', '.join(COLUMNS)}, in that order."])
    if cycle.version is not None and cycle.version.is_published:
        raise ImportRefused([f"The {cycle.label} cycle fed the published edition {cycle.version}: its returns are "
                             "kept as they were. Correct a return from its review page instead."])
    returns = returns_by_name(cycle)
    categories = {c.key: c for c in cycle.categories.all()}
    plans: dict[int, ReturnPlan] = {}
    errors: list[str] = []
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        problems = _check_row(cycle, row, returns, categories, plans, number)
        errors += [f"Row {number}: {problem}" for problem in problems]
    if not plans and not errors:
        errors.append("The file has no rows below the headings.")
    errors += [problem for plan in plans.values() if (problem := _changes_accepted(plan))]
    if errors:
        raise ImportRefused(errors)
    return list(plans.values())


def returns_by_name(cycle: AssessmentCycle) -> dict[str, AssessmentReturn]:
    """Each return under every name people type for its partnership, in any case: its full name,
    today's and the one it had in the cycle's year, each also without "Community Safety Partnership",
    its slug, and its districts' names, past and present."""
    returns = {}
    for r in cycle.returns.select_related("partnership").prefetch_related("partnership__districts",
                                                                          "partnership__former_names"):
        partnership = r.partnership
        then = partnership.name_in(cycle.year)
        names = [partnership.name, partnership.short_name, then, shortened(then), partnership.slug]
        for district in partnership.districts.all():
            names += [district.name, district.slug, district.former_name]
        returns.update((name.casefold(), r) for name in names if name)
    return returns


def _check_row(cycle, row, returns, categories, plans, number) -> list[str]:
    if len(row) != len(COLUMNS):
        return [f"has {len(row)} columns; it should have {len(COLUMNS)}."]
    partnership, key, name, own_wording, kind, note, signoff, status = (_uncell(cell) for cell in row)
    problems = []
    assessment_return = returns.get(partnership.casefold())
    if assessment_return is None:
        problems.append(f"“{partnership}” is not a partnership with a return in the {cycle.label} cycle.")
    category = categories.get(key) if key else None
    if key and category is None:
        problems.append(f"category key “{key}” is not on the {cycle.label} category list.")
    if category is not None and name and name.casefold() not in (category.name.casefold(), category.label.casefold()):
        problems.append(f"category name “{name}” contradicts key “{key}”, which is {category.name}: correct one of them.")
    if not key and not own_wording:
        problems.append("give a category key, or the issue in the partnership's own words.")
    max_wording = ReturnItem._meta.get_field("own_wording").max_length
    if len(own_wording) > max_wording:
        problems.append(f"the own wording is longer than {max_wording} characters.")
    max_note = ReturnItem._meta.get_field("note").max_length
    if len(note) > max_note:
        problems.append(f"the note is longer than {max_note} characters.")
    problems += [f"write the {what} on one line, without line breaks or other control characters."
                 for what, value in (("own wording", own_wording), ("note", note)) if CONTROL_CHARACTERS.search(value)]
    kind_value = _choice(kind, ReturnItem.Kind.choices)
    if kind_value is None:
        problems.append(f"class “{kind}” should be one of {', '.join(ReturnItem.Kind.values)}.")
    signoff_value = _choice(signoff, AssessmentReturn.LocalSignoff.choices)
    if signoff_value is None:
        problems.append(
            f"local sign-off “{signoff}” should be one of {', '.join(AssessmentReturn.LocalSignoff.values)}."
        )
    status_value = _choice(status, AssessmentReturn.Status.choices)
    if status_value not in IMPORTABLE_STATUSES:
        problems.append(
            f"status “{status}” should be one of {', '.join(IMPORTABLE_STATUSES)} "
            "(a return is returned for amendment from its review page, with a reason)."
        )
    if problems or assessment_return is None:
        return problems
    plan = plans.setdefault(
        assessment_return.pk, ReturnPlan(assessment_return, number, signoff_value, status_value)
    )
    if signoff_value != plan.local_signoff:
        problems.append(f"the local sign-off differs from row {plan.first_row}, for the same partnership.")
    if status_value != plan.status:
        problems.append(f"the status differs from row {plan.first_row}, for the same partnership.")
    if category is not None and category.pk in plan.categories:
        problems.append(f"category “{key}” is already given for this partnership in row {plan.categories[category.pk]}.")
    if not problems:
        if category is not None:
            plan.categories[category.pk] = number
        plan.items.append(ReturnItem(
            category=category, own_wording=own_wording, kind=kind_value, note=note, order=len(plan.items)
        ))
    return problems


def _issues(items) -> list[tuple]:
    return [(item.category_id, item.own_wording, item.kind, item.note) for item in items]


def _changes_accepted(plan: ReturnPlan) -> str | None:
    """An accepted return is kept as accepted (assessments.keeping): its rows may only repeat it,
    or record the local CSP's agreement that came later."""
    accepted = plan.assessment_return
    if accepted.status != AssessmentReturn.Status.ACCEPTED:
        return None
    signoff_kept = plan.local_signoff in (accepted.local_signoff, AssessmentReturn.LocalSignoff.AGREED)
    if plan.status == accepted.status and signoff_kept and _issues(plan.items) == _issues(accepted.items.all()):
        return None
    return (f"Row {plan.first_row}: the return of the {accepted.partnership.name} is accepted, so it is kept as "
            "accepted. Leave its rows out of the file, or correct it from its review page.")


def apply(plan: ReturnPlan, by) -> AssessmentReturn:
    assessment_return = AssessmentReturn.objects.select_for_update().get(pk=plan.assessment_return.pk)
    if assessment_return.revision != plan.assessment_return.revision:
        raise StaleEdit(assessment_return)
    # An accepted return's rows repeat it (see _changes_accepted): its issues stay as accepted.
    accepted = assessment_return.status == AssessmentReturn.Status.ACCEPTED
    if not accepted:
        for item in assessment_return.items.all():
            item.delete()
        for item in plan.items:
            item.assessment_return = assessment_return
            item.save()
    now = timezone.now()
    if plan.local_signoff != assessment_return.local_signoff:
        agreed = plan.local_signoff == AssessmentReturn.LocalSignoff.AGREED
        assessment_return.local_signoff = plan.local_signoff
        assessment_return.signoff_confirmed_by = by if agreed else None
        assessment_return.signoff_confirmed_at = now if agreed else None
    fields = ["local_signoff", "signoff_confirmed_by", "signoff_confirmed_at", "updated_at"]
    if not accepted:
        if plan.status == AssessmentReturn.Status.DRAFT:
            assessment_return.submitted_by, assessment_return.submitted_at = None, None
        elif assessment_return.submitted_at is None:
            assessment_return.submitted_by, assessment_return.submitted_at = by, now
        assessment_return.status = plan.status
        fields += ["submitted_by", "submitted_at", "status"]
    assessment_return.save(update_fields=fields)
    assessment_return.events.create(
        action=ReturnEvent.Action.IMPORTED, by=by, note=f"{len(plan.items)} issue(s), status {plan.status}."
    )
    return assessment_return
