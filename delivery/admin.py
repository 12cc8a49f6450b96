from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from agreements.admin_labels import LabelledInlineFormSet
from agreements.admin_scoping import OwnAgreementsOnly

from .models import Action, ActionUpdate, Indicator, IndicatorValue, LeadAssignment, Meeting


class UpdateInline(admin.TabularInline):
    """Updates are posted on the action's page, which moves the action's status with them; reviewed
    ones never change. Here they are only read."""

    model = ActionUpdate
    fields = readonly_fields = ["date", "progress", "status", "status_reason", "notable", "reviewed_at"]
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Action)
class ActionAdmin(OwnAgreementsOnly, SimpleHistoryAdmin):
    list_display = ["title", "edition", "priority", "theme", "owner_organisation", "due_date", "status"]
    list_filter = ["edition__agreement", "edition", "status"]
    list_select_related = ["edition", "priority", "theme"]
    search_fields = ["title", "owner_organisation", "responsible_lead"]
    inlines = [UpdateInline]


@admin.register(Meeting)
class MeetingAdmin(OwnAgreementsOnly, SimpleHistoryAdmin):
    list_display = ["date", "agreement", "note"]
    list_filter = ["agreement"]


class ValueInline(admin.TabularInline):
    model = IndicatorValue
    formset = LabelledInlineFormSet
    extra = 1


@admin.register(Indicator)
class IndicatorAdmin(OwnAgreementsOnly, SimpleHistoryAdmin):
    list_display = ["name", "agreement", "priority_key", "unit", "better"]
    list_filter = ["agreement"]
    inlines = [ValueInline]


@admin.register(LeadAssignment)
class LeadAssignmentAdmin(OwnAgreementsOnly, SimpleHistoryAdmin):
    list_display = ["user", "agreement", "priority_key"]
    list_filter = ["agreement"]
