"""The admin shows each person only the records of the agreements they hold a role in (a superuser
sees all). What they may do with those records is up to their model permissions: by default only
KCST staff have any."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin.utils import get_fields_from_path
from django.http import Http404

from .roles import DRAFT_READERS, agreements_of, within


def agreement_id_of(obj) -> int:
    """The id of the agreement a record belongs to, following its model's `agreement_path`."""
    *steps, last = obj.agreement_path.split("__")
    for step in steps:
        obj = getattr(obj, step)
    return obj.id if last == "id" else getattr(obj, f"{last}_id")


class OwnAgreementsOnly:
    """For a ModelAdmin whose model names its `agreement_path`: its list, its change pages, the
    choices of its related fields and its filters hold only the user's agreements' records.
    Another agreement's record is a 404; its history pages are refused."""

    def get_queryset(self, request):
        return within(super().get_queryset(request), request.user, *DRAFT_READERS)

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            raise Http404(f"No {self.opts.verbose_name} with this id is yours to see.")
        return obj

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and self.is_ours(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self.is_ours(request, obj)

    def is_ours(self, request, obj) -> bool:
        # The history pages find a record without get_queryset, so they are checked here as well.
        readable = agreements_of(request.user, *DRAFT_READERS)
        return obj is None or readable is None or agreement_id_of(obj) in readable

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        return super().formfield_for_foreignkey(db_field, request, **self.own_choices(db_field, request, kwargs))

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        return super().formfield_for_manytomany(db_field, request, **self.own_choices(db_field, request, kwargs))

    def own_choices(self, db_field, request, kwargs: dict) -> dict:
        related = db_field.related_model
        if "queryset" not in kwargs and hasattr(related, "agreement_path"):
            kwargs["queryset"] = within(related._default_manager.all(), request.user, *DRAFT_READERS)
        return kwargs

    def get_list_filter(self, request):
        # A related filter offers only what the user's own records point at, never another agreement's names.
        return [
            (name, admin.RelatedOnlyFieldListFilter)
            if isinstance(name, str) and get_fields_from_path(self.model, name)[-1].is_relation else name
            for name in super().get_list_filter(request)
        ]
