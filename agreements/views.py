from django.db.models import Prefetch, QuerySet
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404, render

from .document import build_document
from .models import Agreement, Version
from .pdf import pdf_filename, render_pdf
from .roles import can_read_drafts


def editions_for(user) -> QuerySet[Version]:
    """Published editions for everyone; drafts too for KCST staff, KCSP and Working Group members."""
    versions = Version.objects.all()
    if not can_read_drafts(user):
        versions = versions.filter(status=Version.Status.PUBLISHED)
    return versions


def get_edition(request, slug: str, number: str) -> Version:
    """The edition, or 404 for one that does not exist or that this user may not read."""
    return get_object_or_404(
        editions_for(request.user).select_related("agreement"), agreement__slug=slug, number=number
    )


def home(request):
    editions = editions_for(request.user).order_by("-effective_year", "-effective_month")
    agreements = Agreement.objects.prefetch_related(Prefetch("versions", queryset=editions, to_attr="editions"))
    return render(request, "agreements/home.html", {"agreements": agreements})


def edition(request, slug: str, number: str):
    version = get_edition(request, slug, number)
    document = build_document(version, web=True)
    return render(request, "document/page.html", {"document": document})


def edition_pdf(request, slug: str, number: str):
    version = get_edition(request, slug, number)
    if version.pdf:
        # A published edition is served as the exact bytes stored when it was published.
        response = FileResponse(version.pdf.open("rb"), content_type="application/pdf")
        response["X-Content-SHA256"] = version.pdf_sha256
        response["Cache-Control"] = "public, max-age=31536000, immutable"
    else:
        response = HttpResponse(render_pdf(version), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{pdf_filename(version)}"'
    return response
