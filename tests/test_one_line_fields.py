"""Names and other one-line fields refuse line breaks and control characters; e-mail subjects stay on one line."""

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.urls import reverse

from agreements.models import Agreement, ChangeNote
from agreements.workflow import transition
from assessments.exports import COLUMNS

from .test_portal import add, snapshot
from .test_review import comment, url

BROKEN = ["Kent\nCommunity Safety Agreement", "Kent\r\nCSA", "Kent\tCSA", "Kent\x00CSA", "Kent\x1bCSA",
          "Kent\u2028CSA"]


def one_line_fields():
    for app in ("agreements", "assessments", "review"):
        for model in apps.get_app_config(app).get_models():
            if hasattr(model, "instance_type"):  # a history table copies its model's fields
                continue
            for field in model._meta.get_fields():
                # Slugs and addresses have rules of their own that allow no control character.
                if type(field) is not models.SlugField and not isinstance(field, models.EmailField) \
                        and isinstance(field, models.CharField) and not field.choices:
                    yield field


@pytest.mark.parametrize("value", BROKEN)
def test_every_one_line_field_refuses_control_characters(value):
    fields = list(one_line_fields())
    assert len(fields) > 30
    accepted = []
    for field in fields:
        try:
            field.clean(value, None)
        except ValidationError as refusal:
            if "one_line" in [error.code for error in refusal.error_list]:
                continue
        accepted.append(f"{field.model._meta.label}.{field.name}")
    assert accepted == []


def test_the_admin_refuses_a_line_break_in_an_agreements_name_and_changes_nothing(client, superuser, kent):
    client.force_login(superuser)
    response = client.post(reverse("admin:agreements_agreement_change", args=[kent.pk]), {
        "slug": kent.slug, "name": "Kent\nCommunity Safety Agreement", "area": kent.area,
        "contact_html": kent.contact_html,
    })
    assert response.status_code == 200
    assert "Write the name on one line" in response.content.decode()
    assert Agreement.objects.get(pk=kent.pk).name == kent.name


def test_the_portal_refuses_a_line_break_in_an_issue_and_changes_nothing(client, officer_a, ashford_return):
    client.force_login(officer_a)
    before = snapshot(ashford_return)
    response = add(client, ashford_return, own_wording="Knife crime\nin the town", kind="main")
    assert response.status_code == 200
    assert "Write the own wording on one line" in response.content.decode()
    assert snapshot(ashford_return) == before


@pytest.fixture
def name_with_a_line_break(kent):
    # As a name saved before the rule was made would be.
    Agreement.objects.filter(pk=kent.pk).update(name="Kent\nCommunity Safety Agreement")


def test_a_comment_on_an_agreement_whose_name_holds_a_line_break_is_emailed(
        client, in_review, kcsp_member, kcst, mailoutbox, name_with_a_line_break):
    client.force_login(kcsp_member)
    response = comment(client, in_review, "priority:neighbourhood-crime-asb", "Why drop 'Preventing'?")
    assert response.status_code == 302
    assert mailoutbox[-1].subject == "New comment on Kent Community Safety Agreement 9.0"


def test_a_move_of_an_agreement_whose_name_holds_a_line_break_is_emailed(
        draft, kcst, working_group_member, mailoutbox, django_capture_on_commit_callbacks, name_with_a_line_break):
    with django_capture_on_commit_callbacks(execute=True):
        transition(draft, "send_to_working_group", kcst)
    assert mailoutbox[-1].subject == "Kent Community Safety Agreement 8.0: Working Group review"


def test_a_change_note_with_a_line_break_is_refused(client, in_review, kcst):
    transition(in_review, "return_to_draft", kcst, note="Add the change notes")
    client.force_login(kcst)
    before = list(ChangeNote.objects.values_list("pk", "text"))
    response = client.post(url(in_review, "accept_proposal"), {"section": "Ch.7", "text": "Ch.7 - the lead\nchanged"},
                           follow=True)
    assert "Write the change note on one line" in response.content.decode()
    assert list(ChangeNote.objects.values_list("pk", "text")) == before


def test_an_import_refuses_a_line_break_in_an_issue_naming_the_row(client, kcst, ashford_return):
    client.force_login(kcst)
    before = snapshot(ashford_return)
    data = ",".join(COLUMNS) + '\nashford,,,"Knife crime\nin the town",main,,agreed,accepted\n'
    response = client.post(reverse("portal:import", args=[ashford_return.cycle_id]),
                           {"file": SimpleUploadedFile("returns.csv", data.encode())})
    assert "Row 2: write the own wording on one line" in response.content.decode()
    assert snapshot(ashford_return) == before
