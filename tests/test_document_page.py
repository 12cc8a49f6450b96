"""The edition as a web page: the same template as the PDF, with headings, tables and links in order."""

from html.parser import HTMLParser

import pytest
from django.urls import reverse

from agreements.models import Version
from agreements.workflow import record_past_status


class Outline(HTMLParser):
    """Collects the page's headings, tables and scripts as it parses."""

    def __init__(self):
        super().__init__()
        self.headings: list[tuple[int, str]] = []
        self.tables = 0
        self.captions = 0
        self.header_cells: list[dict] = []
        self.scripts: list[dict] = []
        self.ids: list[str] = []
        self._heading: int | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.append(attrs["id"])
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            self._heading, self._text = int(tag[1]), []
        elif tag == "table":
            self.tables += 1
        elif tag == "caption":
            self.captions += 1
        elif tag == "th":
            self.header_cells.append(attrs)
        elif tag == "script":
            self.scripts.append(attrs)

    def handle_endtag(self, tag):
        if self._heading and tag == f"h{self._heading}":
            self.headings.append((self._heading, " ".join("".join(self._text).split())))
            self._heading = None

    def handle_data(self, data):
        if self._heading:
            self._text.append(data)


def outline(response) -> Outline:
    parser = Outline()
    parser.feed(response.content.decode())
    return parser


@pytest.fixture
def draft_page(client, kcst, draft):
    client.force_login(kcst)
    return client.get(reverse("edition", args=["kent", "8.0"]))


def test_the_page_has_one_h1_and_headings_in_order(draft_page):
    found = outline(draft_page)
    levels = [level for level, _ in found.headings]
    assert levels.count(1) == 1 and levels[0] == 1
    for previous, level in zip(levels, levels[1:]):
        assert level <= previous + 1, found.headings
    chapters = [text for level, text in found.headings if level == 2]
    assert chapters[:3] == ["Version Control", "Contents", "Foreword"]
    assert "6. County Priorities" in chapters and chapters[-1] == "Contact"


def test_every_table_has_a_caption_and_scoped_header_cells(draft_page):
    found = outline(draft_page)
    assert found.tables >= 6 and found.captions == found.tables
    assert all(cell.get("scope") in ("col", "row") for cell in found.header_cells)


def test_ids_are_unique_and_the_contents_link_to_them(draft_page):
    found = outline(draft_page)
    assert len(found.ids) == len(set(found.ids))
    html = draft_page.content.decode()
    assert '<a href="#chapter-priorities">6. County Priorities</a>' in html
    assert 'id="chapter-priorities"' in html


def test_the_page_runs_no_script(draft_page):
    assert outline(draft_page).scripts == []


def test_the_page_shows_the_generated_parts(draft_page):
    html = draft_page.content.decode()
    assert 'class="priorities-diagram" role="img"' in html
    assert "<td>TBC</td>" in html
    assert "Please note the details below are draft and may be subject to change." in html
    assert "Which partnership identified which issue" in html  # the matrix, on the web page only
    assert '<em class="to-be-updated">Foreword – to be updated</em>' in html
    assert "Draft, not published." in html
    assert reverse("edition_pdf", args=["kent", "8.0"]) in html


def test_a_published_edition_says_nothing_of_drafts(client, kent):
    response = client.get(reverse("edition", args=["kent", "1.0"]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "DRAFT" not in html and "not published" not in html
    assert "3. Changes to the Community Safety Landscape" in html


def test_a_historical_record_prints_what_is_known_without_empty_headings(client, kent):
    response = client.get(reverse("edition", args=["kent", "5.0"]))
    found = outline(response)
    assert [text for level, text in found.headings if level == 2] == [
        "Version Control", "About this record", "Contact",
    ]


def test_user_text_is_escaped_and_sanitised_text_is_not(client, kcst, draft):
    priority = draft.priorities.get(key="road-safety")
    priority.name = "Road <b>Safety</b>"
    priority.save()
    client.force_login(kcst)
    html = client.get(reverse("edition", args=["kent", "8.0"])).content.decode()
    assert "Road <b>Safety</b>" not in html and "Road &lt;b&gt;Safety&lt;/b&gt;" in html
    assert "<em>House of Commons Research Briefing" in html  # paragraph html, sanitised on save


def test_the_home_page_lists_published_editions_for_everyone(client, kent):
    html = client.get(reverse("home")).content.decode()
    assert reverse("edition", args=["kent", "1.0"]) in html
    assert reverse("edition", args=["kent", "7.0"]) in html
    assert reverse("edition", args=["kent", "8.0"]) not in html


def test_the_home_page_lists_the_draft_for_those_who_may_read_it(client, kcsp_member, kent):
    client.force_login(kcsp_member)
    html = client.get(reverse("home")).content.decode()
    assert reverse("edition", args=["kent", "8.0"]) in html and "Draft</strong>, not published" in html


def test_a_draft_under_review_is_still_a_draft(client, kcst, draft):
    record_past_status(draft, Version.Status.WORKING_GROUP_REVIEW, "The state for the test, not a sign-off (see tests/test_workflow.py).")
    client.force_login(kcst)
    html = client.get(reverse("edition", args=["kent", "8.0"])).content.decode()
    assert '<p class="cover-status">DRAFT</p>' in html and "Draft (Working Group review), not published." in html
