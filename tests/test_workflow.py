"""The sign-off route: every allowed and refused move, frozen content, and publishing."""

import datetime
import hashlib
import threading

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.files.storage import default_storage
from django.db import connection

from agreements import workflow
from agreements.models import ChangeNote, EditionFrozen, Paragraph, Snapshot, StatusOutsideWorkflow, Version
from agreements.roles import KCSP_MEMBER, KCST_STAFF
from agreements.setup import PastSignOff, set_up_edition
from agreements.signals import edition_published
from agreements.workflow import TransitionRefused, transition
from documents import pdf, snapshot
from documents.models import PublicPage

S = Version.Status
AGREED = {"meeting_date": datetime.date(2024, 3, 14), "minute": "RESOLVED that the priorities be agreed"}


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def fake_pdf(monkeypatch):
    """A stand-in renderer for tests about the route, not the document (tests/test_pdf.py renders for real)."""
    monkeypatch.setattr(pdf, "render_pdf", lambda version: f"%PDF-1.7 edition {version.number}".encode())


def clear_publish_blockers(version: Version) -> None:
    ChangeNote.objects.filter(version=version, to_be_updated=True).update(to_be_updated=False)


def move_to(version: Version, status: str, by) -> Version:
    route = {
        S.WORKING_GROUP_REVIEW: ["send_to_working_group"],
        S.KCSP_CONSULTATION: ["send_to_working_group", "consult_kcsp"],
        S.AGREED: ["send_to_working_group", "consult_kcsp", "record_agreement"],
    }[status]
    for name in route:
        transition(version, name, by, **(AGREED if name == "record_agreement" else {}))
    version.refresh_from_db()
    return version


def test_kcst_moves_the_draft_along_the_whole_route(draft, kcst, fake_pdf, mailoutbox):
    clear_publish_blockers(draft)
    transition(draft, "send_to_working_group", kcst, note="Ready for review")
    transition(draft, "consult_kcsp", kcst)
    transition(draft, "record_agreement", kcst, **AGREED)
    transition(draft, "publish", kcst, publish_with_provisional=True)

    draft.refresh_from_db()
    assert draft.status == S.PUBLISHED
    route = list(draft.transitions.values_list("from_status", "to_status", "by__username"))
    assert route == [
        (S.DRAFT, S.WORKING_GROUP_REVIEW, "kcst-officer"),
        (S.WORKING_GROUP_REVIEW, S.KCSP_CONSULTATION, "kcst-officer"),
        (S.KCSP_CONSULTATION, S.AGREED, "kcst-officer"),
        (S.AGREED, S.PUBLISHED, "kcst-officer"),
    ]
    agreed = draft.transitions.get(to_status=S.AGREED)
    assert agreed.minute == "RESOLVED that the priorities be agreed"
    assert agreed.meeting_date == datetime.date(2024, 3, 14)
    assert draft.publish_with_provisional_returns


@pytest.mark.parametrize("name", [t.name for t in workflow.TRANSITIONS])
def test_only_kcst_staff_may_make_each_move(name, draft, kcsp_member, working_group_member, officer_a, kcst):
    refusal = {
        "send_to_working_group": "You may not send to the Working Group for review.",
        "consult_kcsp": "You may not send to the KCSP for consultation.",
        "record_agreement": "You may not record the KCSP's agreement.",
        "publish": "You may not publish.",
        "return_to_draft": "You may not return to draft.",
    }[name]
    for user in (kcsp_member, working_group_member, officer_a):
        with pytest.raises(TransitionRefused) as refused:
            transition(draft, name, user, note="x", **AGREED)
        assert str(refused.value) == refusal
        assert workflow.available(draft, user) == []
    assert [t.name for t in workflow.available(draft, kcst)] == ["send_to_working_group"]


@pytest.mark.parametrize(
    "status, refused",
    [
        (S.DRAFT, ["consult_kcsp", "record_agreement", "publish", "return_to_draft"]),
        (S.WORKING_GROUP_REVIEW, ["send_to_working_group", "record_agreement", "publish"]),
        (S.KCSP_CONSULTATION, ["send_to_working_group", "consult_kcsp", "publish"]),
        (S.AGREED, ["send_to_working_group", "consult_kcsp", "record_agreement"]),
    ],
)
def test_moves_out_of_order_are_refused(status, refused, draft, kcst):
    if status != S.DRAFT:
        move_to(draft, status, kcst)
    for name in refused:
        with pytest.raises(TransitionRefused, match="someone else moved it|is now"):
            transition(draft, name, kcst, note="x", **AGREED)
    draft.refresh_from_db()
    assert draft.status == status


@pytest.mark.parametrize("status", [S.WORKING_GROUP_REVIEW, S.KCSP_CONSULTATION, S.AGREED])
def test_return_to_draft_needs_a_reason(status, draft, kcst):
    move_to(draft, status, kcst)
    with pytest.raises(TransitionRefused) as refusal:
        transition(draft, "return_to_draft", kcst, note="  ")
    assert refusal.value.failures == ["Say why the version goes back to draft."]
    transition(draft, "return_to_draft", kcst, note="The lead for VAWG changed")
    draft.refresh_from_db()
    assert draft.status == S.DRAFT
    assert draft.transitions.last().note == "The lead for VAWG changed"


def test_agreement_needs_the_meeting_and_the_minute(draft, kcst):
    move_to(draft, S.KCSP_CONSULTATION, kcst)
    with pytest.raises(TransitionRefused) as refusal:
        transition(draft, "record_agreement", kcst)
    assert refusal.value.failures == [
        "Give the date of the KCSP meeting that agreed the priorities.",
        "Give the minute reference or resolution text.",
    ]


def test_publish_is_refused_by_name_while_anything_is_unfinished(draft, kcst, fake_pdf):
    move_to(draft, S.AGREED, kcst)
    with pytest.raises(TransitionRefused) as refusal:
        transition(draft, "publish", kcst)
    assert refusal.value.failures == [
        "Change note 'Foreword – to be updated' is still marked 'to be updated'.",
        "Change note 'Appendix B – to be updated' is still marked 'to be updated'.",
        "3 return(s) feeding Appendix A are still provisional (Dover Community Safety Partnership, "
        "Swale Community Safety Partnership, Thanet Community Safety Partnership): wait for local sign-off, "
        "or record that you publish with provisional returns.",
    ]
    draft.refresh_from_db()
    assert draft.status == S.AGREED and not draft.pdf_sha256


def test_publish_is_refused_while_a_paragraph_is_to_be_updated(draft, kcst, fake_pdf):
    clear_publish_blockers(draft)
    paragraph = Paragraph.objects.get(chapter__version=draft, key="priorities-1")
    paragraph.to_be_updated = True
    paragraph.save()
    move_to(draft, S.AGREED, kcst)
    with pytest.raises(TransitionRefused) as refusal:
        transition(draft, "publish", kcst, publish_with_provisional=True)
    assert refusal.value.failures == ["Paragraph in 6. County Priorities is still marked 'to be updated'."]
    draft.refresh_from_db()
    assert draft.status == S.AGREED and not draft.pdf


def test_publish_names_a_missing_foreword_lead_and_change_notes(draft, kcst, fake_pdf):
    clear_publish_blockers(draft)
    Paragraph.objects.filter(chapter__version=draft, chapter__key="foreword").delete()
    lead = draft.priorities.get(key="safeguarding-vulnerable-people").lead
    lead.tbc = False
    lead.save()
    draft.change_notes.all().delete()
    move_to(draft, S.AGREED, kcst)
    with pytest.raises(TransitionRefused) as refusal:
        transition(draft, "publish", kcst, publish_with_provisional=True)
    assert refusal.value.failures == [
        "The edition has no foreword.",
        "Priority 'Safeguarding Vulnerable People' has no lead: name one, or mark it TBC.",
        "Version 8.0 has no change notes.",
    ]


def test_a_priority_with_no_lead_on_record_at_all_is_named_on_the_checklist(draft):
    draft.priorities.get(key="safeguarding-vulnerable-people").lead.delete()
    checklist = dict(workflow.publish_checklist(draft))
    assert checklist["Every priority has a lead (or is marked TBC)"] == [
        "Priority 'Safeguarding Vulnerable People' has no lead: name one, or mark it TBC."
    ]


def test_publishing_stores_the_pdf_with_its_hash(draft, kcst, fake_pdf):
    clear_publish_blockers(draft)
    move_to(draft, S.AGREED, kcst)
    transition(draft, "publish", kcst, publish_with_provisional=True)
    draft.refresh_from_db()
    stored = default_storage.open(draft.pdf.name).read()
    assert stored == b"%PDF-1.7 edition 8.0"
    assert draft.pdf_sha256 == hashlib.sha256(stored).hexdigest()
    assert draft.pdf_size == len(stored)
    assert draft.published_at is not None


def test_a_failed_render_leaves_the_version_agreed_and_stores_nothing(draft, kcst, monkeypatch, tmp_path):
    clear_publish_blockers(draft)
    move_to(draft, S.AGREED, kcst)

    def broken(version):
        raise RuntimeError("WeasyPrint ran out of memory")

    monkeypatch.setattr(pdf, "render_pdf", broken)
    with pytest.raises(RuntimeError):
        transition(draft, "publish", kcst, publish_with_provisional=True)
    draft.refresh_from_db()
    assert draft.status == S.AGREED and not draft.pdf and not draft.pdf_sha256
    assert not draft.transitions.filter(to_status=S.PUBLISHED).exists()
    assert not any(tmp_path.rglob("*.pdf"))


def test_a_failure_after_storing_removes_the_stored_file(draft, kcst, fake_pdf, monkeypatch, tmp_path):
    clear_publish_blockers(draft)
    move_to(draft, S.AGREED, kcst)
    original_save = Version.save
    stored = []

    def failing_save(self, *args, **kwargs):
        if self.pdf:  # the save after the PDF was stored
            stored.extend(tmp_path.rglob("*.pdf"))
            raise RuntimeError("database went away")
        return original_save(self, *args, **kwargs)

    monkeypatch.setattr(Version, "save", failing_save)
    with pytest.raises(RuntimeError):
        transition(draft, "publish", kcst, publish_with_provisional=True)
    monkeypatch.undo()
    draft.refresh_from_db()
    assert draft.status == S.AGREED
    assert len(stored) == 1  # the file was written before the failure ...
    assert not any(tmp_path.rglob("*.pdf"))  # ... and is gone


def test_a_snapshot_that_fails_removes_the_pdf_stored_before_it(draft, kcst, fake_pdf, monkeypatch, tmp_path):
    clear_publish_blockers(draft)
    move_to(draft, S.AGREED, kcst)
    stored = []

    def failing_take(version):
        stored.extend(tmp_path.rglob("*.pdf"))
        raise RuntimeError("the page could not be rendered")

    monkeypatch.setattr(snapshot, "take", failing_take)
    with pytest.raises(RuntimeError):
        transition(draft, "publish", kcst, publish_with_provisional=True)
    draft.refresh_from_db()
    assert draft.status == S.AGREED and not draft.pdf
    assert len(stored) == 1 and not any(tmp_path.rglob("*.pdf"))


def test_publishing_is_refused_when_nothing_keeps_the_edition(draft, kcst, fake_pdf):
    clear_publish_blockers(draft)
    move_to(draft, S.AGREED, kcst)
    edition_published.disconnect(snapshot.keep)
    try:
        with pytest.raises(ImproperlyConfigured) as refusal:
            transition(draft, "publish", kcst, publish_with_provisional=True)
    finally:
        edition_published.connect(snapshot.keep)
    assert str(refusal.value) == "Nothing keeps published editions: is the documents app installed?"
    draft.refresh_from_db()
    assert draft.status == S.AGREED and not draft.pdf


def test_publishing_without_a_snapshot_is_refused_and_removes_the_pdf(draft, kcst, fake_pdf, monkeypatch, tmp_path):
    clear_publish_blockers(draft)
    move_to(draft, S.AGREED, kcst)
    stored = []
    monkeypatch.setattr(snapshot, "take", lambda version: stored.extend(tmp_path.rglob("*.pdf")))
    with pytest.raises(ImproperlyConfigured, match="^Nothing keeps published editions"):
        transition(draft, "publish", kcst, publish_with_provisional=True)
    draft.refresh_from_db()
    assert draft.status == S.AGREED and not draft.pdf
    assert len(stored) == 1 and not any(tmp_path.rglob("*.pdf"))


def test_a_past_edition_that_fails_after_its_pdf_was_stored_leaves_no_file(kent, kcst, monkeypatch, tmp_path):
    monkeypatch.setattr(pdf, "html_to_pdf", lambda html: b"%PDF-1.7 a past edition")
    original_save = Version.save
    stored = []

    def failing_save(self, *args, **kwargs):
        if self.pdf:  # the save after the past edition's PDF was stored
            stored.extend(tmp_path.rglob("*.pdf"))
            raise RuntimeError("database went away")
        return original_save(self, *args, **kwargs)

    monkeypatch.setattr(Version, "save", failing_save)
    with pytest.raises(RuntimeError, match="database went away"):
        set_up_edition(kent, number="0.8", effective_month=4, effective_year=2015,
                       past=PastSignOff(published_on=datetime.date(2015, 4, 1)), by=kcst)
    monkeypatch.undo()
    assert not kent.versions.filter(number="0.8").exists()
    assert len(stored) == 1 and not any(tmp_path.rglob("*.pdf"))


def test_the_layers_above_hear_of_each_edition_kept_and_whether_it_is_past(kent, draft, kcst, fake_pdf):
    heard = []

    def listener(sender, version, past, **kwargs):
        heard.append((version.number, past))

    edition_published.connect(listener, sender=Version)
    try:
        clear_publish_blockers(draft)
        move_to(draft, S.AGREED, kcst)
        transition(draft, "publish", kcst, publish_with_provisional=True)
        first = kent.versions.get(number="1.0")
        PublicPage.objects.filter(snapshot__version=first).delete()
        Snapshot.objects.filter(version=first)._raw_delete(Snapshot.objects.db)
        stored = [workflow.keep_as_published(first), workflow.keep_as_published(first)]
    finally:
        edition_published.disconnect(listener, sender=Version)
    assert heard == [("8.0", False), ("1.0", True)]
    assert stored == [True, False]  # kept once: the second time it already was


@pytest.mark.parametrize("status", [S.WORKING_GROUP_REVIEW, S.KCSP_CONSULTATION, S.AGREED])
def test_content_is_frozen_in_every_review_state(status, draft, kcst):
    move_to(draft, status, kcst)
    paragraph = Paragraph.objects.filter(chapter__version=draft).first()
    paragraph.html = "Changed during review"
    with pytest.raises(EditionFrozen, match="so its content cannot change"):
        paragraph.save()
    with pytest.raises(EditionFrozen):
        draft.priorities.update(name="Changed")
    with pytest.raises(EditionFrozen):
        draft.change_notes.first().delete()

    transition(draft, "return_to_draft", kcst, note="One more change")
    paragraph.refresh_from_db()
    paragraph.html = "Changed after returning to draft"
    paragraph.save()


def test_frozen_content_is_refused_with_a_message_in_the_admin(client, draft, kcst):
    move_to(draft, S.WORKING_GROUP_REVIEW, kcst)
    client.force_login(kcst)
    priority = draft.priorities.first()
    response = client.post(
        "/admin/agreements/priority/",
        {"action": "delete_selected", "_selected_action": [priority.pk], "post": "yes"},
        follow=True,
    )
    assert response.status_code in (200, 403)
    assert draft.priorities.filter(pk=priority.pk).exists()


def test_status_changes_only_through_the_workflow(draft):
    draft.status = S.PUBLISHED
    with pytest.raises(StatusOutsideWorkflow):
        draft.save()
    with pytest.raises(StatusOutsideWorkflow):
        Version.objects.filter(pk=draft.pk).update(status=S.PUBLISHED)


def test_a_published_edition_rejects_every_change(draft, kcst, fake_pdf):
    clear_publish_blockers(draft)
    move_to(draft, S.AGREED, kcst)
    transition(draft, "publish", kcst, publish_with_provisional=True)
    draft.refresh_from_db()
    draft.pdf_sha256 = "0" * 64
    with pytest.raises(EditionFrozen):
        draft.save()
    with pytest.raises(EditionFrozen):
        Version.objects.filter(pk=draft.pk).update(pdf_sha256="0" * 64)
    with pytest.raises(EditionFrozen):
        Version.objects.filter(pk=draft.pk).delete()
    with pytest.raises(EditionFrozen):
        Paragraph.objects.filter(chapter__version=draft).update(html="x")
    with pytest.raises(TransitionRefused):
        transition(draft, "return_to_draft", kcst, note="Oops")
    assert Version.objects.get(pk=draft.pk).pdf_sha256 != "0" * 64


def test_each_move_emails_the_people_whose_turn_it_is(
    draft, kcst, kcsp_member, working_group_member, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        transition(draft, "send_to_working_group", kcst, note="Please review by Friday")
    assert [m.to for m in mailoutbox] == [[working_group_member.email]]
    assert "Please review by Friday" in mailoutbox[0].body
    assert "/kent/8.0/review/" in mailoutbox[0].body
    with django_capture_on_commit_callbacks(execute=True):
        transition(draft, "consult_kcsp", kcst)
    assert mailoutbox[-1].to == [kcsp_member.email]
    with django_capture_on_commit_callbacks(execute=True):
        transition(draft, "record_agreement", kcst, **AGREED)
    assert mailoutbox[-1].to == [kcst.email]
    assert "RESOLVED that the priorities be agreed" in mailoutbox[-1].body


def test_a_stale_page_cannot_move_the_version(draft, kcst):
    stale = Version.objects.get(pk=draft.pk)
    transition(draft, "send_to_working_group", kcst)
    transition(draft, "return_to_draft", kcst, note="Back")
    with pytest.raises(TransitionRefused) as refusal:
        transition(stale, "send_to_working_group", kcst)
    assert str(refusal.value) == (
        "Version 8.0 is now Draft: someone else moved it while you were looking. Reload to see where it is."
    )


def test_a_step_that_does_not_exist_is_refused_by_name(draft, kcst):
    with pytest.raises(TransitionRefused) as refusal:
        transition(draft, "archive", kcst)
    assert str(refusal.value) == "There is no step called 'archive'."
    draft.refresh_from_db()
    assert draft.status == S.DRAFT and not draft.transitions.exists()


def test_a_step_open_to_two_roles_names_both_when_refused(draft, officer_a):
    shared = workflow.Transition("share", "Share the draft", (S.DRAFT,), S.DRAFT, who=(KCST_STAFF, KCSP_MEMBER))
    assert workflow.refusal_reason(draft, officer_a, shared) == "Only KCST staff or KCSP member may share the draft."


def test_the_admin_offers_only_the_moves_the_user_may_make(client, draft, kcst):
    client.force_login(kcst)
    page = client.get(f"/admin/agreements/version/{draft.pk}/change/").content.decode()
    assert "Send to the Working Group for review" in page
    assert "Publish</a>" not in page
    response = client.post(f"/admin/agreements/version/{draft.pk}/move/send_to_working_group/", {
        "edit_revision": draft.revision, "note": "Over to you",
    }, follow=True)
    assert "Version 8.0 is now Working Group review." in response.content.decode()
    page = client.get(f"/admin/agreements/version/{draft.pk}/change/").content.decode()
    assert "Over to you" in page and "Return to draft" in page


def test_the_admin_shows_publish_refusals_by_name(client, draft, kcst):
    move_to(draft, S.AGREED, kcst)
    client.force_login(kcst)
    response = client.post(f"/admin/agreements/version/{draft.pk}/move/publish/", {"edit_revision": draft.revision})
    page = response.content.decode()
    assert "Publish is not possible yet." in page
    assert "Change note &#x27;Foreword – to be updated&#x27; is still marked &#x27;to be updated&#x27;." in page


def test_a_member_cannot_reach_the_move_page(client, draft, kcsp_member):
    client.force_login(kcsp_member)
    response = client.post(f"/admin/agreements/version/{draft.pk}/move/send_to_working_group/", {})
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    draft.refresh_from_db()
    assert draft.status == S.DRAFT


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_moves_cannot_both_happen():
    from .conftest import load_kent, make_user

    load_kent()
    kcst = make_user("kcst-race", "KCST staff", is_staff=True)
    version = Version.objects.get(number="8.0")
    barrier = threading.Barrier(2)
    outcomes = []

    def move():
        copy = Version.objects.get(pk=version.pk)
        barrier.wait()
        try:
            transition(copy, "send_to_working_group", kcst)
            outcomes.append("moved")
        except TransitionRefused as refusal:
            outcomes.append(str(refusal))
        finally:
            connection.close()

    threads = [threading.Thread(target=move) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert outcomes.count("moved") == 1
    assert "someone else moved it" in next(o for o in outcomes if o != "moved")
    assert version.transitions.count() == 1


def test_the_public_downloads_exactly_the_stored_bytes_and_sees_the_hash(client, draft, kcst, fake_pdf):
    clear_publish_blockers(draft)
    move_to(draft, S.AGREED, kcst)
    assert 'href="/kent/8.0/"' not in client.get("/").content.decode()
    transition(draft, "publish", kcst, publish_with_provisional=True)
    draft.refresh_from_db()

    listing = client.get("/").content.decode()
    assert draft.pdf_sha256 in listing
    response = client.get(f"/kent/{draft.number}/pdf/")
    body = b"".join(response.streaming_content)
    assert body == b"%PDF-1.7 edition 8.0"
    assert hashlib.sha256(body).hexdigest() == draft.pdf_sha256 == response["X-Content-SHA256"]


def test_the_admin_offers_the_next_refresh_after_publishing(client, draft, kcst, fake_pdf):
    clear_publish_blockers(draft)
    move_to(draft, S.AGREED, kcst)
    transition(draft, "publish", kcst, publish_with_provisional=True)
    client.force_login(kcst)
    page = client.get(f"/admin/agreements/version/{draft.pk}/change/").content.decode()
    assert "Start the next refresh" in page and draft.pdf_sha256 in page
    response = client.post(f"/admin/agreements/version/{draft.pk}/refresh/", follow=True)
    assert "Started Kent Community Safety Agreement (kent) 9.0, April 2025: a draft copy of 8.0." in response.content.decode()


def test_publishing_renders_the_real_pdf_with_no_draft_marks(draft, kcst):
    from io import BytesIO

    from pypdf import PdfReader

    clear_publish_blockers(draft)
    move_to(draft, S.AGREED, kcst)
    transition(draft, "publish", kcst, publish_with_provisional=True)
    draft.refresh_from_db()
    stored = default_storage.open(draft.pdf.name).read()
    reader = PdfReader(BytesIO(stored))
    pages = [page.extract_text() for page in reader.pages]
    assert len(pages) > 10
    assert not any("DRAFT" in text for text in pages)
    assert " ".join(pages[0].split()).startswith("Kent Community Safety Agreement April 2024 Version 8.0")
    assert hashlib.sha256(stored).hexdigest() == draft.pdf_sha256


def test_a_past_editions_status_is_on_record_as_loaded_with_its_source(draft):
    workflow.record_past_status(draft, Version.Status.PUBLISHED, "Loaded from the PDF published in April 2024.")
    draft.refresh_from_db()
    assert draft.status == Version.Status.PUBLISHED
    assert list(draft.transitions.values_list("name", "from_status", "to_status", "note")) == [
        ("loaded", Version.Status.DRAFT, Version.Status.PUBLISHED, "Loaded from the PDF published in April 2024."),
    ]
