"""What an edition prints, in order, read in a fixed number of queries (documents/data.py)."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from documents.data import as_blocks, build_document
from agreements.models import (
    Achievement,
    Chapter,
    CrossCuttingTheme,
    HorizonItem,
    Lead,
    Paragraph,
    PlanLink,
    Priority,
)
from assessments.models import AssessmentCycle, AssessmentReturn, Category, MorileScore, Partnership, ReturnItem

from . import sources


def section(document, key):
    return next(s for s in document.sections if s.key == key)


def test_the_draft_prints_its_chapters_in_order(draft):
    document = build_document(draft)
    assert [s.heading for s in document.sections] == [
        "Foreword",
        "1. Introduction",
        "2. Legislation",
        "3. Key Changes to the Community Safety Landscape",
        "4. Governance",
        "5. Key Achievements",
        "6. County Priorities",
        "7. Leads",
        "8. Links to Plans",
        "9. Responsible Authorities",
        "Appendix A: Strategic Assessments (2023-24)",
        "Appendix B: Crime Data Summary",
        "Appendix C: Horizon Scanning",
        "Appendix D: Police & Crime Plan (2022-2025)",
        "Appendix E: Kent CSA Priorities and Cross-Cutting Themes",
        "Contact",
    ]
    # The contents list every chapter and appendix but not the contact page, as the source does.
    assert [s.key for s in document.contents][-1] == "appendix-e"
    assert document.is_draft and document.title == "Kent Community Safety Agreement 8.0, April 2024 (draft)"


def test_paragraphs_carry_their_numbers_and_subheadings_have_none(draft):
    landscape = section(build_document(draft), "landscape")
    texts = landscape.before + landscape.after
    assert [t.number for t in texts[:4]] == ["", "", "3.1", "3.2"]
    assert texts[1].is_subheading and texts[1].text == "National and International"
    assert [t.number for t in texts if t.number][-1] == "3.19"
    assert texts[2].html.startswith('<p><span class="paragraph-number">3.1</span> International Conflicts')


def test_version_control_rows_are_every_version_up_to_this_one(kent, draft):
    rows = build_document(draft).version_rows
    expected = sources.version_control_rows()
    assert [r.number for r in rows] == list(expected)
    for row in rows:
        notes = " ".join(note.text for note in row.notes)
        assert [row.effective_label, *sources.words(notes)] == expected[row.number]
    marked = [note.text for note in rows[-1].notes if note.to_be_updated]
    assert marked == ["Foreword – to be updated", "Appendix B – to be updated"]

    first = build_document(kent.versions.get(number="1.0"))
    assert [r.number for r in first.version_rows] == ["1.0"]


def test_the_achievements_follow_the_paragraph_that_introduces_them(draft):
    achievements = section(build_document(draft), "achievements")
    assert achievements.block == "achievements"
    assert achievements.before[-1].text == "Some of the progress and key achievements include:"
    assert achievements.before[-1].lead_in
    assert [t.text[:20] for t in achievements.after] == ["The KCSP partners ha", "Whilst the CSA actio"]


def test_appendix_d_prints_the_plan_before_the_chapter_comments_on_it(draft):
    document = build_document(draft)
    appendix_d = section(document, "appendix-d")
    assert appendix_d.before == [] and appendix_d.after[0].text.endswith("detailed above.")
    plan = document.police_crime_plan
    assert [g.heading for g in plan.groups] == [
        "The guiding principles of the plan are:",
        "Kent Police's priorities are to:",
        "The Police and Crime Commissioner will:",
    ]
    assert plan.intro_html.count("<p>") == 2  # the double <br> starts a second paragraph


def test_appendix_a_counts_come_from_the_returns(draft):
    appendix = build_document(draft).appendix_a
    assert [(row.label, row.csps) for row in appendix.rows] == sources.appendix_a()
    assert appendix.other_focus_areas.startswith("food and fuel / cost of living crisis")


def test_the_draft_note_shows_only_while_a_return_is_provisional(draft):
    assert build_document(draft).appendix_a.provisional
    for assessment_return in AssessmentReturn.objects.filter(cycle__version=draft):
        assessment_return.local_signoff = AssessmentReturn.LocalSignoff.AGREED  # the CSP agreed it later
        assessment_return.save(update_fields=["local_signoff"])
    assert not build_document(draft).appendix_a.provisional


def test_appendix_a_does_not_repeat_what_the_application_prints(draft):
    appendix_a = section(build_document(draft), "appendix-a")
    texts = [t.text for t in appendix_a.before + appendix_a.after]
    assert len(texts) == 1 and texts[0].startswith("Local Community Safety Partnership (CSP) strategic assessments")


def test_the_matrix_and_the_phone_diagram_are_for_the_web_page_only(draft):
    printed = build_document(draft)
    assert printed.appendix_a.matrix is None and printed.diagram_narrow == ""
    web = build_document(draft, web=True)
    assert 'viewBox="-1 -1 322 ' in web.diagram_narrow  # two columns, 320 units wide
    assert 'id="priorities-diagram-narrow-title"' in web.diagram_narrow  # its own ids beside the wide one
    grid = web.appendix_a.matrix
    assert len(grid.partnerships) == 12 and "Ashford" in grid.partnerships
    label, marks = grid.rows[0]
    assert len(marks) == 12 and set(marks) <= {"Main", "Cross-cutting", "Within theme", ""}


def test_the_matrix_names_each_partnership_as_it_was_called_that_year(kent):
    version_1 = AssessmentCycle.objects.get(agreement=kent, label="2017-18").version
    grid = build_document(version_1, web=True).appendix_a.matrix
    assert "Shepway" in grid.partnerships and "Folkestone and Hythe" not in grid.partnerships


def test_the_contact_chapter_replaces_the_agreements_contact_details(draft):
    document = build_document(draft)
    assert document.sections[-1].is_contact and document.contact_html == ""


def test_without_a_contact_chapter_the_agreements_contact_details_are_printed(kent):
    document = build_document(kent.versions.get(number="2.0"))
    assert "kentcommunitysafetyteam@kent.gov.uk" in document.contact_html


def test_a_historical_record_has_no_chapters_and_no_empty_headings(kent):
    document = build_document(kent.versions.get(number="4.0"))
    assert document.historical and document.sections == [] and document.contents == []
    assert [r.number for r in document.version_rows] == ["1.0", "2.0", "3.0", "4.0"]
    assert "Serious Violence and Organised Crime" in [p.name for p in document.priorities]


def test_an_older_edition_prints_its_own_chapters(kent):
    document = build_document(kent.versions.get(number="1.0"))
    headings = [s.heading for s in document.sections]
    assert "3. Changes to the Community Safety Landscape" in headings
    assert "Appendix B: MoRiLE Assessment (2016-17)" in headings
    assert "Appendix E" not in " ".join(headings)
    assert not document.is_draft
    # No MoRiLE scores are recorded for 2016-17: the appendix prints its paragraphs, no table.
    assert section(document, "appendix-b").block == ""
    assert [r.label for r in document.appendix_a.rows][0] == "Domestic Abuse"


def test_a_chapter_with_nothing_to_print_is_left_out(draft):
    Chapter.objects.create(version=draft, key="scores", label="F", title="MoRiLE", order=99, generated="morile")
    Chapter.objects.create(version=draft, key="empty", label="G", title="Nothing yet", order=100)
    keys = [s.key for s in build_document(draft).sections]
    assert "scores" not in keys and "empty" not in keys


def test_morile_scores_print_from_the_cycle_that_feeds_the_edition(kent):
    published = kent.versions.get(number="1.0")
    returns = list(AssessmentReturn.objects.filter(cycle__version=published, status="accepted")[:3])
    issues = ["Domestic Abuse", "Modern Slavery", "Gangs", "Hate Crime", "Road Safety", "Vehicle Crime"]
    scores = []
    for n, assessment_return in enumerate(returns):
        # Each return scores six issues; only the first one scores Vehicle Crime in its top five.
        for harm, issue in enumerate(reversed(issues), start=1):
            if n == 0 and issue == "Vehicle Crime":
                harm = 10
            scores.append(MorileScore(
                assessment_return=assessment_return, issue=issue, harm=harm, likelihood=5,
                organisational_position=2,
            ))
    # Written in bulk, as if loaded with the returns: an accepted return's scores are otherwise kept.
    MorileScore.objects.bulk_create(scores)
    document = build_document(published)
    assert [(r.issue, r.csps, r.top) for r in document.morile] == [
        ("Domestic Abuse", 3, 3), ("Gangs", 3, 3), ("Hate Crime", 3, 3), ("Modern Slavery", 3, 3),
        ("Road Safety", 3, 2), ("Vehicle Crime", 3, 1),
    ]
    assert section(document, "appendix-b").block == "morile"


def test_text_that_is_not_sanitised_html_stays_plain_text(draft):
    priority = draft.priorities.first()
    priority.name = "<script>alert(1)</script> Abuse"
    priority.save()
    document = build_document(draft)
    assert document.priorities[0].name == "<script>alert(1)</script> Abuse"  # escaped by the template
    assert "<script>" not in document.diagram and "&lt;script&gt;" in document.diagram


def test_loose_text_is_wrapped_in_paragraphs():
    assert as_blocks("Intro:<ul><li>a</li></ul>More") == "<p>Intro:</p><ul><li>a</li></ul><p>More</p>"
    assert as_blocks("One.<br><br>Two.<br>Three.") == "<p>One.</p><p>Two.<br>Three.</p>"
    assert as_blocks("<p>Kept</p>") == "<p>Kept</p>"
    assert as_blocks("") == ""


def count_queries(version, **options) -> int:
    with CaptureQueriesContext(connection) as queries:
        build_document(version, **options)
    return len(queries)


@pytest.mark.parametrize("web", [False, True])
def test_building_the_document_runs_the_same_queries_however_much_it_holds(draft, web):
    before = count_queries(draft, web=web)
    chapter = draft.chapters.get(key="landscape")
    for i in range(20):
        Paragraph.objects.create(chapter=chapter, key=f"extra-{i}", order=100 + i, html=f"<p>Extra {i}</p>")
        priority = Priority.objects.create(version=draft, key=f"extra-{i}", name=f"Extra {i}", order=100 + i)
        Lead.objects.create(priority=priority, role="Chair", organisation="Kent Police")
        CrossCuttingTheme.objects.create(version=draft, key=f"extra-{i}", name=f"Theme {i}", order=100 + i)
        PlanLink.objects.create(version=draft, text=f"Plan {i}", order=100 + i)
        HorizonItem.objects.create(version=draft, category="economic", group=f"Group {i}", text=f"Item {i}")
        Achievement.objects.create(version=draft, title=f"Achievement {i}", html="Done", order=100 + i)
    cycle = AssessmentCycle.objects.get(version=draft)
    category = Category.objects.create(cycle=cycle, key="new-issue", name="A new issue", order=99)
    for i in range(5):
        partnership = Partnership.objects.create(
            slug=f"extra-{i}", name=f"Extra {i} CSP", agreement=draft.agreement
        )
        assessment_return = AssessmentReturn.objects.create(
            cycle=cycle, partnership=partnership, status=AssessmentReturn.Status.SUBMITTED,
            submitted_at=datetime.datetime(2024, 1, 10, tzinfo=datetime.timezone.utc),
        )
        ReturnItem.objects.create(assessment_return=assessment_return, category=category, kind="main")
        AssessmentReturn.objects.filter(pk=assessment_return.pk).update(status=AssessmentReturn.Status.ACCEPTED)

    assert count_queries(draft, web=web) == before


def test_the_diagram_follows_the_paragraph_that_announces_it(draft):
    from documents.data import build_document

    section = next(s for s in build_document(draft).sections if s.key == "priorities")
    assert [t.number for t in section.before][-1] == "6.9"
    assert "The diagram below" in section.before[-1].text
    assert [t.number for t in section.after] == ["6.10", "6.11"]
