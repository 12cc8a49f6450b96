"""The review document and the committee report as PDFs, through the editions' pipeline
(documents.pdf: PDF/UA-1, headings as bookmarks, static files from disk, a DRAFT mark on every page
until the KCSP decides)."""

from __future__ import annotations

from django.template.loader import render_to_string

from documents.pdf import html_to_pdf

from .document import ReviewDocument, build_review
from .models import AnnualReview

TEMPLATES = {"review": "annual_review/review_document.html", "report": "annual_review/committee_report.html"}


def review_html(document: ReviewDocument, which: str) -> str:
    """The standalone HTML WeasyPrint lays out: which is "review" or "report"."""
    return render_to_string("annual_review/pdf.html", {"document": document, "template": TEMPLATES[which],
                                                       "which": which})


def render_review_pdf(review: AnnualReview, which: str) -> bytes:
    return html_to_pdf(review_html(build_review(review), which))


def pdf_filename(review: AnnualReview, document: ReviewDocument, which: str) -> str:
    draft = "-draft" if document.is_draft else ""
    return f"{review.agreement.slug}-annual-review-{review.cycle.label}-{which}{draft}.pdf"
