"""Hostile and random input: sanitised, escaped, length-limited, and never a server error or a partial change."""

import pytest
from django.apps import apps
from django.db import models, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from agreements.models import Paragraph
from agreements.sanitise import sanitise_html

from .test_portal import snapshot, url

ATTACKS = [
    '<script>alert("x")</script>',
    '<img src=x onerror="alert(1)">',
    '<a href="javascript:alert(1)">click</a>',
    '<em onmouseover="alert(1)">hover</em>',
    '<iframe src="https://evil.example"></iframe>',
    '<a href="https://example.org" onclick="steal()">ok</a>',
]


@pytest.mark.parametrize("attack", ATTACKS)
def test_formatted_text_is_sanitised_on_save(draft, attack):
    paragraph = Paragraph.objects.filter(chapter__version=draft).first()
    paragraph.html = f"Safe <strong>text</strong> {attack}"
    paragraph.save()
    paragraph.refresh_from_db()
    for bad in ("<script", "onerror", "javascript:", "onmouseover", "<iframe", "onclick"):
        assert bad not in paragraph.html
    assert "<strong>text</strong>" in paragraph.html


def test_links_keep_their_address_and_lose_their_handlers():
    assert sanitise_html('<a href="https://example.org" onclick="x()">ok</a>') == (
        '<a href="https://example.org" rel="noopener noreferrer">ok</a>'
    )


@pytest.mark.parametrize("href", ["http://example.org/plan", "HTTPS://example.org", "mailto:kcst@example.org"])
def test_web_and_mail_links_keep_their_address(href):
    assert sanitise_html(f'<a href="{href}">contact</a>') == f'<a href="{href}" rel="noopener noreferrer">contact</a>'


@pytest.mark.parametrize("href", ["ftp://example.org/plan.doc", "tel:01622000000", "sms:01622000000"])
def test_links_of_other_schemes_lose_their_address(href):
    assert sanitise_html(f'<a href="{href}">contact</a>') == '<a rel="noopener noreferrer">contact</a>'


def test_a_pasted_table_keeps_its_cells_spans_and_nothing_of_its_layout():
    pasted = (
        '<table border="1" width="100%"><tr align="left"><td width="50" colspan="2" valign="top">A</td>'
        '<th scope="col" bgcolor="red">B</th></tr></table><ol start="3"><li>C</li></ol>'
    )
    assert sanitise_html(pasted) == (
        '<table><tbody><tr><td colspan="2">A</td><th scope="col">B</th></tr></tbody></table><ol><li>C</li></ol>'
    )


@pytest.mark.parametrize("attack", ATTACKS)
def test_sanitised_text_shows_escaped_on_the_edition_page(client, kcst, draft, attack):
    priority = draft.priorities.first()
    priority.name = attack
    priority.save()
    client.force_login(kcst)
    page = client.get(f"/kent/{draft.number}/").content.decode()
    assert attack not in page


def test_every_text_field_has_a_length_limit():
    unlimited = [
        f"{model._meta.label}.{field.name}"
        for app in ("agreements", "assessments", "review")
        for model in apps.get_app_config(app).get_models()
        if not hasattr(model, "instance_type")
        for field in model._meta.get_fields()
        if isinstance(field, (models.CharField, models.TextField)) and field.max_length is None
    ]
    assert unlimited == []


text = st.text(max_size=300)
form_values = st.one_of(text, st.integers(-5, 10**12).map(str), st.sampled_from(["", "main", "cross_cutting",
                                                                                 "within_theme", "up", "down"]))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.dictionaries(st.sampled_from(["category", "own_wording", "kind", "note", "revision", "direction",
                                              "harm", "likelihood", "organisational_position", "confidence",
                                              "issue", "local_signoff"]), form_values, max_size=8),
       form=st.sampled_from(["item-add", "signoff", "morile-add", "check"]))
def test_random_portal_forms_never_error_and_never_half_save(client, officer_a, ashford_return, data, form):
    client.force_login(officer_a)
    with transaction.atomic():
        before = snapshot(ashford_return)
        response = client.post(url(form, ashford_return), data)
        assert response.status_code in (200, 302), response.status_code
        after = snapshot(ashford_return)
        if after != before:
            # A change was accepted whole: the revision moved on and the page redirected.
            assert response.status_code == 302 and after[0] == before[0] + 1
        transaction.set_rollback(True)


# Markup a KCST officer could paste from a web page: every part of it that acts or styles must go.
PASTED = ('<p style="color:red" onclick="steal()">Ring <a href="javascript:alert(1)">KCST</a>'
          '<img src="x" onerror="alert(1)"><script>alert(2)</script> or see <a href="https://www.kent.gov.uk/">'
          'kent.gov.uk</a></p>')
LEFT_BEHIND = ("steal()", "alert(", "color:red", 'style="')


@pytest.fixture
def pasted_everywhere(draft):
    """An achievement and the agreement's contact details pasted as HTML (the contact details are
    printed on the last page of an edition without a contact chapter of its own)."""
    draft.achievements.create(title="Safer streets", html=f"Streets made safer. {PASTED}", order=99)
    draft.chapters.get(key="contact").delete()
    draft.agreement.contact_html = f"<p>Contact the team.</p>{PASTED}"
    draft.agreement.save()
    return draft


def test_pasted_html_is_sanitised_on_the_page_and_the_review_page(client, kcst, pasted_everywhere):
    client.force_login(kcst)
    for address in (f"/kent/{pasted_everywhere.number}/", f"/kent/{pasted_everywhere.number}/review/"):
        page = client.get(address).content.decode()
        assert "Streets made safer." in page and "Contact the team." in page, address
        assert [bad for bad in LEFT_BEHIND if bad in page] == [], address


def test_pasted_html_is_sanitised_in_the_pdf(pasted_everywhere):
    import io

    import pikepdf
    import pypdf

    from documents.pdf import render_pdf

    content = render_pdf(pasted_everywhere)
    text = "".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(content)).pages)
    assert "Streets made safer." in text and "Contact the team." in text
    assert "alert(" not in text
    with pikepdf.open(io.BytesIO(content)) as pdf:
        links = [str(annot.A.URI) for page in pdf.pages for annot in page.get("/Annots", [])
                 if "/A" in annot and "/URI" in annot.A]
    assert "https://www.kent.gov.uk/" in links  # links are kept, as annotations of the PDF ...
    assert not [link for link in links if link.startswith("javascript:")]  # ... but never one that runs script


def test_unchanged_words_of_the_review_diff_are_escaped(client, kent, draft, kcst):
    """Text that reads as markup (typed as text, so stored as entities) stays text when the review
    page marks the words around it."""
    paragraph = Paragraph.objects.get(chapter__version=draft, key="priorities-1")
    paragraph.html = "Type &lt;script&gt;alert(3)&lt;/script&gt; to test, in the old words."
    paragraph.save()
    from agreements.refresh import start_next_refresh

    from .conftest import mark_published

    mark_published(draft)
    new = start_next_refresh(kent, by=kcst)
    changed = Paragraph.objects.get(chapter__version=new, key="priorities-1")
    changed.html = changed.html.replace("old words", "new words")
    changed.save()
    client.force_login(kcst)
    page = client.get(f"/kent/{new.number}/review/").content.decode()
    assert "[added: </span>new<" in page  # the paragraph is marked, so its words went through the diff
    assert "<script>alert(3)" not in page
    assert "&lt;script&gt;alert(3)&lt;/script&gt;" in page
