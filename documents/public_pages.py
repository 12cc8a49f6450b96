"""A published edition's page as every anonymous visitor gets it, stored whole (PublicPage).

Made with the snapshot, in the transaction that publishes the edition, and served by one prepared
look-up: no query is built and no template rendered, so the page costs about what the stack's
constant page costs (make bench's goal for it is 1.2 x).
"""

from __future__ import annotations

import gzip
import re
from functools import cache

from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.cache import patch_vary_headers

from agreements.models import Agreement, Snapshot, Version
from csa_site import prepared
from csa_site.cache_control import public

from .models import PublicPage

ACCEPTS_GZIP = re.compile(r"\bgzip\b")


def make(snapshot: Snapshot) -> PublicPage:
    """Lays the snapshot's page body into the site's layout as an anonymous visitor sees it (no
    navigation, no messages, no form) and stores it, in place of any page made before."""
    page = render_to_string("document/published.html", {"snapshot": snapshot, "user": AnonymousUser()})
    public_page, _ = PublicPage.objects.update_or_create(
        snapshot=snapshot, defaults={"gzipped": gzip.compress(page.encode(), mtime=0)}
    )
    return public_page


def make_all() -> int:
    """Lays every snapshot's body into the layout as it is now (after a deploy that changed the
    layout or the static files' names); returns how many pages were made."""
    made = 0
    for snapshot in Snapshot.objects.defer("document_json").iterator(chunk_size=50):
        make(snapshot)
        made += 1
    return made


def stored(slug: str, number: str) -> bytes | None:
    """The gzipped page of the agreement's published edition of this number, if one is stored."""
    with connection.cursor() as cursor:
        prepared.execute(cursor, "public_page", _lookup_sql(), (slug, number))
        row = cursor.fetchone()
    return bytes(row[0]) if row else None


@cache
def _lookup_sql() -> str:
    table = {model: connection.ops.quote_name(model._meta.db_table) for model in (PublicPage, Snapshot, Version, Agreement)}
    return (
        f"SELECT page.gzipped FROM {table[PublicPage]} page"
        f" JOIN {table[Snapshot]} snapshot ON snapshot.id = page.snapshot_id"
        f" JOIN {table[Version]} version ON version.id = snapshot.version_id"
        f" JOIN {table[Agreement]} agreement ON agreement.id = version.agreement_id"
        " WHERE agreement.slug = %s AND version.number = %s"
    )


def response(request, gzipped: bytes) -> HttpResponse:
    """The stored page, as it is for a browser that accepts gzip, unpacked for one that does not."""
    if ACCEPTS_GZIP.search(request.headers.get("Accept-Encoding", "")):
        served = HttpResponse(gzipped, headers={"Content-Encoding": "gzip"})
    else:
        served = HttpResponse(gzip.decompress(gzipped))
    patch_vary_headers(served, ["Accept-Encoding"])
    return public(served)
