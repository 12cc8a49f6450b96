"""A cycle's returns out as CSV and XLSX, and back in from CSV, all or nothing."""

import csv
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import transaction
from django.urls import reverse
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from assessments import exports
from assessments.imports import ImportRefused, import_returns, returns_by_name
from assessments.models import AssessmentCycle, ReturnEvent, ReturnItem

from .test_portal import snapshot

HEADER = ",".join(exports.COLUMNS)


def state(cycle):
    """Every return of the cycle as it stands, to prove a refused import changed nothing."""
    return [snapshot(r) for r in cycle.returns.order_by("pk")]


@pytest.fixture
def cycle_2023(kent):
    return AssessmentCycle.objects.get(label="2023-24")


@pytest.fixture
def kcst_client(client, kcst):
    client.force_login(kcst)
    return client


def test_the_csv_export_has_one_row_per_issue(kcst_client, cycle_2023):
    response = kcst_client.get(reverse("portal:export-csv", args=[cycle_2023.pk]))
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="kent-returns-2023-24.csv"' in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == exports.COLUMNS
    assert len(rows) - 1 == ReturnItem.objects.filter(assessment_return__cycle=cycle_2023).count()
    assert rows[1] == ["Ashford Community Safety Partnership", "asb-environmental",
                       "Anti-Social Behaviour (ASB) / Environmental", "", "main", "", "agreed", "accepted"]


def test_the_xlsx_export_has_the_same_rows(kcst_client, cycle_2023):
    response = kcst_client.get(reverse("portal:export-xlsx", args=[cycle_2023.pk]))
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = [[cell or "" for cell in row] for row in sheet.iter_rows(values_only=True)]
    assert rows == [exports.COLUMNS, *exports.rows(cycle_2023)]


def test_the_command_writes_the_same_export(cycle_2023, tmp_path, capsys):
    out = io.StringIO()
    call_command("export_returns", "2023-24", "--format", "csv", stdout=out)
    assert out.getvalue().replace("\r\n", "\n") == exports.csv_text(cycle_2023).replace("\r\n", "\n")
    call_command("export_returns", "2023-24", "--format", "xlsx", "--out", str(tmp_path / "r.xlsx"),
                 stderr=io.StringIO())
    sheet = openpyxl.load_workbook(tmp_path / "r.xlsx").active
    assert sheet.max_row == len(exports.rows(cycle_2023)) + 1
    with pytest.raises(CommandError, match="--out"):
        call_command("export_returns", "2023-24", "--format", "xlsx")
    with pytest.raises(CommandError, match="no 1999-00 cycle"):
        call_command("export_returns", "1999-00")


def test_text_a_spreadsheet_would_run_as_a_formula_stays_text(kcst_client, ashford_return):
    ReturnItem.objects.create(assessment_return=ashford_return, own_wording='=HYPERLINK("http://x","y")',
                              kind="main", note="@SUM(1)")
    cycle = ashford_return.cycle
    text = kcst_client.get(reverse("portal:export-csv", args=[cycle.pk])).content.decode()
    assert "'=HYPERLINK" in text and "'@SUM(1)" in text
    sheet = openpyxl.load_workbook(io.BytesIO(kcst_client.get(reverse("portal:export-xlsx", args=[cycle.pk])).content)).active
    assert all(cell.data_type == "s" for row in sheet.iter_rows(min_row=2) for cell in row if cell.value)
    # And the apostrophe comes off again on import.
    import_returns(cycle, text.encode(), by=None)
    assert ashford_return.items.get().own_wording == '=HYPERLINK("http://x","y")'


def test_an_apostrophe_opening_plain_text_is_kept(ashford_return):
    data = f"{HEADER}\nAshford,,,'County lines' exploitation,main,,agreed,submitted".encode()
    import_returns(ashford_return.cycle, data, by=None)
    assert ashford_return.items.get().own_wording == "'County lines' exploitation"


def test_exporting_and_importing_a_cycle_changes_nothing_it_counts(cycle_2023, kcst):
    from assessments.aggregation import appendix_a

    before = appendix_a(cycle_2023).rows
    items_before = sorted(exports.rows(cycle_2023))
    imported = import_returns(cycle_2023, exports.csv_text(cycle_2023).encode(), kcst)
    assert len(imported) == 12
    assert appendix_a(cycle_2023).rows == before
    assert sorted(exports.rows(cycle_2023)) == items_before
    assert ReturnEvent.objects.filter(action="imported", by=kcst).count() == 12


def test_an_import_replaces_the_named_partnerships_returns_only(kcst_client, kcst, ashford_return, canterbury_return):
    ReturnItem.objects.create(assessment_return=ashford_return, own_wording="Old issue", kind="main")
    ReturnItem.objects.create(assessment_return=canterbury_return, own_wording="Untouched", kind="main")
    before_canterbury = snapshot(canterbury_return)
    data = "\n".join([
        HEADER,
        "Ashford Community Safety Partnership,domestic-abuse,Domestic Abuse,,main,Top,agreed,submitted",
        "ashford,,,Cost of living,Issue within a broader theme,,Agreed by the local CSP,submitted",
    ])
    response = kcst_client.post(reverse("portal:import", args=[ashford_return.cycle_id]),
                                {"file": SimpleUploadedFile("returns.csv", data.encode())})
    assert response.status_code == 302
    ashford_return.refresh_from_db()
    assert [(i.category.key if i.category else "", i.own_wording, i.kind, i.note)
            for i in ashford_return.items.all()] == [
        ("domestic-abuse", "", "main", "Top"), ("", "Cost of living", "within_theme", ""),
    ]
    assert (ashford_return.local_signoff, ashford_return.signoff_confirmed_by) == ("agreed", kcst)
    assert (ashford_return.status, ashford_return.submitted_by) == ("submitted", kcst)
    assert snapshot(canterbury_return) == before_canterbury


def test_an_import_records_who_signed_off_and_submitted_and_when_and_takes_it_back_for_a_draft(kcst, ashford_return):
    cycle = ashford_return.cycle
    submitted = "\n".join([HEADER, "Ashford,crime,,,main,,agreed,submitted", "Ashford,vawg,,,main,,agreed,submitted"])
    import_returns(cycle, submitted.encode(), kcst)
    ashford_return.refresh_from_db()
    first_submitted_at = ashford_return.submitted_at
    assert (ashford_return.status, ashford_return.submitted_by, ashford_return.signoff_confirmed_by) == (
        "submitted", kcst, kcst)
    assert first_submitted_at is not None and ashford_return.signoff_confirmed_at is not None
    # The issues keep the file's order.
    assert [(i.category.key, i.order) for i in ashford_return.items.all()] == [("crime", 0), ("vawg", 1)]
    event = ashford_return.events.last()
    assert (event.action, event.by, event.note) == ("imported", kcst, "2 issue(s), status submitted.")

    # The same file again: still submitted when it first was.
    import_returns(cycle, submitted.encode(), kcst)
    ashford_return.refresh_from_db()
    assert ashford_return.submitted_at == first_submitted_at

    import_returns(cycle, f"{HEADER}\nAshford,crime,,,main,,provisional,draft".encode(), kcst)
    ashford_return.refresh_from_db()
    assert (ashford_return.status, ashford_return.submitted_by, ashford_return.submitted_at) == ("draft", None, None)
    assert (ashford_return.local_signoff, ashford_return.signoff_confirmed_by, ashford_return.signoff_confirmed_at) == (
        "provisional", None, None)
    assert ashford_return.events.last().note == "1 issue(s), status draft."


BAD_FILE = "\n".join([
    HEADER,
    "Ashford Community Safety Partnership,domestic-abuse,Domestic Abuse,,main,,agreed,accepted",   # row 2: fine
    "Nowhere CSP,domestic-abuse,Domestic Abuse,,main,,agreed,accepted",                            # row 3
    "ashford,no-such-key,,,main,,agreed,accepted",                                                  # row 4
    "ashford,,,,main,,agreed,accepted",                                                             # row 5
    "ashford,crime,Crime,,top,,agreed,accepted",                                                    # row 6
    "ashford,vawg,,,main,,agreed,returned",                                                         # row 7
    "ashford,domestic-abuse,,,main,,agreed,accepted",                                               # row 8
    "ashford,road-safety,,,main,,provisional,accepted",                                             # row 9
    "ashford,road-safety",                                                                          # row 10
])


def test_one_bad_row_rejects_the_whole_file_listing_each_row(kcst_client, ashford_return):
    cycle = ashford_return.cycle
    before = state(cycle)
    response = kcst_client.post(reverse("portal:import", args=[cycle.pk]),
                                {"file": SimpleUploadedFile("bad.csv", BAD_FILE.encode())})
    page = response.content.decode()
    assert page.split("<title>")[1].startswith("Error: ")
    expected = [
        "Row 3: “Nowhere CSP” is not a partnership with a return in the 2024-25 cycle.",
        "Row 4: category key “no-such-key” is not on the 2024-25 category list.",
        "Row 5: give a category key, or the issue in the partnership&#x27;s own words.",
        "Row 6: class “top” should be one of main, cross_cutting, within_theme.",
        "Row 7: status “returned” should be one of draft, submitted, accepted",
        "Row 8: category “domestic-abuse” is already given for this partnership in row 2.",
        "Row 9: the local sign-off differs from row 2, for the same partnership.",
        "Row 10: has 2 columns; it should have 8.",
    ]
    for message in expected:
        assert message in page, message
    assert "Row 2" not in page
    assert state(cycle) == before


def test_a_file_of_5000_bad_rows_lists_the_first_100_and_counts_the_rest(kcst_client, ashford_return):
    cycle = ashford_return.cycle
    before = state(cycle)
    bad_rows = "\n".join(f"ashford,road-safety,{n}" for n in range(5_000))
    response = kcst_client.post(reverse("portal:import", args=[cycle.pk]),
                                {"file": SimpleUploadedFile("bad.csv", f"{HEADER}\n{bad_rows}".encode())})
    page = response.content.decode()
    assert response.status_code == 200 and len(response.content) < 100_000
    assert "Row 101: has 3 columns; it should have 8." in page
    assert "Row 102:" not in page
    assert "There are 4,900 more errors after these" in page
    assert state(cycle) == before


def test_a_refusal_with_one_more_error_than_shown_says_so():
    refusal = ImportRefused([f"Row {n}: wrong." for n in range(2, 103)])
    assert refusal.first_errors()[-2:] == [
        "Row 101: wrong.", "There is 1 more error after these: correct these rows and import the file again to see the rest."
    ]
    assert len(ImportRefused(["Row 2: wrong."] * 100).first_errors()) == 100
    # As a log or a traceback shows it: every error, one after the other.
    assert str(ImportRefused(["Row 2: wrong.", "Row 3: wrong."])) == "Row 2: wrong.; Row 3: wrong."


def many_rows_workbook(rows: int) -> bytes:
    book = openpyxl.Workbook()
    for _ in range(rows):
        book.active.append(["ashford", "road-safety"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.mark.parametrize("data, message", [
    (b"", "The file is empty."),
    (HEADER.encode(), "The file has no rows below the headings."),
    (b"name,count\nA,1", "Row 1: the headings must be partnership, category key, category name, own wording, "
                         "class, note, local sign-off, status, in that order."),
    ("\ufeffpartnership\n".encode("utf-16"), "The file is not UTF-8 text: save it as “CSV UTF-8” and try again."),
    (b"a,b\x00c", "The file contains null characters: it is not a CSV file."),
    (b"x" * 1_000_001, "The file is larger than 1 MB."),
    (b"ashford\n" * 5_002, "The file has more than 5000 rows."),
    (many_rows_workbook(5_002), "The file has more than 5000 rows."),
    (b'"' + b"x" * 200_000, "Row 1: cannot be read as CSV (field larger than field limit (131072))."),
])
def test_files_that_are_not_returns_are_refused(ashford_return, data, message):
    before = state(ashford_return.cycle)
    with pytest.raises(ImportRefused) as refusal:
        import_returns(ashford_return.cycle, data, by=None)
    assert refusal.value.errors == [message]
    assert state(ashford_return.cycle) == before


@pytest.mark.parametrize("rows, message", [
    (["Ashford,,,{},main,,agreed,submitted".format("x" * 201)],
     "Row 2: the own wording is longer than 200 characters."),
    (["Ashford,road-safety,,,main,{},agreed,submitted".format("x" * 501)],
     "Row 2: the note is longer than 500 characters."),
    (["Ashford,road-safety,,,main,Top\x0bpriority,agreed,submitted"],
     "Row 2: write the note on one line, without line breaks or other control characters."),
    # A row's problems stop it there: the next row of the same partnership is not compared with it.
    (["Ashford,road-safety,,,main,,maybe,submitted", "Ashford,crime,,,main,,agreed,submitted"],
     "Row 2: local sign-off “maybe” should be one of provisional, agreed."),
    (["Ashford,road-safety,,,main,,agreed,returned"],
     "Row 2: status “returned” should be one of draft, submitted, accepted "
     "(a return is returned for amendment from its review page, with a reason)."),
    (["Ashford,road-safety,,,main,,agreed,draft", "Ashford,crime,,,main,,agreed,submitted"],
     "Row 3: the status differs from row 2, for the same partnership."),
])
def test_each_row_error_is_named_in_full_and_nothing_is_imported(ashford_return, rows, message):
    before = state(ashford_return.cycle)
    with pytest.raises(ImportRefused) as refusal:
        import_returns(ashford_return.cycle, "\n".join([HEADER, *rows]).encode(), by=None)
    assert refusal.value.errors == [message]
    assert state(ashford_return.cycle) == before


def test_a_blank_line_between_rows_is_skipped_and_a_file_of_1_mb_is_read(ashford_return):
    rows = f"{HEADER}\nAshford,crime,,,main,,agreed,submitted\n\nAshford,vawg,,,main,,agreed,submitted\n"
    padding = 1_000_000 - len(rows.encode())  # lines of spaces are blank rows too
    data = rows.encode() + (b" " * 299 + b"\n") * (padding // 300) + b" " * (padding % 300)
    assert len(data) == 1_000_000
    [imported] = import_returns(ashford_return.cycle, data, by=None)
    assert [i.category.key for i in imported.items.all()] == ["crime", "vawg"]


def test_wording_and_a_note_at_their_longest_are_imported(ashford_return):
    data = f"{HEADER}\nAshford,,,{'w' * 200},main,{'n' * 500},agreed,submitted".encode()
    [imported] = import_returns(ashford_return.cycle, data, by=None)
    assert [(len(i.own_wording), len(i.note)) for i in imported.items.all()] == [(200, 500)]


def test_the_names_of_every_partnership_are_read_in_a_fixed_number_of_queries(
    ashford_return, django_assert_num_queries
):
    # The returns with their partnerships, then the districts and the former names of all of them.
    with django_assert_num_queries(3):
        names = returns_by_name(ashford_return.cycle)
    assert names["tunbridge wells"].partnership.slug == "tunbridge-wells"


def test_a_cycle_that_fed_a_published_edition_takes_no_import(kent, kcst):
    cycle = kent.cycles.get(label="2017-18")
    before = state(cycle)
    with pytest.raises(ImportRefused) as refusal:
        import_returns(cycle, exports.csv_text(cycle).encode(), kcst)
    assert refusal.value.errors == [
        "The 2017-18 cycle fed the published edition Kent Community Safety Agreement (kent) 1.0, April 2017: its "
        "returns are kept as they were. Correct a return from its review page instead."
    ]
    assert state(cycle) == before


def test_the_import_command_is_all_or_nothing_too(ashford_return, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text(BAD_FILE, encoding="utf-8")
    before = state(ashford_return.cycle)
    with pytest.raises(CommandError) as refusal:
        call_command("import_returns", "2024-25", str(path))
    assert "Nothing was imported" in str(refusal.value) and "Row 10:" in str(refusal.value)
    assert state(ashford_return.cycle) == before
    good = tmp_path / "good.csv"
    good.write_text(f"{HEADER}\nashford,crime,,,main,,provisional,draft\n", encoding="utf-8")
    out = io.StringIO()
    call_command("import_returns", "2024-25", str(good), stdout=out)
    assert "Imported Ashford Community Safety Partnership: 1 issue(s)" in out.getvalue()


def test_an_import_racing_an_officers_change_imports_nothing(ashford_return, officer_a, monkeypatch):
    from assessments import imports

    real_check = imports.check

    def check_then_officer_edits(cycle, rows):
        plans = real_check(cycle, rows)
        ashford_return.save_part(ReturnItem(assessment_return=ashford_return, own_wording="Mine", kind="main"),
                                 ashford_return.revision)
        return plans

    monkeypatch.setattr(imports, "check", check_then_officer_edits)
    data = f"{HEADER}\nashford,crime,,,main,,provisional,draft\ncanterbury,crime,,,main,,provisional,draft\n"
    with pytest.raises(ImportRefused) as refusal:
        import_returns(ashford_return.cycle, data.encode(), by=None)
    assert refusal.value.errors == ["Ashford Community Safety Partnership changed its return during the import. "
                                    "Nothing was imported: try again."]
    assert list(ashford_return.items.values_list("own_wording", flat=True)) == ["Mine"]
    assert not ashford_return.cycle.returns.get(partnership__slug="canterbury").items.exists()


CELLS = st.one_of(
    st.sampled_from(["ashford", "nowhere", "crime", "no-such-key", "main", "top", "agreed", "returned", "",
                     "'=1+1", "x" * 501]),
    st.text(max_size=12),
)
PARTNERSHIPS = {"ashford": "ashford", "canterbury community safety partnership": "canterbury"}


@st.composite
def csv_rows(draw) -> list[list[str]]:
    """Mostly well-formed rows, now and then one spoiled or cut short, so both outcomes happen often."""
    signoff = {p: draw(st.sampled_from(["agreed", "provisional"])) for p in PARTNERSHIPS}
    status = {p: draw(st.sampled_from(["draft", "submitted", "accepted"])) for p in PARTNERSHIPS}
    rows = []
    for _ in range(draw(st.integers(0, 4))):
        partnership = draw(st.sampled_from(["ashford", "Canterbury Community Safety Partnership"]))
        key = partnership.casefold()
        row = [
            partnership,
            draw(st.sampled_from(["crime", "vawg", "road-safety", "domestic-abuse", ""])),
            "",
            draw(st.sampled_from(["", "Cost of living", "'=1+1"])),
            draw(st.sampled_from(ReturnItem.Kind.values)),
            draw(st.text(max_size=10)),
            signoff[key],
            status[key],
        ]
        if draw(st.integers(0, 5)) == 0:
            row[draw(st.integers(0, 7))] = draw(CELLS)
        if draw(st.integers(0, 15)) == 0:
            row = row[: draw(st.integers(0, 8))]
        rows.append(row)
    return rows


def uncell(value: str) -> str:
    value = value.strip()
    return value[1:] if value.startswith("'") and value[1:2] in ("=", "+", "-", "@") and value[1:] else value


def expected_returns(rows) -> dict[str, tuple]:
    """What an accepted file says each partnership's return becomes."""
    found = {}
    for row in rows:
        if not any(cell.strip() for cell in row):
            continue
        slug = PARTNERSHIPS[row[0].strip().casefold()]
        items, *_ = found.setdefault(slug, ([], row[6].strip(), row[7].strip()))
        items.append((row[1].strip(), uncell(row[3]), row[4].strip()))
    return found


def actual_return(r) -> tuple:
    items = [(i.category.key if i.category else "", i.own_wording, i.kind)
             for i in r.items.select_related("category")]
    return items, r.local_signoff, r.status


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=csv_rows(), header=st.integers(0, 9), raw=st.binary(max_size=40), use_raw=st.integers(0, 9))
def test_random_csv_never_errors_and_never_half_imports(kcst_client, ashford_return, rows, header, raw, use_raw):
    cycle = ashford_return.cycle
    if use_raw == 0:
        data = raw
    else:
        out = io.StringIO()
        csv.writer(out).writerows(([exports.COLUMNS] if header else []) + rows)
        data = out.getvalue().encode()
    with transaction.atomic():
        before = {r.partnership.slug: snapshot(r) for r in cycle.returns.select_related("partnership")}
        response = kcst_client.post(reverse("portal:import", args=[cycle.pk]),
                                    {"file": SimpleUploadedFile("random.csv", data)})
        assert response.status_code in (200, 302)
        event("imported" if response.status_code == 302 else "refused")  # Shown by --hypothesis-show-statistics.
        after = {r.partnership.slug: r for r in cycle.returns.select_related("partnership")}
        if response.status_code == 200:
            assert response.content.decode().split("<title>")[1].startswith("Error: ")
            assert {slug: snapshot(r) for slug, r in after.items()} == before
        else:
            expected = expected_returns(rows)
            for slug, r in after.items():
                if slug in expected:
                    assert actual_return(r) == expected[slug]
                else:
                    assert snapshot(r) == before[slug]
        transaction.set_rollback(True)


def test_a_failure_after_the_first_partnership_is_written_imports_nothing(kcst, ashford_return, canterbury_return,
                                                                          monkeypatch):
    from django.db import DatabaseError

    from assessments import imports

    before = state(ashford_return.cycle)
    applied = []
    original_apply = imports.apply

    def apply_then_fail(plan, by):
        if applied:
            raise DatabaseError("the connection was lost")
        applied.append(original_apply(plan, by))  # the first partnership's return is written
        return applied[-1]

    monkeypatch.setattr(imports, "apply", apply_then_fail)
    data = "\n".join([
        HEADER,
        "ashford,domestic-abuse,Domestic Abuse,,main,,agreed,submitted",
        "canterbury,vawg,,,main,,agreed,submitted",
    ])
    with pytest.raises(DatabaseError):
        import_returns(ashford_return.cycle, data.encode(), kcst)
    assert len(applied) == 1
    assert state(ashford_return.cycle) == before
    assert not ReturnEvent.objects.filter(action=ReturnEvent.Action.IMPORTED).exists()
