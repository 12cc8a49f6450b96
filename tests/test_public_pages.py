"""A published edition's page as the public gets it is stored whole at publication and served as
stored: one prepared look-up, nothing built, whichever edition of whichever agreement is asked for."""

import gzip

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agreements.models import Agreement, Snapshot, Version
from documents.backup import export_agreement, import_agreement
from documents.models import PublicPage

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


def test_each_edition_of_each_agreement_is_served_its_own_page(client, kent):
    data = export_agreement(kent, kent.versions.get(number="8.0"))
    data["agreement"].update(slug="elsewhere", name="Elsewhere Community Safety Agreement")
    elsewhere = import_agreement(data)
    published = elsewhere.versions.filter(status=Version.Status.PUBLISHED)
    assert PublicPage.objects.filter(snapshot__version__in=published).count() == published.count() > 1
    pages = {(slug, number): public_page(client, slug, number, **GZIP)
             for slug in ("kent", "elsewhere") for number in ("1.0", "5.0")}
    assert b"Version 5.0" in pages["kent", "5.0"] and b"Version 1.0" in pages["kent", "1.0"]
    assert b"Elsewhere" in pages["elsewhere", "1.0"] and b"Elsewhere" not in pages["kent", "1.0"]
    assert len(set(pages.values())) == 4


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
