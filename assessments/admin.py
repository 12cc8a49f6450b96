from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import models
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from simple_history.admin import SimpleHistoryAdmin

from agreements.admin import RevisionedForm
from agreements.admin_labels import LabelledInlineFormSet
from agreements.admin_scoping import OwnAgreementsOnly
from agreements.models import StaleEdit, Version

from .cycles import open_returns
from .forms import CategoryListFormSet
from .keeping import refusal
from .models import (
    AssessmentCycle,
    AssessmentReturn,
    Category,
    District,
    MorileScore,
    Partnership,
    PartnershipName,
    PartnershipOfficer,
    ReturnCorrection,
    ReturnEvent,
    ReturnItem,
    ReturnRefused,
    kept_reason,
)


class KeptForPublishedEditions:
    """The delete confirmation names the published edition a record fed, or says the return is
    accepted, and offers no delete."""

    def get_deleted_objects(self, objs, request):
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        kept = [reason for obj in objs
                if (reason := refusal(obj) or (kept_reason(obj.pk) if isinstance(obj, AssessmentReturn) else None))]
        return deleted, counts, perms_needed, [*kept, *protected]


class ReadOnlyOnceKept:
    """An accepted return, or one whose cycle fed a published edition, opens read-only, its issues
    and scores too (assessments.keeping): KCST corrects it from its review page instead."""

    def _kept(self, obj) -> bool:
        return obj is not None and obj.pk is not None and kept_reason(obj.pk) is not None

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not self._kept(obj)


class KeptPartInline(ReadOnlyOnceKept, admin.TabularInline):
    """Issues or scores of a return (the `obj` the admin passes is the return)."""

    extra = 0
    formset = LabelledInlineFormSet

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and not self._kept(obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not self._kept(obj)


@admin.register(District)
class DistrictAdmin(OwnAgreementsOnly, SimpleHistoryAdmin):
    list_display = ["name", "former_name", "agreement"]
    list_filter = ["agreement"]
    list_select_related = ["agreement"]
    search_fields = ["name", "former_name"]


class OfficerInline(admin.TabularInline):
    model = PartnershipOfficer
    extra = 0
    formset = LabelledInlineFormSet
    autocomplete_fields = ["user"]


class FormerNameInline(admin.TabularInline):
    model = PartnershipName
    extra = 0
    formset = LabelledInlineFormSet
    fields = ["name", "until"]
    verbose_name_plural = "former names (a rename keeps the partnership: its returns, year on year, stay one)"


@admin.register(Partnership)
class PartnershipAdmin(OwnAgreementsOnly, SimpleHistoryAdmin):
    list_display = ["name", "slug", "agreement", "active_from", "active_to", "email"]
    list_select_related = ["agreement"]
    list_filter = ["agreement", "active_to"]
    search_fields = ["name", "slug", "districts__name", "former_names__name"]
    # Plain checkboxes: the admin's two-box filter widget fails axe (aria-label on a bare span).
    formfield_overrides = {models.ManyToManyField: {"widget": forms.CheckboxSelectMultiple}}
    inlines = [FormerNameInline, OfficerInline]


@admin.register(PartnershipOfficer)
class PartnershipOfficerAdmin(OwnAgreementsOnly, SimpleHistoryAdmin):
    list_display = ["user", "partnership", "can_confirm_local_signoff"]
    list_filter = ["partnership", "can_confirm_local_signoff"]
    list_select_related = ["user", "partnership"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "partnership__name"]
    autocomplete_fields = ["user"]


class CategoryInline(admin.TabularInline):
    model = Category
    extra = 0
    formset = CategoryListFormSet
    fields = ["order", "key", "name", "includes", "synonyms"]
    verbose_name_plural = "categories (in Appendix A, categories named by as many CSPs are listed in this order)"


@admin.register(AssessmentCycle)
class AssessmentCycleAdmin(KeptForPublishedEditions, OwnAgreementsOnly, SimpleHistoryAdmin):
    list_display = ["label", "agreement", "opens_on", "due_on", "closed_on", "recorded_history", "version"]
    list_filter = ["agreement"]
    list_select_related = ["agreement", "version"]
    search_fields = ["label"]
    inlines = [CategoryInline]
    actions = ["create_missing_returns"]

    def get_urls(self):
        return [path("feed/", self.admin_site.admin_view(self.feed_view), name="assessments_assessmentcycle_feed"),
                *super().get_urls()]

    def feed_view(self, request):
        """Posted from a draft version's page: this open cycle, feeding nothing yet, now feeds that draft."""
        if request.method != "POST" or not self.has_change_permission(request):
            raise PermissionDenied
        version = get_object_or_404(Version, pk=request.POST.get("feed-version"), status=Version.Status.DRAFT)
        cycle = get_object_or_404(AssessmentCycle.objects.open(), pk=request.POST.get("feed-cycle"),
                                  agreement=version.agreement_id, version__isnull=True)
        cycle.version = version
        cycle.save(update_fields=["version"])
        self.message_user(request, f"Appendix A of {version} is fed by the {cycle.label} assessment cycle.")
        return redirect(reverse("admin:agreements_version_change", args=[version.pk]))

    @admin.action(description="Create a draft return for each partnership of the cycle's year that has none",
                  permissions=["change"])
    def create_missing_returns(self, request, queryset):
        for cycle in queryset:
            created = open_returns(cycle)
            self.message_user(request, f"{cycle.label}: created {created} draft return(s).")


@admin.register(Category)
class CategoryAdmin(KeptForPublishedEditions, OwnAgreementsOnly, SimpleHistoryAdmin):
    list_display = ["name", "includes", "key", "cycle", "order"]
    list_filter = ["cycle__agreement", "cycle"]
    list_select_related = ["cycle__agreement"]
    search_fields = ["name", "includes", "synonyms", "key"]


class ReturnItemInline(KeptPartInline):
    model = ReturnItem
    fields = ["order", "category", "own_wording", "kind", "note"]

    def get_formset(self, request, obj=None, **kwargs):
        # The return's own cycle's categories, read once and shared by every row, so the page runs
        # the same number of queries however many issues the return has.
        formset = super().get_formset(request, obj, **kwargs)
        field = formset.form.base_fields["category"]
        field.queryset = Category.objects.filter(cycle=obj.cycle) if obj else Category.objects.none()
        field.choices = list(field.choices)
        return formset


class MorileScoreInline(KeptPartInline):
    model = MorileScore
    fields = ["issue", "harm", "likelihood", "organisational_position", "confidence", "scheme_name",
              "scheme_version"]


class WrittenElsewhereInline(admin.TabularInline):
    """Rows written only by the return's route or its review page, which check them: listed
    read-only, never added or removed here, so what happened to a return cannot be rewritten."""

    extra = 0
    formset = LabelledInlineFormSet
    can_delete = False

    def get_readonly_fields(self, request, obj=None):
        return self.fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("by")

    def has_add_permission(self, request, obj=None):
        return False


class ReturnEventInline(WrittenElsewhereInline):
    model = ReturnEvent
    fields = ["at", "action", "by", "note"]


class ReturnCorrectionInline(WrittenElsewhereInline):
    model = ReturnCorrection
    fields = ["at", "corrects", "reason", "by"]


@admin.register(AssessmentReturn)
class AssessmentReturnAdmin(KeptForPublishedEditions, ReadOnlyOnceKept, OwnAgreementsOnly, SimpleHistoryAdmin):
    form = RevisionedForm
    list_display = ["partnership", "cycle", "status", "local_signoff", "submitted_at", "is_late", "updated_at"]
    list_filter = ["cycle__agreement", "cycle", "status", "local_signoff"]
    list_select_related = ["partnership", "cycle__agreement"]
    search_fields = ["partnership__name", "items__own_wording", "items__category__name"]
    fields = ["cycle", "partnership", "status", "local_signoff", "signoff_confirmed_by", "signoff_confirmed_at",
              "submitted_by", "submitted_at", "returned_reason", "description", "updated_at", "edit_revision"]
    readonly_fields = ["cycle", "partnership", "status", "local_signoff", "signoff_confirmed_by",
                       "signoff_confirmed_at", "submitted_by", "submitted_at", "returned_reason", "updated_at"]
    inlines = [ReturnItemInline, MorileScoreInline, ReturnEventInline, ReturnCorrectionInline]
    actions = ["accept_returns"]

    @admin.display(boolean=True, description="Late")
    def is_late(self, obj):
        return obj.is_late

    def has_add_permission(self, request):
        # Returns come from opening a cycle, one per partnership; returning one needs a reason, on its review page.
        return False

    @admin.action(description="Accept the selected submitted returns", permissions=["change"])
    def accept_returns(self, request, queryset):
        for assessment_return in queryset.select_related("partnership"):
            try:
                assessment_return.accept(request.user)
            except (ReturnRefused, StaleEdit) as refusal:
                self.message_user(request, f"{assessment_return}: {refusal}", messages.ERROR)
            else:
                self.message_user(request, f"Accepted {assessment_return}.")
