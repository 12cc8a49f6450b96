"""The admin KCST staff use: history with the acting user, stale saves refused, constant query counts."""

import pytest
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agreements.models import Chapter, Lead, Membership, Paragraph, Priority, Version
from agreements.refresh import start_next_refresh
from assessments.models import ReturnEvent, ReturnItem

from .conftest import mark_published


def count_queries(client, url: str) -> int:
    client.get(url)  # the first request fills per-process caches (content types, permissions)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


def our_admins():
    return [
        (model, model_admin) for model, model_admin in admin.site._registry.items()
        if model._meta.app_label in ("agreements", "assessments") and model is not Membership
    ]


def test_kcst_edits_the_draft_and_history_records_who(client, kcst, draft):
    paragraph = Paragraph.objects.filter(chapter__version=draft, style="numbered").first()
    client.force_login(kcst)
    url = reverse("admin:agreements_paragraph_change", args=[paragraph.pk])
    response = client.post(url, {
        "order": paragraph.order, "style": paragraph.style, "key": paragraph.key,
        "html": "Rewritten <em>by KCST</em><script>alert(1)</script>", "edit_revision": paragraph.revision,
    })
    assert response.status_code == 302
    paragraph.refresh_from_db()
    assert paragraph.html == "Rewritten <em>by KCST</em>"
    latest = paragraph.history.first()
    assert latest.history_user == kcst
    assert latest.history_type == "~"
    history_page = client.get(reverse("admin:agreements_paragraph_history", args=[paragraph.pk]))
    assert kcst.username in history_page.content.decode()


def test_a_stale_save_is_refused_and_overwrites_nothing(client, kcst, draft):
    priority = draft.priorities.get(key="road-safety")
    client.force_login(kcst)
    url = reverse("admin:agreements_priority_change", args=[priority.pk])
    stale_revision = priority.revision

    # Someone else saves first.
    fresh = Priority.objects.get(pk=priority.pk)
    fresh.name = "Road Safety and Vision Zero"
    fresh.save()

    response = client.post(url, {
        "order": priority.order, "name": "Road Danger", "gloss": "", "key": priority.key,
        "includes": "", "includes_note": "", "edit_revision": stale_revision,
        "lead-TOTAL_FORMS": 1, "lead-INITIAL_FORMS": 1, "lead-MIN_NUM_FORMS": 0, "lead-MAX_NUM_FORMS": 1,
        "lead-0-id": priority.lead.pk, "lead-0-priority": priority.pk, "lead-0-role": priority.lead.role,
        "lead-0-organisation": "", "lead-0-edit_revision": priority.lead.revision,
    })
    assert response.status_code == 200
    assert "Someone else changed this priority while you were editing it" in response.content.decode()
    priority.refresh_from_db()
    assert priority.name == "Road Safety and Vision Zero"


def test_a_stale_model_save_raises(draft):
    from agreements.models import StaleEdit

    first = Lead.objects.get(priority__version=draft, priority__key="road-safety")
    second = Lead.objects.get(pk=first.pk)
    first.role = "First"
    first.save()
    second.role = "Second"
    with pytest.raises(StaleEdit):
        second.save()
    first.refresh_from_db()
    assert first.role == "First"


def test_published_content_shows_read_only_in_the_admin(client, kcst, kent):
    client.force_login(kcst)
    chapter = Chapter.objects.filter(version__number="1.0").first()
    url = reverse("admin:agreements_chapter_change", args=[chapter.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert 'name="_save"' not in response.content.decode()
    response = client.post(url, {"title": "Changed"})
    assert response.status_code == 403
    chapter.refresh_from_db()
    assert chapter.title != "Changed"


def test_district_officers_and_members_cannot_use_the_admin(client, officer_a, kcsp_member):
    for user in (officer_a, kcsp_member):
        client.force_login(user)
        response = client.get("/admin/agreements/version/")
        assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_changelist_queries_do_not_grow_with_rows(client, kcst, kent, draft):
    client.force_login(kcst)
    urls = [reverse(f"admin:{m._meta.app_label}_{m._meta.model_name}_changelist") for m, _ in our_admins()]
    before = {url: count_queries(client, url) for url in urls}

    mark_published(draft)
    start_next_refresh(kent)  # a second complete edition: every content table doubles

    after = {url: count_queries(client, url) for url in urls}
    assert after == before


def test_change_page_queries_do_not_grow_with_rows(client, kcst, draft, ashford_return):
    client.force_login(kcst)
    chapter = draft.chapters.get(key="landscape")
    priority = draft.priorities.first()
    # A draft return, whose issues the page offers to edit (an accepted one opens read-only).
    assessment_return = ashford_return
    pages = [
        reverse("admin:agreements_version_change", args=[draft.pk]),
        reverse("admin:agreements_chapter_change", args=[chapter.pk]),
        reverse("admin:agreements_priority_change", args=[priority.pk]),
        reverse("admin:assessments_assessmentreturn_change", args=[assessment_return.pk]),
    ]
    before = [count_queries(client, url) for url in pages]

    for i in range(10):
        ReturnItem.objects.create(assessment_return=assessment_return, own_wording=f"Extra {i}", kind="main")
        ReturnEvent.objects.create(assessment_return=assessment_return, action="submitted", by=kcst)

    for i in range(30):
        Paragraph.objects.create(chapter=chapter, key=f"extra-{i}", order=100 + i, html=f"Extra {i}")
        Chapter.objects.create(version=draft, key=f"extra-{i}", title=f"Extra {i}", order=100 + i)
        extra = Priority.objects.create(version=draft, key=f"extra-{i}", name=f"Extra {i}", order=100 + i)
        Lead.objects.create(priority=extra, tbc=True)

    assert [count_queries(client, url) for url in pages] == before
