from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

from . import images, workflow
from .admin_labels import LabelledInlineFormSet
from .admin_scoping import OwnAgreementsOnly
from .admin_setup import set_up_view
from .fields import OneLine
from .forms import transition_form
from .models import (
    Achievement,
    Agreement,
    AgreementImage,
    ChangeNote,
    Chapter,
    CrossCuttingTheme,
    EditionLogo,
    Footnote,
    HorizonItem,
    Lead,
    Membership,
    Paragraph,
    PlanLink,
    PoliceCrimePlan,
    PoliceCrimePlanPriority,
    Priority,
    ResponsibleAuthority,
    ScrutinyRecord,
    Signatory,
    StaleEdit,
    Version,
    new_key,
    number_paragraphs,
)
from .refresh import RefreshRefused, start_next_refresh
from .roles import KCST_STAFF, grant, is_kcst, within


# The edition's lists are wide tables: they get the window's whole width, not what a sidebar leaves.
admin.site.enable_nav_sidebar = False


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
        if "key" in self.fields and not cleaned.get("key"):
            # Made here, not only on save, so two new rows with blank keys are not reported as duplicates.
            cleaned["key"] = new_key(cleaned.get("name") or cleaned.get("title") or "")
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


class FrozenReasonMixin:
    """A change or delete refused because the edition is not a draft says so, not "your account"."""

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if request.method == "POST" and object_id:
            self._refuse_if_frozen(request, object_id)
        return super().changeform_view(request, object_id, form_url, extra_context)

    def delete_view(self, request, object_id, extra_context=None):
        self._refuse_if_frozen(request, object_id)
        return super().delete_view(request, object_id, extra_context)

    def _refuse_if_frozen(self, request, object_id) -> None:
        obj = self.get_object(request, object_id)
        # The role's own permission, without the draft rule that EditionContentMixin adds to it.
        if obj is None or _editable(obj) or not admin.ModelAdmin.has_change_permission(self, request, obj):
            return
        edition = obj if isinstance(obj, Version) else obj.edition()
        raise PermissionDenied(
            f"Version {edition.number} is {edition.get_status_display()}: its content can change only while "
            "it is a draft."
        )


class EditionContentAdmin(OwnAgreementsOnly, FrozenReasonMixin, EditionContentMixin, SimpleHistoryAdmin):
    list_select_related = ["version__agreement"]
    list_filter = ["version__agreement", "version"]
    # The record this one belongs to: chosen among draft editions when adding, fixed afterwards.
    parent_field = "version"

    def get_readonly_fields(self, request, obj=None):
        fixed = [self.parent_field] if obj is not None else []
        return [*fixed, *super().get_readonly_fields(request, obj)]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == self.parent_field:
            return draft_parent_field(db_field, self.model.version_path, **self.own_choices(db_field, request, kwargs))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


def draft_parent_field(db_field, version_path: str, queryset=None, **kwargs):
    """A choice among the parts of draft editions only (of `queryset`, if given), each named with its edition."""
    to_version = version_path.split("__", 1)[1] if "__" in version_path else ""
    status = f"{to_version}__status" if to_version else "status"
    agreement = f"{to_version}__agreement" if to_version else "agreement"
    queryset = queryset if queryset is not None else db_field.related_model._default_manager.all()
    queryset = queryset.filter(**{status: Version.Status.DRAFT})
    field = db_field.formfield(queryset=queryset.select_related(agreement), **kwargs)
    if to_version:
        field.label_from_instance = lambda record: f"{record.edition()} - {record}"
    return field


class ContentInline(EditionContentMixin, admin.TabularInline):
    extra = 0
    formset = LabelledInlineFormSet


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
    fields = ["order", "kind", "label", "title", "key", "generated", "edit_revision"]
    show_change_link = True


class PriorityWithLeadForm(RevisionedForm):
    """A priority with its lead, so that the priorities and their leads are one form on the version's page."""

    lead_role = forms.CharField(label="Lead's role", required=False, max_length=300,
                                validators=[OneLine("lead's role")])
    lead_organisation = forms.CharField(label="Lead's organisation", required=False, max_length=200,
                                        validators=[OneLine("lead's organisation")])
    lead_tbc = forms.BooleanField(label="Lead to be confirmed", required=False)
    lead_revision = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        lead = self._lead()
        if lead is not None:
            for name in ("role", "organisation", "tbc", "revision"):
                self.fields[f"lead_{name}"].initial = getattr(lead, name)

    def _lead(self) -> Lead | None:
        return getattr(self.instance, "lead", None) if self.instance.pk else None

    def clean(self):
        cleaned = super().clean()
        lead = self._lead()
        if lead is not None and cleaned.get("lead_revision") not in (None, lead.revision):
            raise forms.ValidationError(StaleEdit(lead).args[0], code="stale")
        return cleaned

    def save(self, commit=True):
        priority = super().save(commit)
        if commit:
            self._save_lead(priority)
        return priority

    def _save_lead(self, priority: Priority) -> None:
        values = {name: self.cleaned_data[f"lead_{name}"] for name in ("role", "organisation", "tbc")}
        lead = self._lead() or Lead(priority=priority)
        if all(getattr(lead, name) == value for name, value in values.items()):
            return
        for name, value in values.items():
            setattr(lead, name, value)
        lead.save()


class PriorityInline(ContentInline):
    model = Priority
    form = PriorityWithLeadForm
    fields = ["order", "name", "gloss", "includes", "includes_note", "lead_role", "lead_organisation", "lead_tbc",
              "key", "edit_revision", "lead_revision"]
    show_change_link = True

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("lead")

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "includes":
            kwargs["widget"] = forms.Textarea(attrs={"rows": 3})
        return super().formfield_for_dbfield(db_field, request, **kwargs)


class ThemeInline(ContentInline):
    model = CrossCuttingTheme
    fields = ["order", "name", "key", "edit_revision"]
    show_change_link = True  # its includes-list is on its own page


class PlanLinkInline(ContentInline):
    model = PlanLink
    fields = ["order", "text", "edit_revision"]


class AuthorityInline(ContentInline):
    model = ResponsibleAuthority
    fields = ["order", "text", "edit_revision"]


class SignatoryInline(ContentInline):
    model = Signatory
    fields = ["order", "text", "edit_revision"]


class HorizonItemInline(ContentInline):
    model = HorizonItem
    fields = ["order", "category", "group", "text", "note", "edit_revision"]


class ChangeNoteInline(ContentInline):
    model = ChangeNote
    fields = ["order", "section", "text", "to_be_updated", "edit_revision"]


class LeadInline(ContentInline):
    model = Lead
    fields = ["role", "organisation", "tbc", "edit_revision"]


class PolicePriorityInline(ContentInline):
    model = PoliceCrimePlanPriority
    fields = ["order", "group", "text", "in_diagram", "tables_text", "edit_revision"]


class EditionLogoInline(ContentInline):
    model = EditionLogo
    fields = ["place", "order", "image", "edit_revision"]
    verbose_name_plural = "Crests and logos printed (the cover's and the back page's, each in its order)"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("image")

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        if obj is not None:  # the agreement's own images only
            formset.form.base_fields["image"].queryset = AgreementImage.objects.filter(agreement=obj.agreement_id)
        return formset


class AgreementImageForm(RevisionedForm):
    upload = forms.FileField(
        label="Image file", required=False,
        help_text=f"A PNG, JPEG or SVG file, at most {images.MAX_BYTES // 1024} KB and {images.MAX_SIDE} pixels "
                  "a side. Uploading a new file replaces the image in drafts; published editions keep the one "
                  "they printed.",
    )

    class Meta:
        model = AgreementImage
        fields = ["agreement", "name", "alt"]
        error_messages = {"alt": {"required": "Enter the alt text: what a screen reader says in place of the image."}}

    def clean_upload(self):
        upload = self.cleaned_data.get("upload")
        if upload is None:
            if self.instance.pk is None:
                raise forms.ValidationError("Choose the image file to upload.", code="required")
            return None
        images.refuse_if_too_big(upload.size)
        return images.check_image(upload.read())

    def save(self, commit=True):
        if self.cleaned_data.get("upload") is not None:
            self.instance.take(self.cleaned_data["upload"])
        return super().save(commit)


@admin.register(AgreementImage)
class AgreementImageAdmin(OwnAgreementsOnly, SimpleHistoryAdmin):
    """The agreement's crests and logos; each edition chooses which it prints on its own page."""

    form = AgreementImageForm
    list_display = ["name", "alt", "agreement", "preview"]
    list_filter = ["agreement"]
    search_fields = ["name", "alt"]
    fields = ["agreement", "name", "alt", "upload", "preview", "size", "sha256", "edit_revision"]
    readonly_fields = ["preview", "size", "sha256"]

    def get_readonly_fields(self, request, obj=None):
        # An image stays with the agreement it was uploaded to: editions elsewhere never print it.
        return [*(["agreement"] if obj is not None else []), *super().get_readonly_fields(request, obj)]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "agreement":  # uploaded only to an agreement the user is KCST staff of
            kwargs["queryset"] = within(Agreement.objects.all(), request.user, KCST_STAFF)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self.is_kcst_of(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self.is_kcst_of(request, obj)

    @staticmethod
    def is_kcst_of(request, obj) -> bool:
        return obj is None or is_kcst(request.user, obj.agreement_id)

    @admin.display(description="Image")
    def preview(self, image):
        if not image.pk:
            return "-"
        return format_html('<img class="logo-preview" src="{}" alt="{}">', image.url, image.alt)

    @admin.display(description="Size in pixels")
    def size(self, image):
        return f"{image.width} by {image.height}" if image.pk else "-"


def fix_url(problem: workflow.Problem, version: Version) -> str:
    """The admin page of the record to change; the version's own page when the fix is there."""
    record = problem.record or version
    return reverse(f"admin:{record._meta.app_label}_{record._meta.model_name}_change", args=[record.pk])


def feeding(version: Version) -> str:
    cycles = ", ".join(cycle.label for cycle in version.cycles.all())
    if cycles:
        return f"Appendix A is fed by the {cycles} assessment cycle."
    return "No assessment cycle feeds its Appendix A yet: see its page."


@admin.register(Agreement)
class AgreementAdmin(OwnAgreementsOnly, SimpleHistoryAdmin):
    list_display = ["name", "slug", "area"]
    search_fields = ["name", "slug", "area"]
    actions = ["start_next_refresh"]

    def get_readonly_fields(self, request, obj=None):
        # Published editions' addresses hold the slug (Agreement.save).
        fixed = ["slug"] if obj is not None and obj.has_published() else []
        return [*fixed, *super().get_readonly_fields(request, obj)]

    def add_view(self, request, form_url="", extra_context=None):
        # An agreement is set up with its first edition.
        return set_up_view(self, request)

    @admin.action(description="Start the next refresh from the latest published version",
                  permissions=["change"])
    def start_next_refresh(self, request, queryset):
        for agreement in queryset:
            try:
                version = start_next_refresh(agreement, by=request.user)
            except RefreshRefused as refusal:
                self.message_user(request, str(refusal), messages.ERROR)
            else:
                self.message_user(request, f"Started {version}: a draft copy of {version.based_on.number}. "
                                           f"{feeding(version)}")


@admin.register(Membership)
class MembershipAdmin(OwnAgreementsOnly, SimpleHistoryAdmin):
    """Who holds which role in which agreement: set by superusers (KCST staff have no permission here)."""

    list_display = ["user", "role", "agreement"]
    list_filter = ["agreement", "role"]
    list_select_related = ["user", "agreement"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "agreement__name"]
    autocomplete_fields = ["user"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        # The role's group carries the admin permissions that go with it.
        grant(obj.user, obj.role, obj.agreement)


@admin.register(Version)
class VersionAdmin(OwnAgreementsOnly, FrozenReasonMixin, EditionContentMixin, SimpleHistoryAdmin):
    list_display = ["__str__", "number", "effective_label", "status", "historical"]
    list_filter = ["agreement", "status", "historical"]
    list_select_related = ["agreement"]
    search_fields = ["number", "agreement__name"]
    readonly_fields = ["agreement", "status", "based_on", "historical", "sources", "published_at",
                       "pdf_sha256", "pdf_size", "publish_with_provisional_returns"]
    fields = ["agreement", "number", "effective_month", "effective_year", "status", "based_on", "historical",
              "sources", "diagram_key", "horizon_heading_end", "edit_revision"]
    # Each list of the edition is one form on this page: add, reorder and remove rows in place.
    inlines = [ChangeNoteInline, ChapterInline, PriorityInline, ThemeInline, PlanLinkInline, AuthorityInline,
               SignatoryInline, HorizonItemInline, EditionLogoInline]
    change_form_template = "admin/agreements/version/change_form.html"

    def add_view(self, request, form_url="", extra_context=None):
        # A version is set up whole (blank, a chapter structure, or a past edition), never field by field.
        return set_up_view(self, request)

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
                "steps": [(t, workflow.not_yet(version, t)) for t in workflow.available(version, request.user)],
                "checklist": [] if version.is_published else [
                    (label, [(problem, fix_url(problem, version)) for problem in problems])
                    for label, problems in workflow.publish_checklist(version)
                ],
                "route": version.transitions.select_related("by"),
                "feeding_cycles": list(version.cycles.all()),
                # Read through the reverse relation: agreements does not import assessments.
                "waiting_cycles": list(version.agreement.cycles.open().filter(version__isnull=True))
                if version.is_draft else [],
                "scrutiny": version.scrutiny_records.all(),
                "offer_refresh": version == latest and version.agreement.open_version() is None
                and self.has_change_permission(request),
            }
        return super().change_view(request, object_id, form_url, extra_context)

    def transition_view(self, request, object_id, name):
        version = self._version_or_404(request, object_id)
        t = workflow.BY_NAME.get(name)
        if t is None:
            raise Http404
        refusal = workflow.refusal_reason(version, request.user, t)
        if refusal:
            raise PermissionDenied(refusal)
        form = transition_form(t, request.POST or None, revision=version.revision)
        blockers = workflow.not_yet(version, t)
        failures = [f"{t.label} is not possible yet.", *blockers] if blockers else []
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
        self.message_user(request, f"Started {new}: a draft copy of {version.number}. {feeding(new)}")
        return redirect(reverse("admin:agreements_version_change", args=[new.pk]))

    def scrutiny_view(self, request, object_id):
        """A Scrutiny Committee may look at a version after publication; that record is not content."""
        version = self._version_or_404(request, object_id)
        if request.method != "POST" or not is_kcst(request.user, version.agreement_id):
            raise PermissionDenied
        # Prefixed: the fields travel with the version's own change form (see the template).
        form = ScrutinyForm(request.POST, prefix="scrutiny")
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
    fields = ["version", "document_editor", "order", "kind", "label", "title", "key", "generated", "block_after",
              "block_heading", "edit_revision"]
    readonly_fields = ["document_editor"]
    inlines = [ParagraphInline, FootnoteInline]

    @admin.display(description="Editor")
    def document_editor(self, chapter):
        if chapter.pk is None:
            return ""
        version = chapter.version
        url = reverse("edit_chapter", args=[version.agreement.slug, version.number, chapter.key])
        return format_html('<a href="{}">Edit this chapter as a document</a>', url)

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if obj is not None and "block_after" in form.base_fields:
            form.base_fields["block_after"] = forms.ChoiceField(
                label="Where the generated part goes", required=False, choices=block_places(obj),
                help_text="The generated table or list follows the paragraph you choose.",
            )
        return form


def block_places(chapter: Chapter) -> list[tuple[str, str]]:
    paragraphs = number_paragraphs(chapter, chapter.paragraphs.all())
    return [
        ("", "Where the application places it: after the paragraph that introduces it, else at the end"),
        *((p.key, f"After {p.number or 'the paragraph'}: {Truncator(strip_tags(p.html)).chars(70)}")
          for p in paragraphs),
    ]


@admin.register(Paragraph)
class ParagraphAdmin(EditionContentAdmin):
    list_display = ["__str__", "chapter", "style", "to_be_updated"]
    list_filter = ["chapter__version__agreement", "chapter__version", "to_be_updated", "style"]
    list_select_related = ["chapter__version__agreement"]
    search_fields = ["html"]
    fields = ["chapter", "order", "style", "html", "to_be_updated", "key", "edit_revision"]
    parent_field = "chapter"


@admin.register(Priority)
class PriorityAdmin(EditionContentAdmin):
    list_display = ["name", "version", "order", "key"]
    search_fields = ["name", "includes"]
    fields = ["version", "order", "name", "gloss", "key", "includes", "includes_note", "includes_name", "leads_name",
              "edit_revision"]
    inlines = [LeadInline]


@admin.register(PoliceCrimePlan)
class PoliceCrimePlanAdmin(EditionContentAdmin):
    list_display = ["title", "period", "version"]
    fields = ["version", "title", "period", "intro_html", "tables_heading", "edit_revision"]
    inlines = [PolicePriorityInline]


@admin.register(CrossCuttingTheme)
class CrossCuttingThemeAdmin(EditionContentAdmin):
    list_display = ["name", "version", "order", "key"]
    search_fields = ["name"]


@admin.register(PlanLink, ResponsibleAuthority, Signatory)
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
    parent_field = "priority"
    search_fields = ["role", "organisation", "priority__name"]
