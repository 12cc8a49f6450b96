"""The import takes XLSX as well as CSV, partnerships as people type them, and checks category names."""

import io
import zipfile

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assessments import exports
from assessments.imports import ImportRefused, import_returns

from .test_returns_export_import import HEADER, state


def workbook(rows) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    for row in [exports.COLUMNS, *rows]:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def issues(assessment_return):
    return [(i.category.key, i.kind) for i in assessment_return.items.all()]


def test_an_xlsx_file_imports_like_the_csv(client, kcst, ashford_return):
    client.force_login(kcst)
    data = workbook([["Ashford", "domestic-abuse", "Domestic Abuse", None, "main", None, "agreed", "submitted"]])
    response = client.post(reverse("portal:import", args=[ashford_return.cycle_id]),
                           {"file": SimpleUploadedFile("returns.xlsx", data)})
    assert response.status_code == 302
    ashford_return.refresh_from_db()
    assert issues(ashford_return) == [("domestic-abuse", "main")]
    assert ashford_return.status == "submitted"


def test_a_bad_xlsx_file_names_its_rows_and_imports_nothing(client, kcst, ashford_return):
    client.force_login(kcst)
    before = state(ashford_return.cycle)
    data = workbook([
        ["Ashford", "domestic-abuse", None, None, "main", None, "agreed", "submitted"],
        ["Nowhere", "domestic-abuse", None, None, "main", None, "agreed", "submitted"],
    ])
    response = client.post(reverse("portal:import", args=[ashford_return.cycle_id]),
                           {"file": SimpleUploadedFile("returns.xlsx", data)})
    page = response.content.decode()
    assert "Row 3: “Nowhere” is not a partnership with a return in the 2024-25 cycle." in page
    assert "UTF-8" not in page
    assert state(ashford_return.cycle) == before


def test_a_stray_cell_right_of_the_table_refuses_its_row_only_as_a_ninth_column(ashford_return):
    before = state(ashford_return.cycle)
    data = workbook([
        ["Ashford", "domestic-abuse", None, None, "main", None, "agreed", "submitted"],
        ["Ashford", "crime", None, None, "main", None, "agreed", "submitted", None, "checked by JB"],
    ])
    with pytest.raises(ImportRefused) as refusal:
        import_returns(ashford_return.cycle, data, by=None)
    assert refusal.value.errors == ["Row 3: has 10 columns; it should have 8."]
    assert state(ashford_return.cycle) == before


def as_saved_by_a_spreadsheet(data: bytes, formula: str, value: str) -> bytes:
    """The workbook with the value a spreadsheet program shows for the formula kept beside it, as
    Excel saves it (openpyxl writes the formula alone)."""
    source, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w") as copy:
        for name in source.namelist():
            content = source.read(name)
            if name == "xl/worksheets/sheet1.xml":
                content = content.replace(f"<f>{formula}</f><v></v>".encode(),
                                          f'<f>{formula}</f><v>{value}</v>'.encode()).replace(
                    b"<c r=\"E2\">", b'<c r="E2" t="str">')
            copy.writestr(name, content)
    return out.getvalue()


def test_a_formula_imports_as_the_value_the_spreadsheet_shows(ashford_return):
    data = workbook([["Ashford", "domestic-abuse", None, None, '=LOWER("MAIN")', None, "agreed", "submitted"]])
    [imported] = import_returns(ashford_return.cycle, as_saved_by_a_spreadsheet(data, 'LOWER("MAIN")', "main"),
                                by=None)
    assert issues(imported) == [("domestic-abuse", "main")]


@pytest.mark.parametrize("excel", [False, True])
def test_a_file_of_exactly_5000_rows_is_read_to_its_last_row(ashford_return, excel):
    rows = [["ashford"]] * 5_000
    data = workbook(rows) if excel else "\n".join([HEADER, *(row[0] for row in rows)]).encode()
    with pytest.raises(ImportRefused) as refusal:
        import_returns(ashford_return.cycle, data, by=None)
    assert refusal.value.errors[0].startswith("Row 2: ") and refusal.value.errors[-1].startswith("Row 5001: ")


def test_a_damaged_workbook_is_refused_plainly(ashford_return):
    with pytest.raises(ImportRefused) as refusal:
        import_returns(ashford_return.cycle, b"PK\x03\x04 not really a workbook", by=None)
    assert refusal.value.errors == ["The file is neither CSV text nor an XLSX workbook that can be opened."]


@pytest.mark.parametrize("typed, slug", [
    ("Tunbridge Wells", "tunbridge-wells"),
    ("tunbridge wells community safety partnership", "tunbridge-wells"),
    ("SHEPWAY", "folkestone-hythe"),
    ("Folkestone and Hythe", "folkestone-hythe"),
])
def test_partnerships_are_found_by_the_names_people_type(ashford_return, kcst, typed, slug):
    data = f"{HEADER}\n{typed},road-safety,,,main,,provisional,draft".encode()
    [imported] = import_returns(ashford_return.cycle, data, kcst)
    assert imported.partnership.slug == slug
    assert issues(imported) == [("road-safety", "main")]


def test_a_category_name_contradicting_its_key_is_a_row_error(ashford_return):
    before = state(ashford_return.cycle)
    data = "\n".join([
        HEADER,
        "Ashford,domestic-abuse,domestic abuse,,main,,agreed,submitted",
        "Ashford,road-safety,Domestic Abuse,,main,,agreed,submitted",
    ]).encode()
    with pytest.raises(ImportRefused) as refusal:
        import_returns(ashford_return.cycle, data, by=None)
    assert refusal.value.errors == [
        "Row 3: category name “Domestic Abuse” contradicts key “road-safety”, which is Road Safety: correct one of them."
    ]
    assert state(ashford_return.cycle) == before
