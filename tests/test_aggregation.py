"""Appendix A and the matrix, computed from accepted returns, in a fixed number of queries."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments.aggregation import Tally, appendix_a, changes_since, counted_issues, matrix
from assessments.corrections import correct
from assessments.models import AssessmentCycle, AssessmentReturn, Category, Partnership, ReturnItem

from . import sources


def agenda_2017_appendix_a() -> list[tuple[str, int]]:
    """Appendix A of the April 2017 draft, in the KCSP agenda of 15 March 2017 (source 003)."""
    text = (sources.SOURCES / "kcsp-2017-03-15-agenda.txt").read_text(encoding="utf-8")
    table = sources.between(text, "Priority\tNo. of CSPs identifying these issues\n", "\n\nOther focus")
    rows = [line.split("\t") for line in table.strip().splitlines()]
    return [(re.sub(r"</?i>", "", name), int(count)) for name, count in rows]


def test_appendix_a_for_2023_24_reproduces_the_april_2024_draft_exactly(kent):
    table = appendix_a(AssessmentCycle.objects.get(label="2023-24"))
    assert [(row.label, row.csps) for row in table.rows] == sources.appendix_a()
    assert (table.returns_total, table.returns_counted) == (12, 12)


def test_appendix_a_for_2017_18_reproduces_the_april_2017_draft_exactly(kent):
    table = appendix_a(AssessmentCycle.objects.get(label="2017-18"))
    assert [(row.label, row.csps) for row in table.rows] == agenda_2017_appendix_a()
    assert table.returns_total == 11


def test_loaded_returns_are_labelled_illustrative(kent):
    for r in AssessmentReturn.objects.filter(cycle__label__in=["2017-18", "2023-24"]):
        assert r.description.startswith("Illustrative")


def test_only_accepted_returns_count(kent, cycle_2024, ashford_return, canterbury_return, officer_a, kcst):
    crime = cycle_2024.categories.get(key="crime")
    for r in (ashford_return, canterbury_return):
        ReturnItem.objects.create(assessment_return=r, category=crime, kind="main")
    ashford_return.submit(officer_a)
    assert appendix_a(cycle_2024).rows == []
    ashford_return.accept(kcst)
    assert appendix_a(cycle_2024).counts() == {"crime": 1}
    assert [p.slug for p in matrix(cycle_2024).partnerships] == ["ashford"]


def test_ties_keep_the_category_list_order(kent, cycle_2024, kcst):
    # Road safety comes after crime on the list: equal counts keep that order.
    keys = ["road-safety", "crime"]
    for r in cycle_2024.returns.all()[:2]:
        for key in keys:
            ReturnItem.objects.create(assessment_return=r, category=cycle_2024.categories.get(key=key), kind="main")
        AssessmentReturn.objects.filter(pk=r.pk).update(status="accepted")
    assert [row.category_key for row in appendix_a(cycle_2024).rows] == ["crime", "road-safety"]


def test_the_matrix_tells_the_three_classes_apart(kent):
    cycle = AssessmentCycle.objects.get(label="2023-24")
    found = matrix(cycle)
    assert len(found.partnerships) == 12
    # Shepway's name ended with 2017-18: this year's heading is today's name alone.
    assert "Folkestone and Hythe" in found.headings and not any("Shepway" in h for h in found.headings)
    marks = {mark for _, row in found.rows() for mark in row}
    assert marks == {"", "main", "cross_cutting", "within_theme"}
    counts = appendix_a(cycle).counts()
    for category, row in found.rows():
        assert sum(1 for mark in row if mark) == counts.get(category.key, 0)


def test_the_matrix_lists_issues_nobody_names_as_empty_rows_ties_by_name(kent):
    cycle = make_cycle(kent, "2030-31", 2)
    # Created out of alphabetical order, at the same place on the list.
    for name in ("Zebra crossings", "Arson"):
        Category.objects.create(cycle=cycle, key=name.lower().replace(" ", "-"), name=name, order=9)
    rows = [(category.name, row) for category, row in matrix(cycle).rows()]
    assert rows[-3:] == [("Issue 5", ["", ""]), ("Arson", ["", ""]), ("Zebra crossings", ["", ""])]
    assert rows[0] == ("Issue 0", ["main", "cross_cutting"])


def make_cycle(kent, label: str, partnerships: int) -> AssessmentCycle:
    """A cycle of accepted returns from `partnerships` CSPs, each naming every category in some class."""
    cycle = AssessmentCycle.objects.create(agreement=kent, label=label, opens_on=datetime.date(2030, 9, 1),
                                           due_on=datetime.date(2031, 1, 31))
    categories = Category.objects.bulk_create(
        Category(cycle=cycle, key=f"issue-{i}", name=f"Issue {i}", order=i) for i in range(6)
    )
    kinds = ReturnItem.Kind.values
    for n in range(partnerships):
        partnership = Partnership.objects.create(slug=f"{label}-csp-{n}", name=f"CSP {n}", agreement=kent)
        r = AssessmentReturn.objects.create(cycle=cycle, partnership=partnership, status="accepted")
        ReturnItem.objects.bulk_create(
            ReturnItem(assessment_return=r, category=c, kind=kinds[(n + i) % 3], order=i)
            for i, c in enumerate(categories[: 1 + n % 6])
        )
    return cycle


def queries(function, *args) -> int:
    with CaptureQueriesContext(connection) as captured:
        function(*args)
    return len(captured)


def test_appendix_a_and_the_matrix_run_a_fixed_number_of_queries(kent, django_assert_num_queries):
    small, large = make_cycle(kent, "2030-31", 2), make_cycle(kent, "2031-32", 60)
    assert appendix_a(large).returns_counted == 60
    # The categories, the issues as they count (corrections included) and the returns' totals.
    with django_assert_num_queries(3):
        appendix_a(large)
    with django_assert_num_queries(4):  # the cells, the partnerships, their former names, the categories
        list(matrix(large).rows())
    assert queries(appendix_a, small) == queries(appendix_a, large)
    assert queries(matrix, small) == queries(matrix, large)
    # Each cycle's counted issues, the previous cycle's accepted partnerships, this cycle's partnerships
    # and their former names.
    assert queries(changes_since, small, large) == queries(changes_since, large, small) == 5


def test_tables_built_from_one_tally_read_the_cycle_once(kent, django_assert_num_queries):
    small, large = make_cycle(kent, "2030-31", 2), make_cycle(kent, "2031-32", 60)
    tally = Tally(large)
    appendix_a(large, tally)
    with django_assert_num_queries(2):  # only the partnerships and their former names are new
        list(matrix(large, tally).rows())
    with django_assert_num_queries(2):  # only the previous cycle: its issues and its accepted returns
        changes_since(small, large, tally)


def test_two_cycles_issues_are_read_in_one_query_and_count_as_each_alone(kent, django_assert_num_queries):
    small, large = make_cycle(kent, "2030-31", 2), make_cycle(kent, "2031-32", 60)
    alone = changes_since(small, large)
    with django_assert_num_queries(1):
        tally, compared = Tally.of(large, small)
    assert (tally.issues, compared.issues) == (Tally(large).issues, Tally(small).issues)
    with django_assert_num_queries(3):  # the previous cycle's accepted returns, this cycle's partnerships and names
        assert changes_since(small, large, tally, compared) == alone


def test_changes_since_the_previous_cycle(kent, cycle_2024, kcst):
    """Ashford keeps its 2023-24 issues but drops one, reclasses one and adds Road Safety."""
    last_year = AssessmentReturn.objects.get(cycle__label="2023-24", partnership__slug="ashford")
    ashford = cycle_2024.returns.get(partnership__slug="ashford")
    old = list(last_year.items.select_related("category"))
    dropped, reclassed = old[0], old[1]
    for item in old[2:]:
        ReturnItem.objects.create(assessment_return=ashford, category=cycle_2024.categories.get(key=item.category.key),
                                  kind=item.kind)
    new_kind = "cross_cutting" if reclassed.kind != "cross_cutting" else "main"
    ReturnItem.objects.create(assessment_return=ashford, kind=new_kind,
                              category=cycle_2024.categories.get(key=reclassed.category.key))
    ReturnItem.objects.create(assessment_return=ashford, kind="main", category=cycle_2024.categories.get(key="road-safety"))
    AssessmentReturn.objects.filter(pk=ashford.pk).update(status="accepted")

    changes = {c.category_key: c for c in changes_since(cycle_2024.previous(), cycle_2024)}
    name = "Ashford Community Safety Partnership"
    assert name in changes[dropped.category.key].dropped
    assert (name, reclassed.get_kind_display(), dict(ReturnItem.Kind.choices)[new_kind]) in changes[reclassed.category.key].reclassed
    assert changes["road-safety"].added == [name]
    # A partnership with no accepted 2024-25 return yet has not reported: it dropped nothing.
    assert all("Canterbury Community Safety Partnership" not in c.dropped for c in changes.values())


def test_a_change_shows_though_its_count_holds_when_the_other_side_is_a_partnership_in_one_year_only(kent):
    """P1 reports both years; P2 only last year, P3 only this year: P1's own change of mind is the change."""
    years = [AssessmentCycle.objects.create(agreement=kent, label=label, opens_on=datetime.date(2030 + n, 9, 1),
                                            due_on=datetime.date(2031 + n, 1, 31))
             for n, label in enumerate(["2030-31", "2031-32"])]
    # Keys in the opposite order to the names: the changes are listed by name.
    arson, burglary = ([Category.objects.create(cycle=cycle, key=key, name=name) for cycle in years]
                       for key, name in (("z-arson", "Arson"), ("a-burglary", "Burglary")))
    p1, p2, p3, p4 = (
        Partnership.objects.create(agreement=kent, slug=f"p{n}", name=f"P{n} Community Safety Partnership")
        for n in range(1, 5)
    )

    def accepted(cycle, partnership, *categories, own_wording=""):
        r = AssessmentReturn.objects.create(cycle=cycle, partnership=partnership)
        for category in categories:
            ReturnItem.objects.create(assessment_return=r, category=category, kind="main")
        if own_wording:
            ReturnItem.objects.create(assessment_return=r, own_wording=own_wording, kind="main")
        AssessmentReturn.objects.filter(pk=r.pk).update(status="accepted")

    accepted(years[0], p1, arson[0])
    accepted(years[0], p2, burglary[0])
    accepted(years[1], p1, burglary[1], own_wording="Fly-tipping in lay-bys")
    accepted(years[1], p3, arson[1])
    AssessmentReturn.objects.create(cycle=years[1], partnership=p4, status="submitted")

    changes = [(c.label, c.added, c.dropped, c.count_before, c.count_now) for c in changes_since(*years)]
    assert changes == [("Arson", [], ["P1 Community Safety Partnership"], 1, 1),
                       ("Burglary", ["P1 Community Safety Partnership"], [], 1, 1)]
    table = appendix_a(years[1])
    # The issue in P1's own words has no category: it is in no row.
    assert [(row.label, row.csps) for row in table.rows] == [("Arson", 1), ("Burglary", 1)]
    assert (table.returns_total, table.returns_counted) == (3, 2)


def test_a_corrected_return_counts_as_its_newest_correction_has_it_in_its_own_cycle_only(kent, kcst):
    years = [AssessmentCycle.objects.create(agreement=kent, label=label, opens_on=datetime.date(2030 + n, 9, 1),
                                            due_on=datetime.date(2031 + n, 1, 31))
             for n, label in enumerate(["2030-31", "2031-32"])]
    arson, burglary, fires = ([Category.objects.create(cycle=cycle, key=key, name=name, order=order) for cycle in years]
                              for order, (key, name) in enumerate([("arson", "Arson"), ("burglary", "Burglary"),
                                                                   ("fires", "Preventing Fires")]))
    p1, p2 = (Partnership.objects.create(agreement=kent, slug=f"p{n}", name=f"P{n} Community Safety Partnership")
              for n in (1, 2))

    def accepted(cycle, partnership, category):
        r = AssessmentReturn.objects.create(cycle=cycle, partnership=partnership)
        ReturnItem.objects.create(assessment_return=r, category=category, kind="main")
        AssessmentReturn.objects.filter(pk=r.pk).update(status="accepted")
        return AssessmentReturn.objects.get(pk=r.pk)

    p1_return, p2_return = accepted(years[0], p1, arson[0]), accepted(years[0], p2, burglary[0])
    first = correct(p1_return, kcst, "Wrong category", at=0, category=fires[0], own_wording="", kind="main", seen=0)
    correct(p2_return, kcst, "Missed one", at=None, category=None, own_wording="Fly-tipping", kind="main", seen=0)
    correct(p1_return, kcst, "Missed one", at=None, category=burglary[0], own_wording="", kind="cross_cutting",
            seen=first.pk)
    next_year = accepted(years[1], p1, arson[1])
    correct(next_year, kcst, "Wrong category", at=0, category=fires[1], own_wording="", kind="within_theme", seen=0)

    counted = sorted((i.partnership, i.category_name, i.kind) for i in counted_issues(years[0]))
    assert counted == [("P1 Community Safety Partnership", "Burglary", "cross_cutting"),
                       ("P1 Community Safety Partnership", "Preventing Fires", "main"),
                       ("P2 Community Safety Partnership", "Burglary", "main")]


@pytest.fixture
def kcst_client(client, kcst):
    client.force_login(kcst)
    return client


def test_the_kcst_page_shows_the_draft_note_while_a_return_is_provisional(kcst_client, kent):
    cycle = AssessmentCycle.objects.get(label="2023-24")
    page = kcst_client.get(reverse("portal:appendix-a", args=[cycle.pk])).content.decode()
    assert "The details below are draft and may be subject to change." in page
    assert "3 of 12 returns are provisional" in page
    for assessment_return in cycle.returns.all():
        assessment_return.local_signoff = "agreed"  # the one change an accepted return still takes
        assessment_return.save(update_fields=["local_signoff"])
    page = kcst_client.get(reverse("portal:appendix-a", args=[cycle.pk])).content.decode()
    assert "may be subject to change" not in page


def test_the_kcst_page_shows_the_table_the_matrix_with_its_key_and_the_changes(kcst_client, kent):
    cycle = AssessmentCycle.objects.get(label="2023-24")
    response = kcst_client.get(reverse("portal:appendix-a", args=[cycle.pk]))
    page = response.content.decode()
    for label, count in sources.appendix_a():
        assert f'<tr><td>{label.replace("&", "&amp;")}</td><td class="numeric">{count}</td></tr>' in page
    for meaning in ("Main priority", "Cross-cutting theme or subsidiary priority", "Issue within a broader theme"):
        # In the key and, for screen readers, in every marked cell; the letter shows it without colour.
        assert f"<dd>{meaning}</dd>" in page
        assert f'<span class="visually-hidden">{meaning}</span>' in page
    assert "<th scope=\"col\">Tunbridge Wells</th>" in page
    assert "Changes since 2017-18" in page
