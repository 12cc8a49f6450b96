"""What changed since the last published edition, and the change notes proposed from it."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from documents.diff import compare, mark_words
from agreements.models import Paragraph, Priority
from agreements.refresh import start_next_refresh
from review.change_notes import propose

from .conftest import change_three_things, mark_published


@pytest.fixture
def refreshed(kent, draft):
    mark_published(draft)
    return start_next_refresh(kent)


def test_the_diff_shows_exactly_the_three_changes(draft, refreshed):
    change_three_things(refreshed)
    diff = compare(draft, refreshed)
    assert [(c.what, c.kind, c.chapter_key) for c in diff.changes] == [
        ("paragraph", "changed", "priorities"),
        ("priority", "renamed", "priorities"),
        ("lead", "changed", "leads"),
    ]
    renamed = diff.changes[1]
    assert (renamed.old, renamed.new) == ("Preventing Neighbourhood Crime & ASB",
                                          "Neighbourhood Crime and Anti-Social Behaviour")
    paragraph = diff.changes[0]
    assert '[removed: </span>forthcoming<span class="visually-hidden">]</span></del>' in paragraph.marked
    assert '[added: </span>ahead<span class="visually-hidden">]</span></ins>' in paragraph.marked
    assert [(chapter.key, n) for chapter, n in diff.summary()] == [("priorities", 2), ("leads", 1)]


def test_the_proposed_change_notes_name_ch6_and_ch7(draft, refreshed):
    change_three_things(refreshed)
    proposals = propose(compare(draft, refreshed))
    assert [p.text for p in proposals] == [
        "Ch.6 - changes made to priorities and cross-cutting themes",
        "Ch.7 - minor change to the list of leads",
    ]


def test_an_unchanged_copy_has_no_changes(draft, refreshed):
    diff = compare(draft, refreshed)
    assert diff.changes == [] and propose(diff) == []


def test_added_and_removed_items_are_told_apart_from_renames(draft, refreshed):
    refreshed.priorities.get(key="road-safety").delete()
    Priority.objects.create(version=refreshed, name="Retail Crime", order=20)
    kinds = {(c.what, c.kind, c.new or c.old) for c in compare(draft, refreshed).changes}
    assert kinds == {("priority", "removed", "Road Safety"), ("priority", "added", "Retail Crime")}


def test_user_text_is_escaped_before_it_is_marked(draft, refreshed):
    priority = refreshed.priorities.get(key="vawg")
    priority.name = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    priority.save()
    change = next(c for c in compare(draft, refreshed).changes if c.key == "vawg")
    assert "<script>" not in change.marked and "<img" not in change.marked
    assert "&lt;script&gt;" in change.marked
    assert "<script>" not in mark_words("a", "<script>b</script>")


def test_the_diff_runs_a_fixed_number_of_queries(draft, refreshed, kent):
    with CaptureQueriesContext(connection) as small:
        compare(draft, refreshed)
    for i in range(40):
        chapter = refreshed.chapters.get(key="landscape")
        Paragraph.objects.create(chapter=chapter, order=200 + i, html=f"New paragraph {i}")
        Priority.objects.create(version=refreshed, name=f"Extra priority {i}", order=200 + i)
    with CaptureQueriesContext(connection) as large:
        diff = compare(draft, refreshed)
    assert diff.total == 80
    assert len(large) == len(small)


def test_a_new_signatory_is_a_change_to_the_signatories_chapter(draft, refreshed):
    from agreements.models import Chapter, Signatory

    Chapter.objects.create(version=refreshed, key="signatories", title="Signatories", order=99,
                           generated=Chapter.Generated.SIGNATORIES)
    Signatory.objects.create(version=refreshed, text="Chief Constable, Kent Police")

    diff = compare(draft, refreshed)

    assert [(c.what, c.kind, c.chapter_key, c.new) for c in diff.changes] == [
        ("signatory", "added", "signatories", "Chief Constable, Kent Police"),
    ]
    assert [p.text for p in propose(diff)] == ["Signatories - change to the signatories"]
