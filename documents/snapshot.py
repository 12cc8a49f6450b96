"""Taking a published edition's snapshot: its document data, web page body and PDF, each hashed.

Taken in the transaction that publishes the edition (or loads a past one), after the status is
set, so all three show the edition as published. Afterwards the page and the PDF are served from
what is stored here, whatever happens to the records they were built from.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.dispatch import receiver
from django.template.loader import render_to_string

from agreements.models import Agreement, Snapshot, Version
from agreements.signals import edition_published
from agreements.workflow import keep_as_published

from . import public_pages
from .data import build_document


def sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


@receiver(edition_published)
def keep(sender, version: Version, past: bool = False, **kwargs) -> str | None:
    """Stores the PDF (a past edition loaded with one keeps it) and takes the snapshot; returns the
    name of the PDF file stored, which is removed again if the snapshot cannot be taken."""
    stored = None
    if not (past and version.pdf):
        stored = store_past_pdf(version) if past else store_pdf(version)
    try:
        take(version)
    except Exception:
        if stored:
            default_storage.delete(stored)
        raise
    return stored


def take(version: Version) -> Snapshot:
    """Stores the edition's document data and page body, and the page as the public gets it; the
    version must already be published."""
    document = build_document(version, web=True)
    data = json.dumps(dataclasses.asdict(document), ensure_ascii=False, sort_keys=True)
    page = render_to_string("document/body.html", {"document": document})
    snapshot = Snapshot.objects.create(
        version=version, title=document.title,
        document_json=data, document_sha256=sha256(data.encode()),
        page_html=page, page_sha256=sha256(page.encode()),
    )
    public_pages.make(snapshot)
    return snapshot


def store_pdf(version: Version) -> str:
    """Renders the edition and keeps its exact bytes with their SHA-256 on the (unsaved) version;
    returns the stored file's name, for the caller to remove if its transaction fails."""
    from . import pdf  # WeasyPrint is heavy: load it only when storing

    return _keep(version, pdf.render_pdf(version))


def store_past_pdf(version: Version) -> str:
    """As store_pdf, for a past edition being loaded. Loading the same editions again (a reloaded
    database, the test suite's fixtures) lays out the same HTML again: the PDF this process made
    from it is reused, found by the HTML's SHA-256, as long as its file is still stored."""
    from . import pdf

    html = pdf.document_html(version)
    source = sha256(html.encode())
    name = _RENDERED.get(source)
    if name is None or not default_storage.exists(name):
        name = _RENDERED[source] = _keep(version, pdf.html_to_pdf(html))
        return name
    with default_storage.open(name, "rb") as stored:
        content = stored.read()
    return _keep(version, content)


_RENDERED: dict[str, str] = {}


def _keep(version: Version, content: bytes) -> str:
    """Stores the bytes under a name that holds their hash (the same bytes are stored once) and
    records them on the version."""
    digest = sha256(content)
    name = f"editions/{version.agreement.slug}-{version.number}-{digest[:12]}.pdf"
    if not default_storage.exists(name):
        name = default_storage.save(name, ContentFile(content))
    version.pdf.name, version.pdf_sha256, version.pdf_size = name, digest, len(content)
    return name


def store_editions(agreement: Agreement | None = None) -> int:
    """Stores the PDF and snapshot of every published edition that has none; returns how many."""
    published = Version.objects.filter(status=Version.Status.PUBLISHED).select_related("agreement")
    if agreement is not None:
        published = published.filter(agreement=agreement)
    return sum(keep_as_published(version) for version in published)
