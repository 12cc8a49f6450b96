"""The admin shows KCST staff their own agreements' records only; a superuser sees every agreement's."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

from agreements import roles
from agreements.admin_scoping import OwnAgreementsOnly
from agreements.models import Agreement, Chapter, Version
from assessments.models import AssessmentReturn, District, Partnership

from .conftest import make_user
from .test_set_up_agreement import form as set_up_form

# What a KCST officer lists in the admin, and how each record leads to its agreement.
LISTS = [
    (Version, "agreement"),
    (Chapter, "version__agreement"),
    (AssessmentReturn, "cycle__agreement"),
    (Partnership, "agreement"),
]


@pytest.fixture
def kcst_other(other_agreement):
    return make_user("kcst-other", roles.KCST_STAFF, other_agreement, is_staff=True)


def listed(client, model) -> set[int]:
    """The ids of every record the changelist counts, on whichever page it would show them."""
    response = client.get(reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist"))
    assert response.status_code == 200
    return set(response.context["cl"].queryset.values_list("pk", flat=True))


def ids(model, path: str, agreement) -> set[int]:
    return set(model.objects.filter(**{path: agreement}).values_list("pk", flat=True))


def test_kcst_of_another_agreement_lists_only_its_own_records(client, kent, other_agreement, kcst_other):
    client.force_login(kcst_other)
    for model, path in LISTS:
        own = ids(model, path, other_agreement)
        assert own, model
        assert listed(client, model) == own, model._meta.verbose_name


def test_kcst_of_another_agreement_gets_404_on_kents_change_pages_and_403_on_their_history(
        client, kent, draft, kcst_other):
    client.force_login(kcst_other)
    for model, path in LISTS:
        record = model.objects.filter(**{path: kent}).order_by("pk").first()
        name = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        assert client.get(reverse(f"{name}_change", args=[record.pk])).status_code == 404, name
        assert client.get(reverse(f"{name}_delete", args=[record.pk])).status_code == 404, name
        assert client.get(reverse(f"{name}_history", args=[record.pk])).status_code == 403, name
    response = client.post(reverse("admin:agreements_version_transition", args=[draft.pk, "send_to_working_group"]))
    assert response.status_code == 404
    draft.refresh_from_db()
    assert draft.is_draft


def test_choices_and_filters_offer_only_the_users_agreements(client, kent, other_agreement, kcst_other):
    client.force_login(kcst_other)
    page = client.get(reverse("admin:assessments_assessmentcycle_add"))
    assert list(page.context["adminform"].form.fields["agreement"].queryset) == [other_agreement]
    partnership = other_agreement.partnerships.get(slug="ashford")
    page = client.get(reverse("admin:assessments_partnership_change", args=[partnership.pk]))
    districts = page.context["adminform"].form.fields["districts"].queryset
    assert set(districts) == set(other_agreement.districts.all())
    versions = client.get(reverse("admin:agreements_version_changelist")).content.decode()
    assert str(other_agreement) in versions and str(kent) not in versions


def test_a_superuser_sees_every_agreements_records(client, kent, other_agreement, superuser):
    client.force_login(superuser)
    for model, path in LISTS:
        assert listed(client, model) == ids(model, path, kent) | ids(model, path, other_agreement)


def test_whoever_sets_up_an_agreement_runs_it(client, kcst):
    client.force_login(kcst)
    response = client.post(reverse("admin:agreements_agreement_add"), set_up_form(
        name="Medway Community Safety Agreement", area="Medway", slug="medway"))
    assert response.status_code == 302
    medway = Agreement.objects.get(slug="medway")
    assert roles.is_kcst(type(kcst).objects.get(pk=kcst.pk), medway)
    assert medway.pk in listed(client, Agreement)
    assert client.get(response["Location"]).status_code == 200


def test_the_set_up_screen_adds_to_the_users_agreements_from_editions_they_may_read(
        client, kent, draft, other_agreement, kcst_other):
    client.force_login(kcst_other)
    fields = client.get(reverse("admin:agreements_agreement_add")).context["form"].fields
    assert list(fields["agreement"].queryset) == [other_agreement]
    sources = set(fields["structure_from"].queryset)
    assert draft not in sources and kent.versions.get(number="7.0") in sources
    assert other_agreement.versions.get(number="8.0") in sources
    response = client.post(reverse("admin:agreements_agreement_add"), set_up_form(
        agreement=kent.pk, number="9.0", effective_year="2025"))
    assert "Select a valid choice" in response.content.decode()
    assert not kent.versions.filter(number="9.0").exists()


def test_every_admin_of_an_agreements_records_is_scoped():
    unscoped = [
        model._meta.label for model, model_admin in admin.site._registry.items()
        if hasattr(model, "agreement_path") and not isinstance(model_admin, OwnAgreementsOnly)
    ]
    assert unscoped == []


def test_every_model_of_our_apps_names_the_path_to_its_agreement():
    missing = [
        model._meta.label for app in ("agreements", "assessments", "review")
        for model in apps.get_app_config(app).get_models()
        if not model.__name__.startswith("Historical") and not hasattr(model, "agreement_path")
    ]
    assert missing == []


def test_two_agreements_with_the_same_name_are_told_apart_where_they_are_listed(client, kent, other_agreement):
    assert kent.name == other_agreement.name
    assert str(kent) != str(other_agreement)
    public = client.get(reverse("home")).content.decode()
    assert f"<h2>{kent}</h2>" in public and f"<h2>{other_agreement}</h2>" in public
    assert District.objects.filter(slug="ashford").count() == 2


def test_a_cycle_feeds_only_a_version_of_its_own_agreement(client, kent, other_agreement, superuser):
    client.force_login(superuser)
    cycle = kent.cycles.get(label="2023-24")
    response = client.post(reverse("admin:assessments_assessmentcycle_change", args=[cycle.pk]), {
        "agreement": kent.pk, "label": cycle.label, "version": other_agreement.versions.get(number="8.0").pk,
        "opens_on": cycle.opens_on, "due_on": cycle.due_on, "categories-TOTAL_FORMS": 0,
        "categories-INITIAL_FORMS": 0,
    })
    assert "Choose a version of this cycle&#x27;s own agreement" in response.content.decode()
    cycle.refresh_from_db()
    assert cycle.version.agreement == kent


def test_recent_changes_offer_only_the_readers_own_people(client, kcst, officer_a, other_agreement):
    stranger = make_user("kcst-other", roles.KCST_STAFF, other_agreement, is_staff=True)
    client.force_login(kcst)
    people = client.get(reverse("recent_changes")).context["form"].fields["person"].queryset
    assert kcst in people and officer_a in people and stranger not in people
