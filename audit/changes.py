"""Recent changes across the application, read from the history every edited model keeps."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import models
from django.urls import NoReverseMatch, reverse
from django.utils.html import strip_tags

from agreements.roles import KCST_STAFF, agreements_of

LABEL_FIELDS = ("name", "title", "number", "label", "text", "html", "issue", "role", "slug", "username")
ACTIONS = {"+": "Created", "~": "Changed", "-": "Deleted"}


@dataclass(frozen=True)
class ChangeRow:
    at: datetime.datetime
    who: str
    kind: str
    action: str
    label: str
    history_url: str


def tracked_models() -> list[type[models.Model]]:
    """The models whose every change is kept, by their plain names."""
    return sorted(
        (m for m in apps.get_models() if hasattr(m, "history") and not hasattr(m, "instance_type")),
        key=lambda m: m._meta.verbose_name,
    )


def kind_choices() -> list[tuple[str, str]]:
    return [(m._meta.label_lower, str(m._meta.verbose_name).capitalize()) for m in tracked_models()]


def recent_changes(
    reader, *, user_id=None, kind: str = "", since=None, until=None, limit: int = 100
) -> list[ChangeRow]:
    """At most `limit` changes the reader may see (those of the agreements they are KCST staff of),
    newest first: one query per kind of record, whatever the history size."""
    readable = agreements_of(reader, KCST_STAFF)
    rows = []
    for model in tracked_models():
        if kind and model._meta.label_lower != kind:
            continue
        history = model.history.model.objects.all()
        if readable is not None:
            if not hasattr(model, "agreement_path"):
                continue  # belongs to no agreement: for superusers only
            history = history.filter(**{f"{model.agreement_path}__in": readable})
        if user_id:
            history = history.filter(history_user_id=user_id)
        if since:
            history = history.filter(history_date__date__gte=since)
        if until:
            history = history.filter(history_date__date__lte=until)
        label_field = next((f for f in LABEL_FIELDS if _has_field(model, f)), None)
        fields = ["history_date", "history_user_id", "history_type", model._meta.pk.attname]
        for values in history.order_by("-history_date").values(*fields, *([label_field] if label_field else []))[:limit]:
            rows.append((model, values, label_field))
    rows.sort(key=lambda row: row[1]["history_date"], reverse=True)
    rows = rows[:limit]
    user_ids = {values["history_user_id"] for _, values, _ in rows if values["history_user_id"]}
    users = dict(get_user_model().objects.filter(pk__in=user_ids).values_list("pk", "username"))
    return [_row(model, values, label_field, users) for model, values, label_field in rows]


def _has_field(model, name: str) -> bool:
    try:
        model._meta.get_field(name)
    except Exception:
        return False
    return True


def _row(model, values, label_field, users) -> ChangeRow:
    pk = values[model._meta.pk.attname]
    label = strip_tags(str(values.get(label_field) or f"#{pk}"))
    try:
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_history", args=[pk])
    except NoReverseMatch:
        url = ""
    return ChangeRow(
        at=values["history_date"],
        who=users.get(values["history_user_id"], "the application"),
        kind=str(model._meta.verbose_name).capitalize(),
        action=ACTIONS.get(values["history_type"], values["history_type"]),
        label=label[:120],
        history_url=url,
    )
