"""A year entered as it was (2016-17: 11 CSPs, one joint, Folkestone and Hythe still Shepway) and compared truthfully."""

import csv
import datetime
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from assessments import exports
from assessments.aggregation import year_on_year
from assessments.cycles import open_cycle
from assessments.models import Category, District, Partnership

from .conftest import make_officer
from .test_returns_export_import import HEADER

# The 2016-17 list in the order KCST gave it: Troubled Families before Preventing Fires, against the alphabet.
CATEGORIES = [("domestic-abuse", "Domestic Abuse"), ("prevent", "Prevent"), ("gangs", "Gangs"),
              ("troubled-families", "Troubled Families"), ("preventing-fires", "Preventing Fires")]

CSV_ROWS = [
    "Shepway,troubled-families,Troubled Families,,main,,agreed,accepted",
    "shepway community safety partnership,domestic-abuse,,,main,,agreed,accepted",
    "Dartford and Gravesham,gangs,,,main,,agreed,accepted",
    "dartford and gravesham,preventing-fires,,,cross_cutting,,agreed,accepted",
]
XLSX_ROWS = [
    [name, "domestic-abuse", "Domestic Abuse", None, "main", None, "agreed", "accepted"]
    for name in ("Dover", "Maidstone", "Sevenoaks", "Swale", "Thanet", "Tonbridge and Malling", "tunbridge wells")
] + [["Dover", "prevent", None, None, "within_theme", None, "agreed", "accepted"],
     ["Maidstone", "prevent", None, None, "main", None, "agreed", "accepted"]]

APPENDIX_A = [["Domestic Abuse", "9"], ["Prevent", "4"], ["Gangs", "2"], ["Troubled Families", "1"],
              ["Preventing Fires", "1"]]
MATRIX_COLUMNS = ["issue", "Ashford", "Canterbury", "Dartford and Gravesham", "Dover", "Shepway (now Folkestone and Hythe)",
                  "Maidstone", "Sevenoaks", "Swale", "Thanet", "Tonbridge and Malling", "Tunbridge Wells"]


def xlsx(rows) -> bytes:
    book = openpyxl.Workbook()
    for row in [exports.COLUMNS, *rows]:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def through_the_portal(officer, assessment_return, issues):
    client = Client()
    client.force_login(officer)
    for key, kind in issues:
        assessment_return.refresh_from_db()
        client.post(reverse("portal:item-add", args=[assessment_return.pk]), {
            "revision": assessment_return.revision, "category": assessment_return.cycle.categories.get(key=key).pk,
            "kind": kind,
        })
    assessment_return.refresh_from_db()
    client.post(reverse("portal:check", args=[assessment_return.pk]), {"revision": assessment_return.revision})
    assessment_return.refresh_from_db()
    assert assessment_return.status == "submitted"


def accept(kcst_client, assessment_return):
    assessment_return.refresh_from_db()
    kcst_client.post(reverse("portal:accept", args=[assessment_return.pk]), {"revision": assessment_return.revision})


def import_file(kcst_client, cycle, name, data):
    response = kcst_client.post(reverse("portal:import", args=[cycle.pk]), {"file": SimpleUploadedFile(name, data)})
    assert response.status_code == 302, response.content.decode()


def table_from(kcst_client, cycle, table, extension):
    response = kcst_client.get(reverse(f"portal:table-{extension}", args=[cycle.pk, table]))
    if extension == "csv":
        return list(csv.reader(io.StringIO(response.content.decode())))
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    return [[str(cell) if cell is not None else "" for cell in row] for row in sheet.iter_rows(values_only=True)]


@pytest.fixture
def year_2016(client, kent, kcst):
    # Kent's data holds the split year (Dartford and Gravesham begin in 2018) and Shepway's name until 2017-18.
    cycle = open_cycle(kent, "2016-17", due_on=datetime.date(2017, 1, 31), opens_on=datetime.date(2016, 11, 1),
                       categories_from=None)
    for order, (key, name) in enumerate(CATEGORIES):
        Category.objects.create(cycle=cycle, key=key, name=name, order=order)
    client.force_login(kcst)
    ashford, canterbury = (cycle.returns.get(partnership__slug=slug) for slug in ("ashford", "canterbury"))
    through_the_portal(make_officer("ashford"), ashford, [("domestic-abuse", "main"), ("prevent", "cross_cutting")])
    through_the_portal(make_officer("canterbury"), canterbury, [("prevent", "main"), ("gangs", "within_theme")])
    accept(client, ashford)
    accept(client, canterbury)
    import_file(client, cycle, "2016-17.csv", "\n".join([HEADER, *CSV_ROWS]).encode())
    import_file(client, cycle, "2016-17.xlsx", xlsx(XLSX_ROWS))
    return cycle


def test_a_year_entered_as_it_was_gives_its_appendix_a(client, year_2016):
    assert year_2016.returns.count() == 11
    assert year_2016.returns.filter(status="accepted").count() == 11
    assert not any(r.is_late for r in year_2016.returns.all())
    page = client.get(reverse("portal:appendix-a", args=[year_2016.pk]))
    assert [[row.label, str(row.csps)] for row in page.context["appendix"].rows] == APPENDIX_A
    matrix = page.context["matrix"]
    assert ["issue", *matrix.headings] == MATRIX_COLUMNS
    html = page.content.decode()
    for extension in ("csv", "xlsx"):
        assert table_from(client, year_2016, "appendix-a", extension) == [["priority", "no. of CSPs"], *APPENDIX_A]
        matrix_file = table_from(client, year_2016, "matrix", extension)
        assert matrix_file[0] == MATRIX_COLUMNS
        assert [row[0] for row in matrix_file[1:]] == [name for _, name in CATEGORIES]
        assert matrix_file[1][1] == "Main priority" and matrix_file[2][1] == "Cross-cutting theme or subsidiary priority"
        assert all(f"<th scope=\"col\">{column}</th>" in html for column in MATRIX_COLUMNS[1:])
    out = io.StringIO()
    call_command("export_returns", "2016-17", "--table", "appendix-a", stdout=out)
    assert out.getvalue().replace("\r\n", "\n") == exports.csv_text(year_2016, "appendix-a").replace("\r\n", "\n")


def test_the_year_shows_each_partnership_by_the_name_it_had_then(client, year_2016):
    shepway = year_2016.returns.get(partnership__slug="folkestone-hythe")
    then_and_now = "Shepway Community Safety Partnership (now Folkestone and Hythe Community Safety Partnership)"
    assert then_and_now in client.get(reverse("portal:cycle", args=[year_2016.pk])).content.decode()
    assert then_and_now in client.get(reverse("portal:review", args=[shepway.pk])).content.decode()
    returns_file = table_from(client, year_2016, "returns", "csv")
    assert {row[0] for row in returns_file[1:] if row[1] == "troubled-families"} == {"Shepway Community Safety Partnership"}
    # The export's names go back in: the file of that year imports into that year unchanged.
    import_file(client, year_2016, "again.csv", exports.csv_text(year_2016).encode())
    assert table_from(client, year_2016, "returns", "csv") == returns_file


def test_the_next_year_compared_shows_the_split_and_no_change_for_the_rename(
    client, kent, kcst, year_2016, django_assert_num_queries
):
    later = open_cycle(kent, "2018-19", due_on=datetime.date(2019, 1, 31), opens_on=datetime.date(2018, 11, 1),
                       categories_from=year_2016)
    assert later.returns.count() == 12
    rows = [
        "Folkestone and Hythe,troubled-families,,,main,,agreed,accepted",
        "Folkestone and Hythe,domestic-abuse,,,main,,agreed,accepted",
        "Dartford,gangs,,,main,,agreed,accepted",
        "Gravesham,preventing-fires,,,main,,agreed,accepted",
        "Ashford,domestic-abuse,,,main,,agreed,accepted",
        "Ashford,prevent,,,main,,agreed,accepted",
    ]
    import_file(client, later, "2018-19.csv", "\n".join([HEADER, *rows]).encode())
    # Each year's returns with their partnerships and districts, issues, names: not a query per partnership.
    with django_assert_num_queries(15):
        compared = year_on_year(year_2016, later)
    everyone_changed = {name for c in compared.categories for name in [*c.added, *c.dropped, *(r[0] for r in c.reclassed)]}
    assert not any("Folkestone" in name or "Shepway" in name for name in everyone_changed)
    assert everyone_changed == {"Ashford Community Safety Partnership"}  # Prevent: cross-cutting to main
    [split] = compared.successions
    assert split.kind == "split"
    assert split.before == [("Dartford and Gravesham Community Safety Partnership", ["Gangs", "Preventing Fires"])]
    assert split.after == [("Dartford Community Safety Partnership", ["Gangs"]),
                           ("Gravesham Community Safety Partnership", ["Preventing Fires"])]
    page = client.get(reverse("portal:appendix-a", args=[later.pk]), {"compare": year_2016.pk}).content.decode()
    assert "Changes since 2016-17" in page and "<h3>Split</h3>" in page


def test_a_partnership_that_ends_and_one_that_begins_with_no_district_in_common_stand_apart(client, kent, year_2016):
    # Swale's last return is 2017-18; Sheppey, a district of its own, has its own partnership from 2018-19.
    Partnership.objects.filter(agreement=kent, slug="swale").update(active_to=2017)
    sheppey = Partnership.objects.create(agreement=kent, slug="sheppey", name="Sheppey Community Safety Partnership",
                                         active_from=2018)
    sheppey.districts.add(District.objects.create(agreement=kent, slug="sheppey", name="Sheppey"))
    later = open_cycle(kent, "2018-19", due_on=datetime.date(2019, 1, 31), opens_on=datetime.date(2018, 11, 1),
                       categories_from=year_2016)
    import_file(client, later, "2018-19.csv", "\n".join([HEADER, "Sheppey,gangs,,,main,,agreed,accepted"]).encode())

    compared = year_on_year(year_2016, later)
    assert [(s.kind, s.before, s.after) for s in compared.successions] == [
        ("split", [("Dartford and Gravesham Community Safety Partnership", ["Gangs", "Preventing Fires"])],
         [("Dartford Community Safety Partnership", []), ("Gravesham Community Safety Partnership", [])]),
        ("change of partnerships", [("Swale Community Safety Partnership", ["Domestic Abuse"])], []),
        ("change of partnerships", [], [("Sheppey Community Safety Partnership", ["Gangs"])]),
    ]
    page = client.get(reverse("portal:appendix-a", args=[later.pk]), {"compare": year_2016.pk}).content.decode()
    assert "<li>2018-19: Sheppey Community Safety Partnership: Gangs</li>" in page


def test_two_partnerships_succeeded_by_one_are_one_merge(client, kent, year_2016, django_assert_num_queries):
    Partnership.objects.filter(agreement=kent, slug__in=["swale", "thanet"]).update(active_to=2017)
    joint = Partnership.objects.create(agreement=kent, slug="swale-thanet", active_from=2018,
                                       name="Swale and Thanet Community Safety Partnership")
    joint.districts.set(District.objects.filter(agreement=kent, slug__in=["swale", "thanet"]))
    later = open_cycle(kent, "2018-19", due_on=datetime.date(2019, 1, 31), opens_on=datetime.date(2018, 11, 1),
                       categories_from=year_2016)
    rows = [HEADER, "Swale and Thanet,prevent,,,main,,agreed,accepted"]
    import_file(client, later, "2018-19.csv", "\n".join(rows).encode())

    # Three partnerships gone (Dartford and Gravesham, Swale, Thanet): their districts in one query, as with one.
    with django_assert_num_queries(15):
        merge = year_on_year(year_2016, later).successions[-1]
    assert (merge.kind, merge.before, merge.after) == (
        "merge",
        [("Swale Community Safety Partnership", ["Domestic Abuse"]),
         ("Thanet Community Safety Partnership", ["Domestic Abuse"])],
        [("Swale and Thanet Community Safety Partnership", ["Prevent"])],
    )
    page = client.get(reverse("portal:appendix-a", args=[later.pk]), {"compare": year_2016.pk}).content.decode()
    assert "<h3>Merge</h3>" in page


def test_returns_not_yet_accepted_are_not_yet_reported_not_dropped(client, kent, year_2016):
    later = open_cycle(kent, "2018-19", due_on=datetime.date(2019, 1, 31), opens_on=datetime.date(2018, 11, 1),
                       categories_from=year_2016)
    compared = year_on_year(year_2016, later)
    assert all(not c.dropped and not c.added for c in compared.categories)
    assert len(compared.not_yet_reported) == 12
    domestic = next(c for c in compared.categories if c.category_key == "domestic-abuse")
    assert (domestic.count_before, domestic.count_now, domestic.count_change) == (9, 0, -9)
    page = client.get(reverse("portal:appendix-a", args=[later.pk]), {"compare": year_2016.pk}).content.decode()
    assert "Not yet reported" in page and "Ashford Community Safety Partnership" in page


def test_an_unknown_table_is_not_found(client, kcst, cycle_2024):
    client.force_login(kcst)
    assert client.get(reverse("portal:table-csv", args=[cycle_2024.pk, "secrets"])).status_code == 404
