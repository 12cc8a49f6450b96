"""The Kent data matches the source documents it was taken from."""

import io

from django.core.management import call_command

from agreements.interchange import edition_to_dict
from agreements.models import ChangeNote, Paragraph, Version
from assessments.models import District, Partnership

from . import sources


def test_version_control_rows_equal_the_source_document(kent):
    expected = sources.version_control_rows()
    assert list(expected) == [f"{n}.0" for n in range(1, 9)]
    for version in kent.versions.prefetch_related("change_notes"):
        notes = " ".join(note.text for note in version.change_notes.all())
        assert [version.effective_label, *sources.words(notes)] == expected[version.number], version.number


def test_the_draft_has_the_two_to_be_updated_markers(draft):
    marked = draft.change_notes.filter(to_be_updated=True).values_list("text", flat=True)
    assert sorted(marked) == ["Appendix B – to be updated", "Foreword – to be updated"]


def test_priorities_and_leads_equal_chapter_7(draft):
    leads = sources.leads_table()
    rows = {}
    for priority in draft.priorities.select_related("lead"):
        name = f"{priority.name} (<i>{priority.gloss}</i>)" if priority.gloss else priority.name
        rows[name] = str(priority.lead)
    # Chapter 7 writes "Women & Girls" where Appendix E and the priority name have "Women and Girls".
    assert rows == {name.replace("Women & Girls", "Women and Girls"): lead for name, lead in leads.items()}


def test_priorities_and_themes_equal_appendix_e(draft):
    tables = sources.appendix_e()
    priorities = [
        f"{p.name} (<i>{p.gloss}</i>)" if p.gloss else p.name for p in draft.priorities.all()
    ]
    assert priorities == tables["Kent CSA Priorities"]
    assert [t.name for t in draft.themes.all()] == tables["Kent CSA Cross-Cutting Themes"]
    police = [p.text for p in draft.police_crime_plan.priorities.filter(in_diagram=True)]
    pcc = next(lines for heading, lines in tables.items() if heading.startswith("Making Kent Safer"))
    # Appendix E spells "antisocial" where Appendix D, the source we keep, has "anti-social".
    assert police == [line.replace("antisocial", "anti-social") for line in pcc]


def test_each_edition_holds_the_priorities_paragraph_6_5_describes(kent):
    def names(number):
        version = kent.versions.get(number=number)
        return {p.key: p.name for p in version.priorities.all()}, {t.key: t.name for t in version.themes.all()}

    p17, t17 = names("1.0")
    assert p17["serious-violence-organised-crime"] == "Serious and Organised Crime"
    assert "extremism-hate" not in p17 and "mental-health" not in t17
    p18, t18 = names("2.0")
    assert p18["extremism-hate"] == "Preventing Extremism and Hate"
    assert t18["mental-health"] == "Support Mental Health and Wellbeing"
    p20, _ = names("4.0")
    assert p20["serious-violence-organised-crime"] == "Serious Violence and Organised Crime"
    _, t21 = names("5.0")
    assert t21["community-events"] == "Response and Recovery from the COVID-19 pandemic"
    p22, t22 = names("6.0")
    assert t22["community-events"] == "Response and Recovery from Significant Community Events"
    assert p22["neighbourhood-crime-asb"] == "Preventing Neighbourhood Crime & ASB"
    assert "vawg" in p22 and "vawg" not in names("5.0")[0]
    # 2023 and 2024: no changes to the priorities or the cross-cutting themes.
    assert names("6.0") == names("7.0") == names("8.0")


def test_historical_editions_hold_no_invented_text(kent):
    for version in kent.versions.filter(number__in=["2.0", "3.0", "4.0", "5.0", "6.0", "7.0"]):
        assert version.historical and version.sources
        assert not version.chapters.exists()
        assert not Paragraph.objects.filter(chapter__version=version).exists()
    assert kent.versions.get(number="1.0").chapters.count() > 10


def test_the_draft_is_complete(draft):
    data = edition_to_dict(draft)
    assert [c["label"] for c in data["chapters"] if c["label"]] == [
        *"123456789", *"ABCDE"
    ]
    assert len(data["plans"]) == 24 and len(data["authorities"]) == 7
    assert {h["category"] for h in data["horizon"]} == {
        "political", "economic", "social", "technological", "environmental", "legislation", "organisational"
    }
    assert data["police_crime_plan"]["title"] == "Making Kent Safer"


def test_twelve_districts_and_their_partnerships(kent):
    assert District.objects.count() == 12
    current = Partnership.objects.filter(active_to__isnull=True)
    assert current.count() == 12
    shared = Partnership.objects.get(slug="dartford-gravesham")
    assert sorted(shared.districts.values_list("name", flat=True)) == ["Dartford", "Gravesham"]


def test_loading_twice_loads_nothing_twice(kent):
    counts = (Version.objects.count(), ChangeNote.objects.count(), Paragraph.objects.count())
    out = io.StringIO()
    call_command("load_agreement", "fixtures/kent", stdout=out)
    assert (Version.objects.count(), ChangeNote.objects.count(), Paragraph.objects.count()) == counts
    assert "already loaded" in out.getvalue()
