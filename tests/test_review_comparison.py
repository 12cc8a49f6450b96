"""The review compares the right editions: the last one with a full text, every edition offered,
paragraphs paired by their carried-forward key and then by their words, parts named, never keyed."""

import re

import pytest
from django.urls import reverse

from agreements.models import Paragraph
from agreements.refresh import start_next_refresh
from assessments.models import Category
from documents.diff import compare, plain_text

from .conftest import mark_published


@pytest.fixture
def refreshed(kent, draft):
    mark_published(draft)
    return start_next_refresh(kent)


def paragraphs_of(version, chapter_key):
    """The chapter's numbered paragraphs, in order."""
    return list(Paragraph.objects.filter(chapter__version=version, chapter__key=chapter_key,
                                         style=Paragraph.Style.NUMBERED).order_by("order", "pk"))


def test_a_paragraph_moved_within_its_chapter_is_one_move(draft, refreshed):
    first, *rest = paragraphs_of(refreshed, "landscape")
    first.order = rest[-1].order + 1
    first.save()
    changes = compare(draft, refreshed).changes
    assert [(c.what, c.kind, c.key) for c in changes] == [("paragraph", "moved", first.key)]
    assert changes[0].was == "paragraph 3.1"


def test_a_paragraph_moved_to_another_chapter_under_a_new_key_is_one_move(draft, refreshed):
    moving = paragraphs_of(refreshed, "landscape")[1]
    html = moving.html
    moving.delete()
    moved = Paragraph.objects.create(chapter=refreshed.chapters.get(key="governance"), order=999, html=html)
    changes = compare(draft, refreshed).changes
    assert [(c.what, c.kind, c.chapter_key, c.key) for c in changes] == [
        ("paragraph", "moved", "governance", moved.key),
        # The landscape's paragraphs after it move up one place, but stay in their order: no change.
    ]
    assert changes[0].was.startswith("paragraph 3.2 in ")


def test_a_reworded_paragraph_under_a_new_key_is_one_change(draft, refreshed):
    paragraph = paragraphs_of(refreshed, "landscape")[0]
    paragraph.key = "a-key-not-carried-forward"
    paragraph.html += " One sentence added."
    paragraph.save()
    changes = compare(draft, refreshed).changes
    assert [(c.what, c.kind, c.key) for c in changes] == [("paragraph", "changed", "a-key-not-carried-forward")]


def test_a_rewritten_paragraph_is_not_paired_by_its_key(draft, refreshed):
    paragraph = paragraphs_of(refreshed, "landscape")[0]
    paragraph.html = "<p>Something else entirely, written afresh for this edition.</p>"
    paragraph.save()
    kinds = sorted((c.kind, c.key) for c in compare(draft, refreshed).changes)
    assert kinds == [("added", paragraph.key), ("removed", paragraph.key)]


def review_page(client, version, **query) -> str:
    response = client.get(reverse("review", args=[version.agreement.slug, version.number]), query)
    assert response.status_code == 200
    return response.content.decode()


def test_the_default_base_skips_historical_records_and_says_so(client, kcst, draft):
    client.force_login(kcst)
    page = review_page(client, draft)
    assert "Changes are marked against version 1.0 (April 2017)." in page
    between = plain_text(re.search(r'<p class="records-between">.*?</p>', page, re.S).group(0))
    assert between.startswith("Between them lie 2.0 (April 2018), 3.0 (April 2019)")
    assert "7.0 (April 2023): historical records" in between
    since = plain_text(re.search(r'<section id="since-record".*?</section>', page, re.S).group(0))
    assert "Since 7.0 (April 2023), a historical record" in since
    assert "Change notes of 7.0" in since and "Change notes of 8.0" in since
    notes_7 = draft.agreement.versions.get(number="7.0").change_notes.order_by("order")
    assert notes_7.first().text in since


def test_no_record_between_says_nothing_of_records(client, kcst, in_review):
    client.force_login(kcst)
    page = review_page(client, in_review)
    assert "Changes are marked against version 8.0" in page
    assert "records-between" not in page and "since-record" not in page


def test_every_edition_is_offered_for_comparison(client, kcsp_member, in_review):
    client.force_login(kcsp_member)
    page = review_page(client, in_review)
    select = re.search(r'<select id="compare-old".*?</select>', page, re.S).group(0)
    offered = re.findall(r'<option value="([\d.]+)"', select)
    assert offered == ["1.0", "2.0", "3.0", "4.0", "5.0", "6.0", "7.0", "8.0"]
    assert '<option value="8.0" selected>8.0 (April 2024)</option>' in select
    assert "7.0 (April 2023, historical record)" in select
    response = client.get(reverse("compare", args=["kent"]), {"old": "7.0", "new": in_review.number})
    assert "Changes are marked against version 7.0 (April 2023), a historical record" in response.content.decode()


def test_no_key_appears_in_the_text_of_the_diff(client, kcst, draft):
    client.force_login(kcst)
    for view in ("full", "changes"):
        text = plain_text(review_page(client, draft, view=view))
        keys = {
            *Category.objects.values_list("key", flat=True),
            *draft.priorities.values_list("key", flat=True),
            *Paragraph.objects.filter(chapter__version__agreement=draft.agreement).values_list("key", flat=True),
        }
        shown = sorted(key for key in keys if "-" in key and re.search(rf"(?<![\w-]){re.escape(key)}(?![\w-])", text))
        assert shown == [], view
    assert "Appendix A row" in text  # the generated parts are there, by their names
