"""Published means final: a published edition is served as stored at publication, whatever
happens later to the records it was built from, and those records are kept."""

import hashlib
import io

import pypdf
import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection, transaction
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from documents import data as document, pdf, views
from agreements.models import EditionFrozen, Snapshot, Version, WrittenOnce
from agreements.workflow import transition
from assessments import exports
from assessments.corrections import correct, current_issues
from assessments.imports import ImportRefused, import_returns
from assessments.keeping import KeptForEdition
from assessments.models import AssessmentCycle, AssessmentReturn, Category, ReturnEvent
from documents.models import PublicPage
from review.models import Comment, PublishedComparison

from .conftest import make_officer
from .test_workflow import AGREED, clear_publish_blockers

DRAFT_ONLY = ("Please note the details below are draft and may be subject to change.",
              "Please note this section is in development.")


def publish(version: Version, by) -> Version:
    clear_publish_blockers(version)
    for name in ("send_to_working_group", "consult_kcsp", "record_agreement"):
        transition(version, name, by, **(AGREED if name == "record_agreement" else {}))
    transition(version, "publish", by, publish_with_provisional=True)
    version.refresh_from_db()
    return version


def pdf_text(content: bytes) -> str:
    return " ".join(" ".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(content)).pages).split())


def served(client, version: Version) -> tuple[bytes, bytes]:
    page = client.get(reverse("edition", args=[version.agreement.slug, version.number]))
    download = client.get(reverse("edition_pdf", args=[version.agreement.slug, version.number]))
    assert page.status_code == download.status_code == 200
    return page.content, b"".join(download.streaming_content)


@pytest.fixture
def never_rendered(monkeypatch):
    """Any render or rebuild of a document fails the test."""
    def refuse(*args, **kwargs):
        raise AssertionError("a published edition was rendered on request")
    for module, name in ((pdf, "render_pdf"), (pdf, "html_to_pdf"), (views, "render_pdf"),
                         (views, "build_document"), (document, "build_document")):
        monkeypatch.setattr(module, name, refuse)


def test_published_8_0_stays_as_published_whatever_happens_to_its_sources(client, draft, kcst):
    draft_text = pdf_text(pdf.render_pdf(draft))
    assert all(sentence in draft_text for sentence in DRAFT_ONLY)
    published = publish(draft, kcst)
    page, download = served(client, published)
    assert not any(sentence in pdf_text(download) for sentence in DRAFT_ONLY)
    assert not any(sentence in page.decode() for sentence in DRAFT_ONLY)
    assert hashlib.sha256(download).hexdigest() == published.pdf_sha256
    snapshot = published.snapshot
    assert hashlib.sha256(snapshot.page_html.encode()).hexdigest() == snapshot.page_sha256
    assert '"appendix_a"' in snapshot.document_json and '"matrix"' in snapshot.document_json

    cycle = AssessmentCycle.objects.get(version=published)
    category = cycle.categories.first()
    category.name = "Renamed after publication"
    category.save()
    accepted = cycle.returns.filter(status=AssessmentReturn.Status.ACCEPTED).first()
    issues = current_issues(accepted)
    correct(accepted, kcst, "Mapped to the wrong category.", at=0, kind=issues[0].kind, own_wording="", seen=0,
            category=cycle.categories.exclude(pk__in=[issue.category_id for issue in issues]).first())
    cycle.other_focus_areas = "Changed after publication"
    cycle.save()
    kent = published.agreement
    kent.name, kent.contact_html = "Renamed agreement", "<p>New contact after publication</p>"
    kent.save()
    with pytest.raises(ImportRefused, match="8.0"), transaction.atomic():
        import_returns(cycle, exports.csv_text(cycle).encode(), kcst)

    assert served(client, published) == (page, download)


def test_a_published_edition_is_served_from_its_snapshot_in_one_query_of_no_content_table(client, kent, kcsp_member):
    # Signed in, so the page is built around the snapshot's body (tests/test_public_pages.py: the public's page).
    client.force_login(kcsp_member)
    client.get(reverse("edition", args=["kent", "1.0"]))
    with CaptureQueriesContext(connection) as captured:
        page = client.get(reverse("edition", args=["kent", "1.0"]))
    assert page.status_code == 200
    read = [query["sql"] for query in captured if "agreements_snapshot" in query["sql"]]
    assert len(read) == 1 and "agreements_chapter" not in read[0] and "agreements_paragraph" not in read[0]


def test_deleting_a_return_that_fed_a_published_edition_is_refused(draft, kcst):
    published = publish(draft, kcst)
    cycle = AssessmentCycle.objects.get(version=published)
    accepted = cycle.returns.filter(status=AssessmentReturn.Status.ACCEPTED).first()
    unused = Category.objects.create(cycle=cycle, key="unused", name="Unused", order=99)
    event = accepted.events.create(action=ReturnEvent.Action.ACCEPTED, by=kcst)
    assert accepted.items.exists()
    for delete in (accepted.delete, cycle.returns.all().delete, accepted.items.all().delete,
                   event.delete, ReturnEvent.objects.filter(assessment_return__cycle=cycle).delete, unused.delete,
                   Category.objects.filter(cycle=cycle, items=None).delete):
        with pytest.raises(KeptForEdition, match=r"published edition .*8\.0"), transaction.atomic():
            delete()
    assert AssessmentReturn.objects.filter(pk=accepted.pk).exists()


def test_the_admin_refuses_deleting_a_return_that_fed_a_published_edition(client, superuser, draft, kcst):
    published = publish(draft, kcst)
    accepted = AssessmentReturn.objects.filter(cycle__version=published).first()
    client.force_login(superuser)
    url = reverse("admin:assessments_assessmentreturn_delete", args=[accepted.pk])
    page = client.get(url).content.decode()
    assert "fed the published edition" in page and "8.0" in page
    client.post(url, {"post": "yes"})
    assert AssessmentReturn.objects.filter(pk=accepted.pk).exists()


def test_every_published_edition_is_served_as_stored_without_a_render(client, kent, never_rendered):
    published = Version.objects.filter(agreement=kent, status=Version.Status.PUBLISHED)
    assert published.count() >= 7
    for version in published:
        response = client.get(reverse("edition_pdf", args=["kent", version.number]))
        content = b"".join(response.streaming_content)
        assert hashlib.sha256(content).hexdigest() == version.pdf_sha256 == response["X-Content-SHA256"]
        page = client.get(reverse("edition", args=["kent", version.number])).content.decode()
        assert f"<title>{version.snapshot.title} - CSA Refresh</title>" in page
        assert f"Version {version.number}</p>" in page


def test_the_command_stores_editions_a_database_lacks(kent, never_rendered):
    version = Version.objects.get(agreement=kent, number="1.0")
    loaded_pdf = (version.pdf.name, version.pdf_sha256)
    PublicPage.objects.filter(snapshot__version=version).delete()
    Snapshot.objects.filter(version=version)._raw_delete(Snapshot.objects.db)
    first, again = io.StringIO(), io.StringIO()
    call_command("store_editions", stdout=first)
    call_command("store_editions", stdout=again)

    stored = [out.getvalue().splitlines()[0] for out in (first, again)]
    assert stored == ["Stored 1 edition(s).", "Stored 0 edition(s)."]
    assert Snapshot.objects.filter(version=version).exists()
    assert PublicPage.objects.filter(snapshot__version=version).exists()
    version.refresh_from_db()
    # The PDF it was loaded with is kept, and a past edition had no review page to keep.
    assert (version.pdf.name, version.pdf_sha256) == loaded_pdf
    assert not PublishedComparison.objects.filter(version=version).exists()


def test_the_review_of_a_published_edition_is_kept_read_only_for_its_reviewers(
        client, draft, kcst, kcsp_member, working_group_member):
    clear_publish_blockers(draft)
    transition(draft, "send_to_working_group", kcst)
    draft.refresh_from_db()
    comment = Comment.objects.create(version=draft, author=working_group_member, target="chapter",
                                     target_key="priorities", chapter_key="priorities",
                                     text="Should road safety lead?")
    comment.answer(kcst, "Agreed at the meeting.", True)
    for name in ("consult_kcsp", "record_agreement"):
        transition(draft, name, kcst, **(AGREED if name == "record_agreement" else {}))
    transition(draft, "publish", kcst, publish_with_provisional=True)
    url = reverse("review", args=["kent", "8.0"])
    for reader in (kcst, kcsp_member, working_group_member):
        client.force_login(reader)
        page = client.get(url).content.decode()
        assert "Should road safety lead?" in page and "Agreed at the meeting." in page, reader
        assert "its review is kept as a record" in page
        assert "Send comment" not in page and "Reply or resolve" not in page
        assert url in client.get(reverse("edition", args=["kent", "8.0"])).content.decode()
    client.force_login(make_officer("ashford"))
    assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 404
    assert url not in client.get(reverse("edition", args=["kent", "8.0"])).content.decode()


WRITTEN_ONCE = [model for model in apps.get_models() if issubclass(model, WrittenOnce)]


@pytest.mark.parametrize("model", WRITTEN_ONCE, ids=lambda model: model._meta.label)
def test_records_kept_as_written_cannot_be_changed_in_bulk_either(model):
    with pytest.raises(model.refusal, match="kept as"):
        model.objects.update(pk=F("pk"))


def test_a_snapshot_changed_in_bulk_is_refused_and_stays_as_taken(kent):
    snapshots = list(Snapshot.objects.filter(version__agreement=kent))
    for snapshot in snapshots:
        snapshot.title = "Rewritten"
    with pytest.raises(EditionFrozen, match="Snapshots are kept as they were written"), transaction.atomic():
        Snapshot.objects.bulk_update(snapshots, ["title"])
    assert not Snapshot.objects.filter(title="Rewritten").exists()
    assert {"agreements.Snapshot", "review.PublishedComparison", "assessments.ReturnCorrection",
            "assessments.CorrectedIssue"} <= {model._meta.label for model in WRITTEN_ONCE}
