"""Failures in the middle of a change leave nothing half-written and say so clearly."""

import pytest
from django.db import DatabaseError
from django.urls import reverse

from agreements.models import Paragraph


def test_a_database_error_mid_save_writes_nothing_and_shows_a_clear_page(client, kcst, draft, monkeypatch):
    chapter = draft.chapters.get(key="introduction")
    paragraphs = list(chapter.paragraphs.order_by("order"))
    before = [(p.pk, p.html) for p in paragraphs]
    data = {
        "order": chapter.order, "label": chapter.label, "title": "Introduction (rewritten)", "key": chapter.key,
        "generated": chapter.generated, "edit_revision": chapter.revision,
        "paragraphs-TOTAL_FORMS": len(paragraphs), "paragraphs-INITIAL_FORMS": len(paragraphs),
        "paragraphs-MIN_NUM_FORMS": 0, "paragraphs-MAX_NUM_FORMS": 1000,
    }
    for i, p in enumerate(paragraphs):
        data.update({
            f"paragraphs-{i}-id": p.pk, f"paragraphs-{i}-chapter": chapter.pk, f"paragraphs-{i}-order": p.order,
            f"paragraphs-{i}-style": p.style, f"paragraphs-{i}-html": f"Rewritten {i}",
            f"paragraphs-{i}-edit_revision": p.revision,
        })
    saves = []
    original_save = Paragraph.save

    def failing_save(self, *args, **kwargs):
        saves.append(self.pk)
        if len(saves) == 2:
            raise DatabaseError("connection lost")
        return original_save(self, *args, **kwargs)

    monkeypatch.setattr(Paragraph, "save", failing_save)
    client.raise_request_exception = False
    client.force_login(kcst)
    response = client.post(reverse("admin:agreements_chapter_change", args=[chapter.pk]), data)

    assert response.status_code == 500
    assert "Nothing you sent was saved" in response.content.decode()
    assert len(saves) == 2  # the first paragraph was written before the failure...
    chapter.refresh_from_db()
    assert chapter.title == "Introduction"
    assert [(p.pk, p.html) for p in chapter.paragraphs.order_by("order")] == before  # ...and rolled back


@pytest.mark.parametrize("path", ["/no-such-page/", "/kent/99.0/"])
def test_missing_pages_say_so_plainly(client, db, path):
    response = client.get(path)
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
