"""The screen that sets up an agreement's edition: a new agreement, a new draft, or a past edition."""

from __future__ import annotations

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.text import slugify

from .fields import OneLine
from .models import MONTHS, Agreement, Version
from .roles import KCST_STAFF, editions_for, within
from .setup import PastSignOff, SetUpRefused, set_up_edition

DRAFT, PAST = "draft", "past"


class SetUpForm(forms.Form):
    agreement = forms.ModelChoiceField(
        Agreement.objects.all(), required=False, empty_label="A new agreement (name it below)",
        help_text="Choose an existing agreement to add an edition to it.",
    )
    name = forms.CharField(
        label="Name of the new agreement", required=False, max_length=200, validators=[OneLine("name")],
        help_text="For example, Kent Community Safety Agreement 2011-14.",
    )
    area = forms.CharField(label="County or area it covers", required=False, max_length=100,
                           validators=[OneLine("county or area")])
    slug = forms.SlugField(
        label="Short name for addresses", required=False, max_length=40,
        help_text="Letters, numbers and hyphens, e.g. kent-2011. Leave blank to make one from the name.",
    )
    kind = forms.ChoiceField(
        label="What are you setting up?", widget=forms.RadioSelect, initial=DRAFT,
        choices=[(DRAFT, "A draft edition, to write and take through sign-off"),
                 (PAST, "A record of a past edition, already published")],
    )
    number = forms.RegexField(
        label="Version number", regex=r"^\d+\.\d+$", initial="1.0",
        error_messages={"invalid": "Write the version number like 1.0."},
    )
    effective_month = forms.TypedChoiceField(label="Effective month", choices=MONTHS, coerce=int, initial=4)
    effective_year = forms.IntegerField(label="Effective year", min_value=1990, max_value=2100)
    structure_from = forms.ModelChoiceField(
        Version.objects.all(), required=False, label="Chapters to start with",
        empty_label="None: start with no chapters",
        help_text="The new edition gets this edition's chapters and appendices (titles, labels and "
                  "generated tables), without their text.",
    )
    working_group_on = forms.DateField(
        label="Sent to the Working Group on", required=False, widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Past editions only; leave blank if not known.",
    )
    consulted_on = forms.DateField(
        label="Sent to the KCSP for consultation on", required=False,
        widget=forms.DateInput(attrs={"type": "date"}), help_text="Past editions only; leave blank if not known.",
    )
    agreed_on = forms.DateField(
        label="Date the KCSP agreed it", required=False, widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Past editions only: the date of the meeting.",
    )
    minute = forms.CharField(
        label="Minute reference or resolution", required=False, max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}), help_text="Past editions only.",
    )
    published_on = forms.DateField(
        label="Date it was published", required=False, widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Required for a past edition.",
    )
    sources = forms.CharField(
        label="Where the record comes from", required=False, max_length=300, validators=[OneLine("source")],
        help_text="Past editions only, e.g. the document's file name.",
    )

    # The screen's sections, in order.
    sections = (
        ("Agreement", ("agreement", "name", "area", "slug", *Agreement.PERIOD_FIELDS)),
        ("Edition", ("kind", "number", "effective_month", "effective_year", "structure_from")),
        ("Sign-off of a past edition",
         ("working_group_on", "consulted_on", "agreed_on", "minute", "published_on", "sources")),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # Editions are added to the agreements this person runs; chapters may come from any edition
        # they may read (published ones of every agreement, drafts of their own).
        self.fields["agreement"].queryset = within(Agreement.objects, user, KCST_STAFF)
        self.fields["structure_from"].queryset = editions_for(user)
        # A new agreement's period, as the agreement's own page asks for it (and checks it: clean).
        self.fields.update(forms.fields_for_model(Agreement, fields=Agreement.PERIOD_FIELDS))

    def fieldsets(self):
        return [(heading, [self[name] for name in names]) for heading, names in self.sections]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("agreement") is None:
            for name in ("name", "area"):
                if not cleaned.get(name):
                    self.add_error(name, f"Enter the {self.fields[name].label.lower()}, or choose an agreement.")
            slug = cleaned.get("slug") or slugify(cleaned.get("name", ""))[:40]
            if cleaned.get("name") and not slug:
                self.add_error("slug", "Write a short name: the name has no letters or numbers to make one from.")
            elif Agreement.objects.filter(slug=slug).exists():
                self.add_error("slug", f"The short name {slug!r} is taken: choose another.")
            cleaned["slug"] = slug
            try:
                Agreement(**self._period()).clean()
            except ValidationError as refusal:
                self.add_error(None, refusal)
        elif any(value is not None for value in self._period().values()):
            self.add_error(Agreement.PERIOD_FIELDS[0], "Only a new agreement's period is given here: "
                                                       "change an existing agreement's on its own page.")
        if cleaned.get("kind") == PAST:
            published_on = cleaned.get("published_on")
            if published_on is None:
                self.add_error("published_on", "Enter the date the past edition was published.")
            steps = [cleaned.get(n) for n in ("working_group_on", "consulted_on", "agreed_on", "published_on")]
            given = [on for on in steps if on is not None]
            if given != sorted(given):
                self.add_error(None, "The sign-off dates must follow the route: Working Group, KCSP "
                                     "consultation, KCSP agreement, publication.")
        return cleaned

    def _period(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in Agreement.PERIOD_FIELDS}

    def agreement_to_use(self) -> Agreement:
        data = self.cleaned_data
        return data["agreement"] or Agreement(name=data["name"], area=data["area"], slug=data["slug"],
                                              **self._period())

    def past_sign_off(self) -> PastSignOff | None:
        data = self.cleaned_data
        if data["kind"] != PAST:
            return None
        return PastSignOff(
            published_on=data["published_on"], working_group_on=data["working_group_on"],
            consulted_on=data["consulted_on"], agreed_on=data["agreed_on"], minute=data["minute"],
            sources=data["sources"],
        )


def set_up_view(model_admin, request):
    """Serves Agreement's and Version's add pages: both set up an edition, and an agreement only with one."""
    if not model_admin.has_add_permission(request):
        raise PermissionDenied("Only KCST staff may set up an agreement or an edition.")
    form = SetUpForm(request.POST if request.method == "POST" else None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            version = set_up_edition(
                form.agreement_to_use(), number=data["number"], effective_month=data["effective_month"],
                effective_year=data["effective_year"], structure_from=data["structure_from"],
                past=form.past_sign_off(), by=request.user,
            )
        except SetUpRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            model_admin.message_user(request, f"Set up {version}: {version.get_status_display()}, "
                                              f"{version.chapters.count()} chapters.")
            return redirect(reverse("admin:agreements_version_change", args=[version.pk]))
    return TemplateResponse(request, "admin/agreements/set_up.html", {
        **model_admin.admin_site.each_context(request), "opts": Version._meta, "form": form,
        "title": "Set up an agreement or an edition",
    })
