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
