"""Published editions are served as stored at publication, with no cache; the public list is
kept in a cache; drafts never are."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agreements.models import Version

from .conftest import mark_published


def queries(client, url, **headers):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, **headers)
    return response, len(captured)


def test_a_published_edition_is_served_from_its_snapshot_with_no_cache(client, kent):
    url = reverse("edition", args=["kent", "1.0"])
    first, count = queries(client, url)
    assert count == 1
    assert first.content.decode().count(Version.objects.get(agreement=kent, number="1.0").snapshot.page_html) == 1
    second, _ = queries(client, url)
    assert second.content == first.content


def test_drafts_are_never_cached(client, kcst, draft):
    client.force_login(kcst)
    url = reverse("edition", args=["kent", "8.0"])
    queries(client, url)
    _, count = queries(client, url)
    assert count > 0
    paragraph = draft.chapters.get(key="introduction").paragraphs.first()
    paragraph.html = "Edited after the first view"
    paragraph.save()
    assert "Edited after the first view" in client.get(url).content.decode()


def test_the_public_list_changes_when_an_edition_is_published(client, draft):
    before = client.get("/").content.decode()
    assert 'href="/kent/8.0/"' not in before
    mark_published(Version.objects.get(pk=draft.pk))
    assert 'href="/kent/8.0/"' in client.get("/").content.decode()


def test_a_signed_in_reader_never_gets_the_page_kept_for_the_public(client, kent, kcst):
    url = reverse("edition", args=["kent", "1.0"])
    queries(client, url)
    queries(client, url)  # now kept for the public
    client.force_login(kcst)
    page = client.get(url).content.decode()
    assert "Signed in as kcst-officer" in page
    assert 'name="csrfmiddlewaretoken"' in page  # the sign-out form, with their own token


def test_a_signed_in_reader_never_gets_the_public_list(client, kent, kcst):
    client.get("/")
    assert 'href="/kent/8.0/"' not in client.get("/").content.decode()  # kept for the public
    client.force_login(kcst)
    page = client.get("/").content.decode()
    assert "Signed in as kcst-officer" in page and 'href="/kent/8.0/"' in page  # the draft, for KCST


def test_each_published_edition_has_its_own_page(client, kent, kcst):
    editions = kent.versions.filter(status=Version.Status.PUBLISHED, historical=True).order_by("effective_year")
    assert editions.count() >= 2
    for reader in ("the public", "a signed-in reader"):
        if reader != "the public":
            client.force_login(kcst)
        for version in [*editions, *editions]:
            page = client.get(reverse("edition", args=["kent", version.number])).content.decode()
            assert f"<title>{version_title(version)} - CSA Refresh</title>" in page, (reader, version.number)
            assert f"Version {version.number}</p>" in page, (reader, version.number)


def version_title(version: Version) -> str:
    return f"{version.agreement.name} {version.number}, {version.effective_label}"


def test_the_public_list_changes_when_an_agreement_is_renamed(client, kent):
    assert "Kent Community Safety Agreement" in client.get("/").content.decode()
    client.get("/")
    kent.name = "Kent and Medway Community Safety Agreement"
    kent.save()
    assert "Kent and Medway Community Safety Agreement" in client.get("/").content.decode()
