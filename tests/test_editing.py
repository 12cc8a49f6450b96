"""KCST edits the 8.0 draft as a document: from its page, one paragraph or note at a time."""

import re

import pytest
from django.urls import reverse

from agreements.models import Footnote, Paragraph, Version
from agreements.sanitise import sanitise_html
from agreements.workflow import record_past_status


@pytest.fixture
def kcst_client(client, kcst):
    client.force_login(kcst)
    return client


def paragraph(draft, chapter: str, position: int) -> Paragraph:
    return Paragraph.objects.filter(chapter__version=draft, chapter__key=chapter).order_by("order", "pk")[position]


def edit_url(name: str, draft, *args) -> str:
    return reverse(name, args=["kent", draft.number, *args])


def save(client, url: str, **fields):
    return client.post(url, {"style": "numbered", "save": "", **fields})


def document(client, draft) -> str:
    return client.get(reverse("edition", args=["kent", draft.number])).content.decode()


def test_kcst_sees_edit_beside_every_chapter_and_paragraph_of_the_draft(kcst_client, draft):
    page = document(kcst_client, draft)
    first = paragraph(draft, "priorities", 0)
    assert f'href="{edit_url("edit_paragraph", draft, first.pk)}"' in page
    assert f'href="{edit_url("edit_chapter", draft, "priorities")}"' in page
    paragraphs = Paragraph.objects.filter(chapter__version=draft).count()
    # Appendix A's superseded draft note is not printed, so it has no link either.
    assert paragraphs - 2 <= page.count('/edit/paragraphs/') <= paragraphs


@pytest.mark.parametrize("reader", ["kcsp_member", "working_group_member"])
def test_other_readers_of_the_draft_see_no_edit_links(client, draft, reader, request):
    client.force_login(request.getfixturevalue(reader))
    page = document(client, draft)
    assert "/edit/" not in page and "Edit<" not in page


def test_no_edit_links_once_the_draft_is_in_review(kcst_client, draft):
    record_past_status(draft, Version.Status.WORKING_GROUP_REVIEW, "For a test.")
    assert "/edit/" not in document(kcst_client, draft)


def test_saving_a_paragraph_returns_to_it_in_the_document(kcst_client, draft):
    p = paragraph(draft, "priorities", 1)
    url = edit_url("edit_paragraph", draft, p.pk)
    page = kcst_client.get(url).content.decode()
    assert "data-prose-editor" in page and 'name="revision"' in page
    response = save(kcst_client, url, html="<p>Rewritten with a <strong>bold</strong> claim<sup>2</sup>.</p>",
                    revision=p.revision)
    assert response.status_code == 302
    assert response["Location"] == reverse("edition", args=["kent", "8.0"]) + f"#edit-paragraph-{p.pk}"
    page = kcst_client.get(response["Location"]).content.decode()
    assert "Paragraph 6.2 saved." in page
    assert f'id="edit-paragraph-{p.pk}"' in page
    assert "Rewritten with a <strong>bold</strong> claim<sup>2</sup>." in page


def test_preview_shows_the_paragraph_as_printed_and_saves_nothing(kcst_client, draft):
    p = paragraph(draft, "priorities", 2)
    before = p.html
    response = kcst_client.post(edit_url("edit_paragraph", draft, p.pk), {
        "html": "<p>Previewed <em>text</em><script>x()</script></p>", "style": "numbered",
        "revision": p.revision, "preview": "",
    })
    page = response.content.decode()
    assert response.status_code == 200
    assert '<span class="paragraph-number">6.3</span> Previewed <em>text</em>' in page
    assert "<script>x()" not in page
    p.refresh_from_db()
    assert p.html == before


def test_preview_names_the_parts_the_text_refers_to(kcst_client, draft):
    p = paragraph(draft, "priorities", 2)
    leads = draft.chapters.get(key="leads")
    response = kcst_client.post(edit_url("edit_paragraph", draft, p.pk), {
        "html": "<p>See [>leads], the diagram on page [>diagram] and [>no-such-part].</p>", "style": "numbered",
        "revision": p.revision, "preview": "",
    })
    preview = response.content.decode().split('id="preview-heading"')[1].split("</section>")[0]
    assert f'href="#chapter-leads" data-description="{leads.heading}"' in preview
    assert ('on page <a class="cross-reference" href="#priorities-diagram" data-description="the priorities diagram">'
            '<span class="cross-reference-name">the priorities diagram</span></a>') in preview
    assert "[&gt;leads]" not in preview and "[&gt;diagram]" not in preview
    assert "[&gt;no-such-part]" in preview  # a mistake shows as written, as on the page


def test_restyle_and_mark_to_be_updated(kcst_client, draft):
    p = paragraph(draft, "priorities", 0)
    save(kcst_client, edit_url("edit_paragraph", draft, p.pk), html="Our priorities", style="subheading",
         to_be_updated="on", revision=p.revision)
    p.refresh_from_db()
    assert (p.style, p.to_be_updated) == ("subheading", True)
    page = document(kcst_client, draft)
    assert '<h3 class="subheading">Our priorities</h3>' in page
    # 6.2 is now the first numbered paragraph of chapter 6
    assert '<span class="paragraph-number">6.1</span> To help identify' in page
    save(kcst_client, edit_url("edit_paragraph", draft, p.pk), html="Our priorities", style="plain",
         revision=p.revision)
    p.refresh_from_db()
    assert (p.style, p.to_be_updated) == ("plain", False)


def test_an_empty_paragraph_is_refused_naming_the_field(kcst_client, draft):
    p = paragraph(draft, "priorities", 0)
    response = save(kcst_client, edit_url("edit_paragraph", draft, p.pk), html="", revision=p.revision)
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page and "Enter the paragraph&#x27;s text" in page
    assert Paragraph.objects.get(pk=p.pk).html == p.html


def test_inserting_before_and_after_a_paragraph_numbers_the_chapter_again(kcst_client, draft):
    second = paragraph(draft, "priorities", 1)
    add = edit_url("add_paragraph", draft, "priorities")
    response = save(kcst_client, f"{add}?before={second.pk}", html="Inserted before", revision=0)
    assert response.status_code == 302
    save(kcst_client, f"{add}?after={second.pk}", html="Inserted after", revision=0)
    save(kcst_client, add, html="At the end", revision=0)
    texts = [p.html for p in Paragraph.objects.filter(chapter__version=draft, chapter__key="priorities")]
    assert texts[1:4] == ["Inserted before", second.html, "Inserted after"]
    assert texts[-1] == "At the end"
    orders = list(Paragraph.objects.filter(chapter__version=draft, chapter__key="priorities").values_list("order", flat=True))
    assert orders == list(range(len(orders)))
    page = document(kcst_client, draft)
    assert '<span class="paragraph-number">6.2</span> Inserted before' in page
    assert '<span class="paragraph-number">6.4</span> Inserted after' in page


def test_new_paragraphs_get_unique_keys_without_being_asked(kcst_client, draft):
    add = edit_url("add_paragraph", draft, "priorities")
    save(kcst_client, add, html="One", revision=0)
    save(kcst_client, add, html="Two", revision=0)
    keys = list(Paragraph.objects.filter(chapter__version=draft, html__in=["One", "Two"]).values_list("key", flat=True))
    assert len(keys) == 2 and len(set(keys)) == 2 and all(keys)


def test_moving_a_paragraph_up_and_down(kcst_client, draft):
    first, second = paragraph(draft, "priorities", 0), paragraph(draft, "priorities", 1)
    response = kcst_client.post(edit_url("move_paragraph", draft, second.pk), {"direction": "up"})
    assert response.status_code == 302
    assert [p.pk for p in Paragraph.objects.filter(chapter=first.chapter)[:2]] == [second.pk, first.pk]
    kcst_client.post(edit_url("move_paragraph", draft, second.pk), {"direction": "down"})
    assert [p.pk for p in Paragraph.objects.filter(chapter=first.chapter)[:2]] == [first.pk, second.pk]


def test_deleting_a_paragraph_asks_first(kcst_client, draft):
    p = paragraph(draft, "priorities", 3)
    url = edit_url("delete_paragraph", draft, p.pk)
    page = kcst_client.get(url).content.decode()
    assert "Delete paragraph 6.4?" in page and Paragraph.objects.filter(pk=p.pk).exists()
    response = kcst_client.post(url)
    assert response["Location"].endswith("#chapter-priorities")
    assert not Paragraph.objects.filter(pk=p.pk).exists()


def test_the_chapter_page_lists_its_paragraphs_and_notes(kcst_client, draft):
    chapter = draft.chapters.get(key="priorities")
    note = Footnote.objects.create(chapter=chapter, html="Home Office, 2023.")
    page = kcst_client.get(edit_url("edit_chapter", draft, "priorities")).content.decode()
    assert page.count("Move up") == chapter.paragraphs.count() - 1
    assert note.reference in page and "Not referred to in the text" in page


def test_a_stale_save_is_refused_with_the_message_and_the_typed_text_kept(kcst_client, draft):
    p = paragraph(draft, "priorities", 0)
    url = edit_url("edit_paragraph", draft, p.pk)
    read_at = p.revision
    theirs = Paragraph.objects.get(pk=p.pk)
    theirs.html = "Their change, saved first."
    theirs.save()
    response = save(kcst_client, url, html="<p>My careful rewrite</p>", revision=read_at)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Someone else changed this paragraph while you were editing it. Nothing was saved." in page
    assert "&lt;p&gt;My careful rewrite&lt;/p&gt;</textarea>" in page  # what was typed, in the editor
    assert "Their change, saved first." in page
    assert Paragraph.objects.get(pk=p.pk).html == "Their change, saved first."
    # Saving again, knowing, replaces theirs.
    revision = re.search(r'name="revision" value="(\d+)"', page).group(1)
    assert save(kcst_client, url, html="<p>My careful rewrite</p>", revision=revision).status_code == 302
    assert Paragraph.objects.get(pk=p.pk).html == "<p>My careful rewrite</p>"


def test_footnotes_are_numbered_by_their_first_reference_and_printed_after_the_chapter(kcst_client, draft):
    chapter = draft.chapters.get(key="priorities")
    first = Footnote.objects.create(chapter=chapter, html="First note, kept first.")
    second = Footnote.objects.create(chapter=chapter, html="<em>Second</em> note.")
    p = paragraph(draft, "priorities", 0)
    p.html = f"Text citing the second{second.reference} then the first{first.reference} and again{second.reference}."
    p.save()
    page = document(kcst_client, draft)
    anchor = "chapter-priorities-note"
    assert (f'citing the second<sup class="footnote-ref"><a href="#{anchor}-1" id="{anchor}-ref-1" '
            'aria-label="Note 1">1</a></sup>') in page
    assert f'the first<sup class="footnote-ref"><a href="#{anchor}-2" id="{anchor}-ref-2"' in page
    assert f'again<sup class="footnote-ref"><a href="#{anchor}-1" aria-label="Note 1">1</a></sup>' in page
    notes = page[page.index('<ol class="footnotes-list">'):]
    assert notes.index("<em>Second</em> note.") < notes.index("First note, kept first.")


def test_adding_editing_and_deleting_a_note(kcst_client, draft):
    response = kcst_client.post(edit_url("add_note", draft, "appendix-a"), {"html": "Source: the returns.", "revision": 0})
    note = Footnote.objects.get(chapter__version=draft, chapter__key="appendix-a")
    assert response.status_code == 302 and note.key.startswith("note-")
    kcst_client.post(edit_url("edit_note", draft, note.pk), {"html": "Source: <em>the</em> returns.", "revision": note.revision})
    note.refresh_from_db()
    assert note.html == "Source: <em>the</em> returns."
    assert "Delete this note?" in kcst_client.get(edit_url("delete_note", draft, note.pk)).content.decode()
    kcst_client.post(edit_url("delete_note", draft, note.pk))
    assert not Footnote.objects.filter(pk=note.pk).exists()


EDIT_GETS = [
    ("edit_chapter", lambda d: ["priorities"]),
    ("add_paragraph", lambda d: ["priorities"]),
    ("edit_paragraph", lambda d: [paragraph(d, "priorities", 0).pk]),
    ("delete_paragraph", lambda d: [paragraph(d, "priorities", 0).pk]),
    ("add_note", lambda d: ["priorities"]),
]


@pytest.mark.parametrize("name, args", EDIT_GETS)
@pytest.mark.parametrize("role", ["officer_a", "kcsp_member", "working_group_member"])
def test_other_roles_get_a_404_from_every_editor_page(client, draft, name, args, role, request):
    client.force_login(request.getfixturevalue(role))
    assert client.get(edit_url(name, draft, *args(draft))).status_code == 404


def test_other_roles_cannot_change_a_paragraph(client, draft, kcsp_member):
    p = paragraph(draft, "priorities", 0)
    client.force_login(kcsp_member)
    assert save(client, edit_url("edit_paragraph", draft, p.pk), html="Hijacked", revision=p.revision).status_code == 404
    assert client.post(edit_url("delete_paragraph", draft, p.pk)).status_code == 404
    assert client.post(edit_url("move_paragraph", draft, p.pk), {"direction": "down"}).status_code == 404
    assert Paragraph.objects.get(pk=p.pk).html == p.html


def test_anonymous_visitors_are_sent_to_sign_in(client, draft):
    response = client.get(edit_url("edit_chapter", draft, "priorities"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("status", [Version.Status.WORKING_GROUP_REVIEW, Version.Status.PUBLISHED])
def test_a_frozen_edition_is_refused_with_the_reason(kcst_client, draft, status):
    p = paragraph(draft, "priorities", 0)
    record_past_status(draft, status, "For a test.")
    response = save(kcst_client, edit_url("edit_paragraph", draft, p.pk), html="Too late", revision=p.revision)
    assert response.status_code == 403
    assert f"Version 8.0 of the Kent Community Safety Agreement is {status.label.lower()}" in response.content.decode()
    assert "Too late</textarea>" in response.content.decode()  # what was typed is not lost
    assert Paragraph.objects.get(pk=p.pk).html == p.html


def test_a_paragraph_of_another_edition_is_not_found(kcst_client, draft, kent):
    older = Paragraph.objects.filter(chapter__version__agreement=kent).exclude(chapter__version=draft).first()
    if older is None:
        pytest.skip("no other edition has paragraphs")
    assert kcst_client.get(edit_url("edit_paragraph", draft, older.pk)).status_code == 404


KEPT = [
    "<p><strong>bold</strong> <em>italic</em> <a href=\"https://example.org\" rel=\"noopener noreferrer\">link</a></p>",
    "<ul><li><p>bullet</p></li></ul><ol><li><p>numbered</p></li></ol>",
    "<p>x<sup>2</sup> H<sub>2</sub>O</p>",
    "<table><tbody><tr><th colspan=\"1\" rowspan=\"1\"><p>Priority</p></th><th>Lead</th></tr>"
    "<tr><td colspan=\"1\" rowspan=\"1\"><p>Road Safety</p></td><td>KCC</td></tr></tbody></table>",
]


@pytest.mark.parametrize("html", KEPT)
def test_sanitising_keeps_the_formatting_the_editor_offers(html):
    assert sanitise_html(html) == html


@pytest.mark.parametrize("html, kept", [
    ('<p style="color:red">styled</p>', "<p>styled</p>"),
    ('<td style="width:9em">cell</td>', "cell"),
    ("<script>alert(1)</script>text", "text"),
    ('<img src="x" onerror="y()">', ""),
    ("<h1>heading</h1>", "heading"),
    ('<table><tr><th onclick="x()" scope="col" style="x">h</th></tr></table>',
     '<table><tbody><tr><th scope="col">h</th></tr></tbody></table>'),
    ('<a href="javascript:x()">bad</a>', '<a rel="noopener noreferrer">bad</a>'),
])
def test_sanitising_strips_everything_else(html, kept):
    assert sanitise_html(html) == kept


def test_the_admin_chapter_page_opens_the_chapter_and_each_paragraph_in_the_editor(client, draft, kcst):
    client.force_login(kcst)
    chapter = draft.chapters.get(key="priorities")
    Footnote.objects.create(chapter=chapter, key="note-admin", html="Seen in the admin.")
    page = client.get(reverse("admin:agreements_chapter_change", args=[chapter.pk])).content.decode()
    assert f'href="{edit_url("edit_chapter", draft, "priorities")}"' in page
    for p in chapter.paragraphs.all():
        assert f'<a href="{edit_url("edit_paragraph", draft, p.pk)}">Open in the editor</a>' in page
    assert "[^note-admin]" in page  # the note's reference, beside its text in the notes inline


def test_a_table_prints_as_a_block_of_its_own_after_the_number(kcst_client, draft):
    p = paragraph(draft, "priorities", 1)
    table = "<table><tbody><tr><th>District</th><th>Crimes</th></tr><tr><td>Ashford</td><td>9,120</td></tr></tbody></table>"
    save(kcst_client, edit_url("edit_paragraph", draft, p.pk), html=f"Recorded crime:{table}", revision=p.revision)
    page = document(kcst_client, draft)
    # The table carries the anchor a cross-reference to it ([>table-<key>]) points to.
    anchored = table.replace("<table>", f'<table id="table-{p.key}">')
    assert f'<p><span class="paragraph-number">6.2</span> Recorded crime:</p>{anchored}' in page
