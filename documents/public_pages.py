"""A published edition's page as every anonymous visitor gets it, stored whole (PublicPage).

Made with the snapshot, in the transaction that publishes the edition, and kept twice: in the
database, and as a file named by the page's address (`<slug>/<number>.html.gz` under
PUBLIC_PAGES_ROOT), written once the transaction has committed. The file is served without a
query, so the page costs what the stack's constant page costs (make bench's goal: 1.2 x; one round
trip to the database cost 1.5 x). Where the file is missing (a media folder restored without it,
or a write that failed and was logged), one prepared look-up of the database's copy serves the page.

An address names one page for good: a published edition can be neither changed nor deleted, and
an agreement's slug is fixed once it has one (Agreement.save). What can still leave a file behind
is a database replaced under the media folder (restored, or made again); `store_editions` then
writes every page anew and removes the others (make_all).
"""

from __future__ import annotations

import gzip
import logging
import os
import re
import tempfile
from functools import cache, partial
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db import connection, transaction
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.cache import patch_vary_headers

from agreements.models import Agreement, Snapshot, Version
from csa_site import prepared
from csa_site.cache_control import public

from .models import PublicPage

ACCEPTS_GZIP = re.compile(r"\bgzip\b")
logger = logging.getLogger("csa.public_pages")


def make(snapshot: Snapshot) -> PublicPage:
    """Lays the snapshot's page body into the site's layout as an anonymous visitor sees it (no
    navigation, no messages, no form) and stores it, in place of any page made before."""
    page = render_to_string("document/published.html", {"snapshot": snapshot, "user": AnonymousUser()})
    gzipped = gzip.compress(page.encode(), mtime=0)
    public_page, _ = PublicPage.objects.update_or_create(snapshot=snapshot, defaults={"gzipped": gzipped})
    # A publication that fails leaves no file: only a committed edition has an address.
    version = snapshot.version
    transaction.on_commit(partial(_write, file_for(version.agreement.slug, version.number), gzipped))
    return public_page


def make_all() -> int:
    """Lays every snapshot's body into the layout as it is now (after a deploy that changed the
    layout or the static files' names, or a restore), and removes the files of pages this database
    does not hold; returns how many pages were made."""
    files = set()
    snapshots = Snapshot.objects.defer("document_json").select_related("version__agreement")
    for snapshot in snapshots.iterator(chunk_size=50):
        make(snapshot)
        files.add(file_for(snapshot.version.agreement.slug, snapshot.version.number))
    transaction.on_commit(partial(_remove_all_but, files))
    return len(files)


def file_for(slug: str, number: str) -> Path:
    """Where the page at this address is kept (the URL's slug and version patterns allow no other
    characters than letters, digits, '-', '_' and one '.')."""
    return Path(settings.PUBLIC_PAGES_ROOT) / slug / f"{number}.html.gz"


def _write(path: Path, gzipped: bytes) -> None:
    # Written beside and renamed into place: a request never reads half a page.
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, suffix=".part", delete=False) as part:
            part.write(gzipped)
        os.chmod(part.name, settings.FILE_UPLOAD_PERMISSIONS or 0o644)  # as the stored PDFs beside it
        os.replace(part.name, path)
    except OSError:
        # Runs after the publication committed, so it must not turn it into an error page: the
        # database's copy serves the page meanwhile, and store_editions writes the file again.
        logger.exception("The public page %s could not be written; the database's copy is served.", path)


def _remove_all_but(files: set[Path]) -> None:
    for path in Path(settings.PUBLIC_PAGES_ROOT).glob("*/*.html.gz"):
        if path not in files:
            path.unlink()


def stored(slug: str, number: str) -> bytes | None:
    """The gzipped page of the agreement's published edition of this number, if one is stored: its
    file, or else the database's copy."""
    try:
        return file_for(slug, number).read_bytes()
    except OSError:  # not written (yet), or its folder unreadable: the database has the page too
        pass
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
