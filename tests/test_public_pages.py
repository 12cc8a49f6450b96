"""A published edition's page as the public gets it is stored whole at publication and served as
stored: from its file without a query, or by one prepared look-up where the file is missing, nothing
built, whichever edition of whichever agreement is asked for."""

import gzip

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agreements.models import Agreement, EditionFrozen, Snapshot, Version
from agreements.setup import set_up_edition
from agreements.workflow import transition
from documents import public_pages, snapshot as snapshots
from documents.backup import export_agreement, import_agreement
from documents.models import PublicPage

from .test_published_final import publish
from .test_workflow import AGREED, clear_publish_blockers, fake_pdf  # noqa: F401 (a fixture)

GZIP = {"HTTP_ACCEPT_ENCODING": "gzip, deflate, br"}


def public_page(client, slug: str, number: str, **headers) -> bytes:
    response = client.get(reverse("edition", args=[slug, number]), **headers)
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")
    if response.get("Content-Encoding") == "gzip":
        return gzip.decompress(response.content)
    return response.content


def statement(sql: str) -> str:
    """What a captured query ran: a prepared statement's text in place of its EXECUTE."""
    if connection.vendor != "postgresql" or not sql.startswith("EXECUTE "):
        return sql
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements WHERE name = %s", [sql.split()[1].split("(")[0]])
        return cursor.fetchone()[0]


def stored_copy(slug: str, number: str) -> bytes:
    return bytes(PublicPage.objects.get(snapshot__version__agreement__slug=slug,
                                        snapshot__version__number=number).gzipped)


def test_publishing_writes_the_page_to_its_address_and_the_public_gets_it_without_a_query(
        client, draft, kcst, fake_pdf, django_capture_on_commit_callbacks, public_pages_of_this_test):
    with django_capture_on_commit_callbacks(execute=True):
        publish(draft, kcst)
    assert public_pages.file_for("kent", "8.0") == public_pages_of_this_test / "kent" / "8.0.html.gz"
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("edition", args=["kent", "8.0"]), **GZIP)
    assert response.status_code == 200 and len(captured) == 0
    assert response.content == stored_copy("kent", "8.0")
    assert snapshots.Snapshot.objects.get(version=draft).page_html.encode() in gzip.decompress(response.content)


def test_a_publication_that_fails_writes_no_page(
        client, draft, kcst, fake_pdf, monkeypatch, django_capture_on_commit_callbacks, public_pages_of_this_test):
    clear_publish_blockers(draft)
    for name in ("send_to_working_group", "consult_kcsp", "record_agreement"):
        transition(draft, name, kcst, **(AGREED if name == "record_agreement" else {}))
    made = public_pages.make

    def make_then_fail(snapshot):
        made(snapshot)
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(snapshots.public_pages, "make", make_then_fail)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        transition(draft, "publish", kcst, publish_with_provisional=True)
    assert not public_pages_of_this_test.exists()
    assert client.get(reverse("edition", args=["kent", "8.0"]), **GZIP).status_code == 404


def test_a_page_file_that_cannot_be_written_leaves_the_publication_made_and_the_page_served(
        client, draft, kcst, fake_pdf, settings, tmp_path, caplog, django_capture_on_commit_callbacks):
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the pages' folder should be")
    settings.PUBLIC_PAGES_ROOT = blocked / "public-pages"
    with django_capture_on_commit_callbacks(execute=True):
        publish(draft, kcst)
    assert draft.status == Version.Status.PUBLISHED
    assert "The public page" in caplog.text and "could not be written" in caplog.text
    assert public_page(client, "kent", "8.0", **GZIP) == gzip.decompress(stored_copy("kent", "8.0"))


@pytest.mark.parametrize("files", [True, False], ids=["from-files", "from-the-database"])
def test_each_address_is_served_its_own_page(client, kent, files, django_capture_on_commit_callbacks):
    data = export_agreement(kent, kent.versions.get(number="8.0"))
    data["agreement"].update(slug="elsewhere", name="Elsewhere Community Safety Agreement")
    with django_capture_on_commit_callbacks(execute=files):
        import_agreement(data)
        public_pages.make_all()
    pages = {(slug, number): public_page(client, slug, number, **GZIP)
             for slug in ("kent", "elsewhere") for number in ("1.0", "5.0")}
    assert pages == {(slug, number): gzip.decompress(stored_copy(slug, number)) for slug, number in pages}
    assert len(set(pages.values())) == 4
    assert all(public_pages.file_for(slug, number).exists() == files for slug, number in pages)


def test_store_editions_removes_the_pages_of_editions_this_database_does_not_hold(
        client, kent, django_capture_on_commit_callbacks):
    left_behind = public_pages.file_for("kent", "8.0")  # e.g. a database restored from before 8.0
    left_behind.parent.mkdir(parents=True)
    left_behind.write_bytes(gzip.compress(b"<p>Version 8.0, published in another database</p>"))
    with django_capture_on_commit_callbacks(execute=True):
        call_command("store_editions", stdout=None)
    assert not left_behind.exists()
    assert public_pages.file_for("kent", "7.0").read_bytes() == stored_copy("kent", "7.0")
    assert client.get(reverse("edition", args=["kent", "8.0"]), **GZIP).status_code == 404


def test_an_agreements_short_name_is_fixed_once_it_has_a_published_edition(kent, admin_client):
    kent.slug = "kent-county"
    with pytest.raises(EditionFrozen, match="'kent' is in the addresses"):
        kent.save()
    with pytest.raises(EditionFrozen, match="keeps its short name"):
        Agreement.objects.filter(pk=kent.pk).update(slug="kent-county")
    assert Agreement.objects.filter(slug="kent").exists()
    page = admin_client.get(reverse("admin:agreements_agreement_change", args=[kent.pk]))
    assert page.status_code == 200 and b'name="slug"' not in page.content


def test_an_agreement_with_a_draft_only_may_still_change_its_short_name(db, admin_client):
    new = set_up_edition(Agreement(slug="new-one", name="New Community Safety Agreement", area="Elsewhere"),
                         number="1.0", effective_month=4, effective_year=2027).agreement
    page = admin_client.get(reverse("admin:agreements_agreement_change", args=[new.pk]))
    assert b'name="slug"' in page.content
    new.slug = "renamed"
    new.save()
    Agreement.objects.filter(pk=new.pk).update(slug="renamed-again", name="Renamed")
    assert Agreement.objects.filter(slug="renamed-again").exists()
    Agreement.objects.filter(slug="kent").update(name="Kent Community Safety Agreement (rolling)")


def test_the_public_gets_the_page_stored_at_publication_in_one_look_up_of_no_content_table(client, kent):
    client.get(reverse("edition", args=["kent", "5.0"]), **GZIP)  # the statement is prepared once per connection
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("edition", args=["kent", "5.0"]), **GZIP)
    assert response["Content-Encoding"] == "gzip" and "Accept-Encoding" in response["Vary"]
    assert len(captured) == 1
    read = statement(captured[0]["sql"])
    content = [m._meta.db_table for label in ("agreements", "assessments") for m in apps.get_app_config(label).get_models()
               if m not in (Agreement, Version, Snapshot)]
    assert PublicPage._meta.db_table in read
    assert not [table for table in content if f'"{table}"' in read]
    stored = PublicPage.objects.get(snapshot__version__agreement=kent, snapshot__version__number="5.0")
    assert response.content == bytes(stored.gzipped)


def test_the_stored_page_is_the_page_the_application_renders_for_an_anonymous_visitor(client, kent):
    stored = public_page(client, "kent", "5.0", **GZIP)
    snapshot = Snapshot.objects.get(version__agreement=kent, version__number="5.0")
    assert snapshot.page_html.encode() in stored  # the body kept at publication, byte for byte
    # A visitor with a messages cookie is served the page built for them: with no message, the same.
    client.cookies["messages"] = "none"
    built = client.get(reverse("edition", args=["kent", "5.0"]))
    assert "Content-Encoding" not in built and built.content == stored
    assert b"csrfmiddlewaretoken" not in stored and b"Sign in" in stored


def test_a_browser_that_does_not_accept_gzip_gets_the_same_page_unpacked(client, kent):
    plain = client.get(reverse("edition", args=["kent", "5.0"]))
    assert "Content-Encoding" not in plain
    assert plain.content == public_page(client, "kent", "5.0", **GZIP)


def test_drafts_have_no_stored_page_and_stay_hidden_from_the_public(client, draft):
    assert not PublicPage.objects.filter(snapshot__version=draft).exists()
    assert client.get(reverse("edition", args=["kent", draft.number]), **GZIP).status_code == 404


@pytest.mark.parametrize("signed_in", ["kcst", "kcsp_member"])
def test_signed_in_readers_get_the_page_built_for_them(client, kent, request, signed_in):
    client.force_login(request.getfixturevalue(signed_in))
    page = client.get(reverse("edition", args=["kent", "5.0"]), **GZIP)
    assert "Content-Encoding" not in page and b"Sign out" in page.content
    assert "private" in page["Cache-Control"]


def test_store_editions_makes_the_public_pages_again_from_the_snapshots(client, kent):
    before = public_page(client, "kent", "5.0", **GZIP)
    PublicPage.objects.all().delete()
    assert public_page(client, "kent", "5.0", **GZIP) == before  # built from the snapshot meanwhile
    call_command("store_editions", stdout=None)
    assert PublicPage.objects.count() == Snapshot.objects.count()
    assert public_page(client, "kent", "5.0", **GZIP) == before
