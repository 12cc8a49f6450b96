"""KCST edits a draft as a document: from the draft's page, one chapter or paragraph at a time.

Every view here is for KCST staff only (anyone else gets a 404, as for a record that is not
theirs) and only while the edition is a draft; for an edition under review or published the
page says so, with a 403, and nothing can change (EditionContent refuses it too).
"""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from agreements.models import Chapter, Footnote, Paragraph, StaleEdit, Version
from agreements.roles import is_kcst

from .cross_references import editor_targets
from .data import chapter_texts, paragraph_preview
from .editor_forms import FootnoteForm, ParagraphForm


def draft_editor(view):
    """The view gets the draft edition named in the URL, for its own agreement's KCST staff only."""

    @login_required
    @wraps(view)
    def wrapper(request, slug: str, number: str, **kwargs):
        version = get_object_or_404(Version.objects.select_related("agreement"), agreement__slug=slug, number=number)
        if not is_kcst(request.user, version.agreement_id):
            raise Http404
        if not version.is_draft:
            # What was typed is shown back, so a save refused because the edition moved on loses nothing.
            typed = request.POST.get("html", "")
            return render(request, "documents/editing/frozen.html", {"version": version, "typed": typed}, status=403)
        return view(request, version, **kwargs)

    return wrapper


def document_url(version: Version, anchor: str = "") -> str:
    url = reverse("edition", args=[version.agreement.slug, version.number])
    return f"{url}#{anchor}" if anchor else url


def chapter_url(chapter: Chapter, anchor: str = "") -> str:
    version = chapter.version
    url = reverse("edit_chapter", args=[version.agreement.slug, version.number, chapter.key])
    return f"{url}#{anchor}" if anchor else url


def _chapter(version: Version, key: str) -> Chapter:
    return get_object_or_404(Chapter.objects.select_related("version__agreement"), version=version, key=key)


def _paragraph(version: Version, pk: int) -> Paragraph:
    return get_object_or_404(
        Paragraph.objects.select_related("chapter__version__agreement"), pk=pk, chapter__version=version
    )


def _footnote(version: Version, pk: int) -> Footnote:
    return get_object_or_404(
        Footnote.objects.select_related("chapter__version__agreement"), pk=pk, chapter__version=version
    )


@draft_editor
def edit_chapter(request, version: Version, key: str):
    chapter = _chapter(version, key)
    paragraphs = list(chapter.paragraphs.all())
    texts, notes = chapter_texts(chapter, paragraphs, list(chapter.footnotes.all()))
    return render(request, "documents/editing/chapter.html", {
        "version": version, "chapter": chapter, "chapters": version.chapters.all(),
        "paragraphs": list(zip(paragraphs, texts)), "notes": notes,
    })


@draft_editor
def edit_paragraph(request, version: Version, pk: int):
    paragraph = _paragraph(version, pk)
    return _paragraph_form(request, paragraph, paragraph.siblings())


@draft_editor
def add_paragraph(request, version: Version, key: str):
    """A new paragraph at the end of the chapter, or before or after one (?before=id, ?after=id)."""
    chapter = _chapter(version, key)
    paragraphs = list(chapter.paragraphs.all())
    beside, after = None, True
    for where in ("before", "after"):
        if where in request.GET:
            beside = next((p for p in paragraphs if str(p.pk) == request.GET[where]), None)
            if beside is None:
                raise Http404
            after = where == "after"
    paragraph = Paragraph(chapter=chapter)
    at = paragraphs.index(beside) + (1 if after else 0) if beside is not None else len(paragraphs)
    return _paragraph_form(request, paragraph, [*paragraphs[:at], paragraph, *paragraphs[at:]], beside, after)


def _paragraph_form(request, paragraph: Paragraph, paragraphs: list[Paragraph], beside=None, after=True):
    """The editor page for a paragraph, new or not: Preview shows it as it will print, Save keeps it
    and goes back to it in the document. A refused save shows the form again with what was typed."""
    chapter = paragraph.chapter
    form = ParagraphForm(request.POST or None, instance=paragraph)
    _texts, notes = chapter_texts(chapter, paragraphs, list(chapter.footnotes.all()))
    targets = editor_targets(chapter.version)
    context = {"paragraph": paragraph, "chapter": chapter, "version": chapter.version, "notes": notes,
               "targets": targets, "beside": beside, "after": after, "form": form}

    def save():
        if paragraph.pk is None:
            form.save(commit=False).add_to(chapter, beside, after)
        else:
            form.save()

    if request.method == "POST" and form.is_valid():
        if "preview" in request.POST:
            context["preview"] = [paragraph_preview(form.instance, paragraphs, targets)]
        elif _saved(request, context, save):
            number = paragraph.printed_number()
            saved = f"Paragraph {number}" if number else f"The paragraph in {chapter.heading}"
            messages.success(request, f"{saved} saved.")
            return redirect(document_url(chapter.version, f"edit-paragraph-{paragraph.pk}"))
    return render(request, "documents/editing/paragraph.html", context)


def _saved(request, context: dict, save) -> bool:
    """Whether `save` saved; if the copy was stale, the context's form is shown again (see below)
    and the record as saved by someone else is put beside it."""
    try:
        save()
    except StaleEdit as refusal:
        context["form"], context["theirs"] = _after_stale(request, refusal, type(context["form"]))
        return False
    return True


def _after_stale(request, refusal: StaleEdit, form_class):
    """The form again, with what was typed and the refusal, now carrying the saved revision, so a
    second Save (made knowing someone else's text is there) replaces it; and the saved record."""
    model = type(refusal.instance)
    saved = model._base_manager.get(pk=refusal.instance.pk)
    data = request.POST.copy()
    data["revision"] = saved.revision
    form = form_class(data, instance=model._base_manager.get(pk=saved.pk))  # the form writes into its instance
    form.is_valid()
    form.add_error(
        None,
        f"Someone else changed this {saved._meta.verbose_name} while you were editing it. Nothing was saved. "
        "Your text is kept below and theirs is shown under it: Save again to replace theirs with yours.",
    )
    return form, saved


@require_POST
@draft_editor
def move_paragraph(request, version: Version, pk: int):
    paragraph = _paragraph(version, pk)
    paragraph.move(-1 if request.POST.get("direction") == "up" else 1)
    return redirect(chapter_url(paragraph.chapter, f"paragraph-{paragraph.pk}"))


@draft_editor
def delete_paragraph(request, version: Version, pk: int):
    paragraph = _paragraph(version, pk)
    preview = paragraph_preview(paragraph, paragraph.siblings(), editor_targets(version))
    if request.method == "POST":
        paragraph.delete()
        messages.success(request, "The paragraph was deleted; the paragraphs after it are numbered again.")
        return redirect(document_url(version, f"chapter-{paragraph.chapter.key}"))
    return render(request, "documents/editing/delete_paragraph.html", {
        "version": version, "paragraph": paragraph, "chapter": paragraph.chapter, "preview": preview,
    })


@draft_editor
def add_note(request, version: Version, key: str):
    chapter = _chapter(version, key)
    note = Footnote(chapter=chapter, order=chapter.footnotes.count())
    return _note_form(request, note)


@draft_editor
def edit_note(request, version: Version, pk: int):
    return _note_form(request, _footnote(version, pk))


def _note_form(request, note: Footnote):
    form = FootnoteForm(request.POST or None, instance=note)
    context = {"note": note, "chapter": note.chapter, "version": note.chapter.version, "form": form}
    if request.method == "POST" and form.is_valid() and _saved(request, context, form.save):
        messages.success(request, f"Note saved. To refer to it, write {note.reference} in the text.")
        return redirect(chapter_url(note.chapter, f"note-{note.pk}"))
    return render(request, "documents/editing/note.html", context)


@draft_editor
def delete_note(request, version: Version, pk: int):
    note = _footnote(version, pk)
    if request.method == "POST":
        note.delete()
        messages.success(request, f"The note was deleted. Any {note.reference} left in the text now shows as written.")
        return redirect(chapter_url(note.chapter, "notes"))
    return render(request, "documents/editing/delete_note.html", {
        "version": version, "note": note, "chapter": note.chapter,
    })
