from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404
from django.shortcuts import render

from agreements.roles import KCST_STAFF, agreements_of, is_kcst

from .changes import kind_choices, recent_changes


class ChangesFilter(forms.Form):
    person = forms.ModelChoiceField(queryset=get_user_model().objects.order_by("username"), required=False,
                                    empty_label="Anyone")
    kind = forms.ChoiceField(label="Kind of record", required=False)
    since = forms.DateField(label="From", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label="To", required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, reader, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", "Any kind"), *kind_choices()]
        readable = agreements_of(reader, KCST_STAFF)
        if readable is not None:
            # The people of the reader's own agreements: their roles' holders and their CSPs' officers.
            self.fields["person"].queryset = self.fields["person"].queryset.filter(
                Q(memberships__agreement__in=readable) | Q(partnership_officer__partnership__agreement__in=readable)
            ).distinct()


@login_required
def recent(request):
    if not is_kcst(request.user):
        raise Http404
    form = ChangesFilter(request.GET or None, reader=request.user)
    changes = []
    if not form.is_bound or form.is_valid():
        data = form.cleaned_data if form.is_bound else {}
        person = data.get("person")
        changes = recent_changes(
            request.user, user_id=person.pk if person else None, kind=data.get("kind", ""),
            since=data.get("since"), until=data.get("until"),
        )
    return render(request, "audit/recent.html", {"form": form, "changes": changes})
