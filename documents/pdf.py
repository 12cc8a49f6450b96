"""An edition as a PDF: the same template as the web page, laid out by WeasyPrint.

`render_pdf(version)` is a plain function from an edition to bytes, so the page, the download
and the `render_edition` command give the same file, and publishing can store it with a hash.
WeasyPrint reads stylesheets and the agreement's crests and logos through `StaticFileFetcher`,
from disk and from storage: it never makes an HTTP request, back to this application or anywhere
else. A logo's address names its bytes, so WeasyPrint's image cache (`_CACHE`) decodes each once.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.files.storage import default_storage
from django.template.loader import render_to_string
from django.urls import reverse
import weasyprint
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from agreements import images
from agreements.models import Version

from .data import build_document
from .pdf_tags import finish_tags

# The document's base URL. Nothing is served here: the fetcher maps it to files on disk.
BASE_URL = "https://csa-document.invalid/"
# PDF/UA-1: tagged headings, lists and tables, the title shown, the language set.
PDF_OPTIONS = {"pdf_variant": "pdf/ua-1"}

# Shared by every render in this process: WeasyPrint keeps images it has decoded here.
_CACHE: dict = {}


class StaticFileFetcher(URLFetcher):
    """Serves the static files (stylesheets), the agreement's stored images and data: URLs;
    refuses everything else."""

    def __init__(self):
        super().__init__(allowed_protocols=["data"])
        self.static_prefix = urljoin(BASE_URL, settings.STATIC_URL)
        self.image_prefix = urljoin(BASE_URL, reverse("agreement_image", args=["-"]))[:-1]

    def fetch(self, url, headers=None):
        if url.startswith("data:"):
            return super().fetch(url, headers)  # decoded in memory by urllib's DataHandler
        if url.startswith(self.image_prefix):
            return self.stored_image(url)
        if not url.startswith(self.static_prefix):
            raise ValueError(f"The document may only use static files, not {url}")
        name = unquote(urlsplit(url[len(self.static_prefix):]).path)
        path = self.find(name)
        if path is None:
            raise ValueError(f"No static file {name!r}")
        content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, body=path.read_bytes(), headers={"Content-Type": content_type})

    def stored_image(self, url: str) -> URLFetcherResponse:
        """A crest or logo, read from storage by its content-addressed name (never over HTTP)."""
        name = url[len(self.image_prefix):]
        if not images.STORED_NAME.match(name):
            raise ValueError(f"No stored image {name!r}")
        with default_storage.open(f"{images.FOLDER}/{name}", "rb") as stored:
            body = stored.read()
        return URLFetcherResponse(url, body=body, headers={"Content-Type": images.content_type_of(name)})

    @staticmethod
    def find(name: str) -> Path | None:
        """The file in the source tree, or else as collected (hashed names in production)."""
        if ".." in Path(name).parts:
            return None
        found = finders.find(name)
        if found:
            return Path(found)
        try:
            collected = Path(staticfiles_storage.path(name))
        except NotImplementedError:  # a storage that is not on local disk
            return None
        return collected if collected.is_file() else None


def document_html(version: Version) -> str:
    """The standalone HTML that WeasyPrint lays out."""
    return render_to_string("document/pdf.html", {"document": build_document(version)})


def lay_out(html: str) -> weasyprint.Document:
    """WeasyPrint's pages for the HTML: what tests measure, and what write_pdf writes."""
    return HTML(string=html, base_url=BASE_URL, url_fetcher=StaticFileFetcher()).render(
        cache=_CACHE, **PDF_OPTIONS
    )


def write_pdf(pages: weasyprint.Document) -> bytes:
    return finish_tags(pages, pages.write_pdf(cache=_CACHE, **PDF_OPTIONS))


def html_to_pdf(html: str) -> bytes:
    return write_pdf(lay_out(html))


def render_pdf(version: Version) -> bytes:
    return html_to_pdf(document_html(version))


def pdf_filename(version: Version) -> str:
    draft = "" if version.is_published else "-draft"
    return f"{version.agreement.slug}-csa-{version.number}{draft}.pdf"
