import gzip

from django.core.cache import cache
from django.core.files.storage import default_storage
from django.db.models import Prefetch, QuerySet
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers

from agreements import images
from agreements.models import Agreement, Snapshot, Version
from agreements.roles import DRAFT_READERS, editions_for, has_role, is_kcst
from agreements.stamps import stamp
from csa_site.cache_control import public

from . import public_pages
from .data import build_document
from .pdf import pdf_filename, render_pdf


def get_edition(request, slug: str, number: str) -> Version:
    """The edition, or 404 for one that does not exist or that this user may not read."""
    return get_object_or_404(
        editions_for(request.user).select_related("agreement"), agreement__slug=slug, number=number
    )


def home(request):
    if request.user.is_authenticated:  # drafts, and the page names the signed-in user
        return render(request, "documents/home.html", {"agreements": agreements_with_editions(request.user)})
    # The public list shows published editions, which can neither change nor be removed: it changes
    # only with an edition published or an agreement added, changed or removed.
    state = stamp((Version, Agreement))
    key = f"home:{state.key}"
    if (response := kept(request, key)) is not None:
        return response
    response = render(request, "documents/home.html", {"agreements": agreements_with_editions(request.user)})
    if state.settled:
        keep(request, response, key, timeout=60 * 60 * 24)
    return public(response) if shareable(request) else response


def agreements_with_editions(user) -> QuerySet[Agreement]:
    editions = editions_for(user).order_by("-effective_year", "-effective_month")
    return Agreement.objects.prefetch_related(Prefetch("versions", queryset=editions, to_attr="editions"))


def edition(request, slug: str, number: str):
    if shareable(request) and (page := public_pages.stored(slug, number)) is not None:
        return public_pages.response(request, page)
    # A published edition is served from its snapshot: one query, of the few values the page needs,
    # and nothing rebuilt. Its document data, larger than the page, is kept for the record only.
    published = (Snapshot.objects.filter(version__agreement__slug=slug, version__number=number)
                 .values("title", "page_html", "version__historical", "version__agreement_id")[:1])
    if published:
        snapshot = published[0]
        response = render(request, "document/published.html", {
            "snapshot": snapshot,
            "review_url": review_url(request, slug, number, snapshot["version__historical"],
                                     snapshot["version__agreement_id"]),
        })
        return public(response) if shareable(request) else response
    version = get_edition(request, slug, number)
    document = build_document(version, web=True)
    # KCST sees an Edit link beside every chapter and paragraph of a draft (documents/editing.py).
    editing = version.is_draft and is_kcst(request.user, version.agreement_id)
    printed = {section.key for section in document.sections}
    return render(request, "document/page.html", {
        "document": document, "editing": editing,
        # A chapter with nothing to print has no heading on the page, so its Edit link is listed apart.
        "unwritten": [c for c in version.chapters.all() if c.key not in printed] if editing else [],
    })


def review_url(request, slug: str, number: str, historical: bool, agreement_id: int) -> str:
    """The kept review of a published edition, for those who took part in it."""
    if historical or not request.user.is_authenticated:
        return ""
    if not has_role(request.user, *DRAFT_READERS, agreement=agreement_id):
        return ""
    return reverse("review", args=[slug, number])


def shareable(request) -> bool:
    """Whether this visitor gets the page every anonymous visitor gets: not signed in, and no
    message waiting for them."""
    return not request.user.is_authenticated and "messages" not in request.COOKIES


def kept(request, key: str) -> HttpResponse | None:
    """The page kept under `key` for anonymous visitors, gzipped for a browser that accepts it."""
    entry = cache.get(key) if shareable(request) else None
    if entry is None:
        return None
    return public_pages.response(request, entry)


def keep(request, response: HttpResponse, key: str, timeout: int | None) -> bool:
    """Keeps a page rendered for an anonymous visitor in the default cache, gzipped, unless it came out with a CSRF token or a message in it: then it is theirs alone."""
    messages_shown = getattr(getattr(request, "_messages", None), "used", False)
    if not shareable(request) or request.META.get("CSRF_COOKIE_NEEDS_UPDATE") or messages_shown:
        return False
    cache.set(key, gzip.compress(response.content, mtime=0), timeout)
    patch_vary_headers(response, ["Accept-Encoding"])
    return True


def edition_pdf(request, slug: str, number: str):
    version = get_edition(request, slug, number)
    if version.pdf:
        # A published edition is served as the exact bytes stored when it was published.
        response = FileResponse(version.pdf.open("rb"), content_type="application/pdf")
        response["X-Content-SHA256"] = version.pdf_sha256
        response["Cache-Control"] = "public, max-age=31536000, immutable"
        public(response)
    elif version.is_published:
        raise Http404("This edition's PDF has not been stored yet.")  # never rendered on request
    else:
        response = HttpResponse(render_pdf(version), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{pdf_filename(version)}"'
    return response


def agreement_image(request, name: str):
    """A stored crest or logo. Its name is the hash of its bytes, which never change, so anyone
    may keep it for good; its own policy forbids anything active, should it be opened as a page."""
    if not images.STORED_NAME.match(name) or not default_storage.exists(f"{images.FOLDER}/{name}"):
        raise Http404("No such image.")
    response = FileResponse(default_storage.open(f"{images.FOLDER}/{name}", "rb"),
                            content_type=images.content_type_of(name))
    response["Cache-Control"] = "public, max-age=31536000, immutable"
    response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'; sandbox"
    return public(response)
