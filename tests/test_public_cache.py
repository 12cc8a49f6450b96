"""Published output never changes, so the public gets it from a cache; drafts never are."""

import gzip

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agreements.models import Version

from .conftest import mark_published


def queries(client, url, **headers):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, **headers)
    return response, len(captured)


def test_a_published_edition_is_served_to_the_public_from_the_cache(client, kent):
    url = reverse("edition", args=["kent", "1.0"])
    first, _ = queries(client, url)
    second, count = queries(client, url)
    assert count == 0
    assert second.content == first.content
    zipped, _ = queries(client, url, HTTP_ACCEPT_ENCODING="gzip")
    assert gzip.decompress(zipped.content) == first.content


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
