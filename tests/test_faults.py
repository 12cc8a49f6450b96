"""Failures in the middle of a change leave nothing half-written and say so clearly."""

import pytest
from django.db import DatabaseError
from django.urls import reverse

from agreements.models import Paragraph
from assessments.models import ReturnItem


def test_a_database_error_mid_save_writes_nothing_and_shows_a_clear_page(client, kcst, draft, monkeypatch):
    chapter = draft.chapters.get(key="introduction")
    paragraphs = list(chapter.paragraphs.order_by("order"))
    before = [(p.pk, p.html) for p in paragraphs]
    data = {
        "order": chapter.order, "label": chapter.label, "title": "Introduction (rewritten)", "key": chapter.key,
        "generated": chapter.generated, "edit_revision": chapter.revision,
        "paragraphs-TOTAL_FORMS": len(paragraphs), "paragraphs-INITIAL_FORMS": len(paragraphs),
        "paragraphs-MIN_NUM_FORMS": 0, "paragraphs-MAX_NUM_FORMS": 1000,
        # the chapter's notes, none
        "footnotes-TOTAL_FORMS": 0, "footnotes-INITIAL_FORMS": 0,
        "footnotes-MIN_NUM_FORMS": 0, "footnotes-MAX_NUM_FORMS": 1000,
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


@pytest.mark.django_db(transaction=True)
def test_two_browsers_submitting_the_same_return_at_once_one_wins_the_other_is_told():
    import datetime
    import threading

    from django.db import connection
    from django.utils import timezone

    from agreements.models import Agreement, StaleEdit
    from assessments.cycles import open_cycle
    from assessments.models import AssessmentReturn, ReturnRefused

    from .conftest import load_kent, make_officer

    load_kent()
    officer = make_officer("ashford")
    cycle = open_cycle(Agreement.objects.get(slug="kent"), "2024-25",
                       due_on=timezone.localdate() + datetime.timedelta(days=28))
    ret = cycle.returns.get(partnership__slug="ashford")
    ret.save_part(ReturnItem(assessment_return=ret, category=cycle.categories.get(key="crime"), kind="main"),
                  ret.revision)
    barrier = threading.Barrier(2)
    outcomes = []

    def submit():
        copy = AssessmentReturn.objects.get(pk=ret.pk)
        barrier.wait()
        try:
            copy.submit(officer, revision=copy.revision)
            outcomes.append("submitted")
        except (StaleEdit, ReturnRefused) as refusal:
            outcomes.append(str(refusal))
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert outcomes.count("submitted") == 1
    told = next(o for o in outcomes if o != "submitted")
    assert "Someone else changed this" in told or "cannot be submitted now" in told
    assert ret.events.filter(action="submitted").count() == 1
