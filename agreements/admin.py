from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

from . import workflow
from .forms import transition_form

from .models import (
    Achievement,
    Agreement,
    ChangeNote,
    Chapter,
    CrossCuttingTheme,
    Footnote,
    HorizonItem,
    Lead,
    Paragraph,
    PlanLink,
    PoliceCrimePlan,
    PoliceCrimePlanPriority,
    Priority,
    ResponsibleAuthority,
    ScrutinyRecord,
    Version,
)
from .refresh import RefreshRefused, start_next_refresh
from .roles import is_kcst


class RevisionedForm(forms.ModelForm):
    """Carries the revision the editor started from, so a stale copy is refused, not saved."""

    edit_revision = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["edit_revision"].initial = self.instance.revision

    def clean(self):
        cleaned = super().clean()
        started_from = cleaned.get("edit_revision")
        if self.instance.pk and started_from is not None and started_from != self.instance.revision:
            raise forms.ValidationError(
                f"Someone else changed this {self.instance._meta.verbose_name} while you were editing it. "
                "Nothing was saved: reload the page to see their changes, then make yours again.",
                code="stale",
            )
        return cleaned


class EditionContentMixin:
    """Content of an edition that is not a draft shows read-only."""

    form = RevisionedForm

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and _editable(obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and _editable(obj)

    def has_add_permission(self, request, obj=None):
        if isinstance(self, admin.options.InlineModelAdmin):
            return super().has_add_permission(request, obj) and _editable(obj)
        return super().has_add_permission(request)


def _editable(obj) -> bool:
    if obj is None:
        return True
    if isinstance(obj, Version):
        return obj.is_draft
    return obj.edition().is_draft


class EditionContentAdmin(EditionContentMixin, SimpleHistoryAdmin):
    list_select_related = ["version__agreement"]
    list_filter = ["version__agreement", "version"]


class ContentInline(EditionContentMixin, admin.TabularInline):
    extra = 0


def editor_link(paragraph: Paragraph) -> str:
    if paragraph.pk is None:
        return ""
    version = paragraph.chapter.version
    url = reverse("edit_paragraph", args=[version.agreement.slug, version.number, paragraph.pk])
    return format_html('<a href="{}">Open in the editor</a>', url)


class ParagraphInline(ContentInline):
    model = Paragraph
    fields = ["order", "style", "html", "to_be_updated", "editor", "edit_revision"]
    readonly_fields = ["editor"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("chapter__version__agreement")

    @admin.display(description="Editor")
    def editor(self, paragraph):
        return editor_link(paragraph)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "html":
            kwargs["widget"] = forms.Textarea(attrs={"rows": 3, "cols": 90})
        return super().formfield_for_dbfield(db_field, request, **kwargs)


class FootnoteInline(ContentInline):
    model = Footnote
    fields = ["order", "html", "reference", "edit_revision"]
    readonly_fields = ["reference"]


class ChapterInline(ContentInline):
    model = Chapter
    fields = ["order", "label", "title", "key", "generated", "edit_revision"]
    show_change_link = True


class PriorityInline(ContentInline):
    model = Priority
    fields = ["order", "name", "gloss", "key", "edit_revision"]
    show_change_link = True


class ThemeInline(ContentInline):
    model = CrossCuttingTheme
    fields = ["order", "name", "key", "edit_revision"]


class ChangeNoteInline(ContentInline):
    model = ChangeNote
    fields = ["order", "section", "text", "to_be_updated", "edit_revision"]


class LeadInline(ContentInline):
    model = Lead
    fields = ["role", "organisation", "tbc", "edit_revision"]


class PolicePriorityInline(ContentInline):
    model = PoliceCrimePlanPriority
    fields = ["order", "group", "text", "in_diagram", "edit_revision"]


@admin.register(Agreement)
class AgreementAdmin(SimpleHistoryAdmin):
    list_display = ["name", "slug", "area"]
    search_fields = ["name", "area"]
    actions = ["start_next_refresh"]

    @admin.action(description="Start the next refresh from the latest published version",
                  permissions=["change"])
    def start_next_refresh(self, request, queryset):
        for agreement in queryset:
            try:
                version = start_next_refresh(agreement, by=request.user)
            except RefreshRefused as refusal:
                self.message_user(request, str(refusal), messages.ERROR)
            else:
                self.message_user(request, f"Started {version}: a draft copy of {version.based_on.number}.")


@admin.register(Version)
class VersionAdmin(EditionContentMixin, SimpleHistoryAdmin):
    list_display = ["__str__", "number", "effective_label", "status", "historical"]
    list_filter = ["agreement", "status", "historical"]
    list_select_related = ["agreement"]
    search_fields = ["number", "agreement__name"]
    readonly_fields = ["agreement", "status", "based_on", "historical", "sources", "published_at",
                       "pdf_sha256", "pdf_size", "publish_with_provisional_returns"]
    fields = ["agreement", "number", "effective_month", "effective_year", "status", "based_on", "historical",
              "sources", "edit_revision"]
    inlines = [ChangeNoteInline, ChapterInline, PriorityInline, ThemeInline]
    change_form_template = "admin/agreements/version/change_form.html"

    def has_add_permission(self, request):
        # New versions come only from "start the next refresh", so nothing is half-copied.
        return False

    def get_urls(self):
        return [
            path("<path:object_id>/move/<str:name>/", self.admin_site.admin_view(self.transition_view),
                 name="agreements_version_transition"),
            path("<path:object_id>/refresh/", self.admin_site.admin_view(self.refresh_view),
                 name="agreements_version_refresh"),
            path("<path:object_id>/scrutiny/", self.admin_site.admin_view(self.scrutiny_view),
                 name="agreements_version_scrutiny"),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        version = self.get_object(request, object_id)
        if version is not None:
            latest = version.agreement.latest_published()
            extra_context = {
                **(extra_context or {}),
                "transitions": workflow.available(version, request.user),
                "route": version.transitions.select_related("by"),
                "scrutiny": version.scrutiny_records.all(),
                "offer_refresh": version == latest and version.agreement.open_version() is None
                and self.has_change_permission(request),
            }
        return super().change_view(request, object_id, form_url, extra_context)

    def transition_view(self, request, object_id, name):
        version = self._version_or_404(request, object_id)
        t = workflow.BY_NAME.get(name)
        if t is None or t not in workflow.available(version, request.user):
            raise PermissionDenied
        form = transition_form(t, request.POST or None, revision=version.revision)
        failures = []
        if request.method == "POST" and form.is_valid():
            version.revision = form.cleaned_data.pop("edit_revision")
            try:
                workflow.transition(version, name, request.user, **form.cleaned_data)
            except workflow.TransitionRefused as refusal:
                failures = [str(refusal), *refusal.failures]
            else:
                self.message_user(request, f"Version {version.number} is now {version.get_status_display()}.")
                return redirect(reverse("admin:agreements_version_change", args=[version.pk]))
        return TemplateResponse(request, "admin/agreements/version/transition.html", {
            **self.admin_site.each_context(request), "opts": self.model._meta, "original": version,
            "version": version, "step": t, "form": form, "failures": failures,
            "title": f"{t.label}: version {version.number}",
        })

    def refresh_view(self, request, object_id):
        version = self._version_or_404(request, object_id)
        if request.method != "POST" or not self.has_change_permission(request):
            raise PermissionDenied
        try:
            new = start_next_refresh(version.agreement, by=request.user)
        except RefreshRefused as refusal:
            self.message_user(request, str(refusal), messages.ERROR)
            return redirect(reverse("admin:agreements_version_change", args=[version.pk]))
        self.message_user(request, f"Started {new}: a draft copy of {version.number}.")
        return redirect(reverse("admin:agreements_version_change", args=[new.pk]))

    def scrutiny_view(self, request, object_id):
        """A Scrutiny Committee may look at a version after publication; that record is not content."""
        version = self._version_or_404(request, object_id)
        if request.method != "POST" or not is_kcst(request.user):
            raise PermissionDenied
        form = ScrutinyForm(request.POST)
        if form.is_valid():
            ScrutinyRecord.objects.create(version=version, recorded_by=request.user, **form.cleaned_data)
            self.message_user(request, "Scrutiny Committee meeting recorded.")
        else:
            self.message_user(request, f"Nothing recorded: {form.errors.as_text()}", messages.ERROR)
        return redirect(reverse("admin:agreements_version_change", args=[version.pk]))

    def _version_or_404(self, request, object_id) -> Version:
        version = self.get_object(request, object_id)
        if version is None or not self.has_view_permission(request, version):
            raise Http404
        return version


class ScrutinyForm(forms.ModelForm):
    class Meta:
        model = ScrutinyRecord
        fields = ["meeting_date", "minute"]


@admin.register(Chapter)
class ChapterAdmin(EditionContentAdmin):
    list_display = ["heading", "version", "order", "generated"]
    search_fields = ["title", "paragraphs__html"]
    fields = ["version", "document_editor", "order", "label", "title", "key", "generated", "edit_revision"]
    readonly_fields = ["version", "document_editor"]
    inlines = [ParagraphInline, FootnoteInline]

    @admin.display(description="Editor")
    def document_editor(self, chapter):
        version = chapter.version
        url = reverse("edit_chapter", args=[version.agreement.slug, version.number, chapter.key])
        return format_html('<a href="{}">Edit this chapter as a document</a>', url)


@admin.register(Paragraph)
class ParagraphAdmin(EditionContentAdmin):
    list_display = ["__str__", "chapter", "style", "to_be_updated"]
    list_filter = ["chapter__version__agreement", "chapter__version", "to_be_updated", "style"]
    list_select_related = ["chapter__version__agreement"]
    search_fields = ["html"]
    fields = ["chapter", "order", "style", "html", "to_be_updated", "key", "edit_revision"]
    readonly_fields = ["chapter"]


@admin.register(Priority)
class PriorityAdmin(EditionContentAdmin):
    list_display = ["name", "version", "order", "key"]
    search_fields = ["name", "includes"]
    fields = ["version", "order", "name", "gloss", "key", "includes", "includes_note", "edit_revision"]
    readonly_fields = ["version"]
    inlines = [LeadInline]


@admin.register(PoliceCrimePlan)
class PoliceCrimePlanAdmin(EditionContentAdmin):
    list_display = ["title", "period", "version"]
    fields = ["version", "title", "period", "intro_html", "edit_revision"]
    readonly_fields = ["version"]
    inlines = [PolicePriorityInline]


@admin.register(CrossCuttingTheme)
class CrossCuttingThemeAdmin(EditionContentAdmin):
    list_display = ["name", "version", "order", "key"]
    search_fields = ["name"]


@admin.register(PlanLink, ResponsibleAuthority)
class ListItemAdmin(EditionContentAdmin):
    list_display = ["text", "version", "order"]
    search_fields = ["text"]


@admin.register(HorizonItem)
class HorizonItemAdmin(EditionContentAdmin):
    list_display = ["text", "category", "group", "version"]
    list_filter = ["version__agreement", "version", "category"]
    search_fields = ["text"]


@admin.register(Achievement)
class AchievementAdmin(EditionContentAdmin):
    list_display = ["title", "version", "order"]
    search_fields = ["title", "html"]


@admin.register(ChangeNote)
class ChangeNoteAdmin(EditionContentAdmin):
    list_display = ["text", "section", "version", "to_be_updated"]
    list_filter = ["version__agreement", "version", "to_be_updated"]
    search_fields = ["text"]


@admin.register(Lead)
class LeadAdmin(EditionContentAdmin):
    list_display = ["__str__", "priority", "tbc"]
    list_select_related = ["priority__version__agreement"]
    list_filter = ["priority__version__agreement", "priority__version", "tbc"]
    search_fields = ["role", "organisation", "priority__name"]
