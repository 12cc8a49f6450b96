"""Who may read which edition: published ones everyone, drafts only KCST, KCSP and Working Group.

The PDF renderer is replaced by a stub here: these tests are about who gets the file, and
tests/test_pdf.py opens the real one.
"""

import pytest
from django.urls import reverse

from documents import views
from agreements.models import Version
from agreements.workflow import record_past_status

READERS = ["kcst", "kcsp_member", "working_group_member", "superuser"]
OUTSIDERS = [None, "officer_a", "officer_b"]


@pytest.fixture(autouse=True)
def quick_pdf(monkeypatch):
    monkeypatch.setattr(views, "render_pdf", lambda version: b"%PDF-1.7 stub " + version.number.encode())


def get(client, request, who, name, number):
    if who:
        client.force_login(request.getfixturevalue(who))
    return client.get(reverse(name, args=["kent", number]))


@pytest.mark.parametrize("name", ["edition", "edition_pdf"])
@pytest.mark.parametrize("who", OUTSIDERS)
def test_a_draft_is_not_found_for_the_public_and_district_officers(client, request, draft, who, name):
    assert get(client, request, who, name, "8.0").status_code == 404


@pytest.mark.parametrize("name", ["edition", "edition_pdf"])
@pytest.mark.parametrize("who", READERS)
def test_kcst_kcsp_and_working_group_read_the_draft(client, request, draft, who, name):
    assert get(client, request, who, name, "8.0").status_code == 200


@pytest.mark.parametrize("status", [s for s in Version.Status if s != Version.Status.PUBLISHED])
def test_every_unpublished_status_stays_hidden_from_the_public(client, draft, status):
    record_past_status(draft, status, "The state for the test, not a sign-off (see tests/test_workflow.py).")
    assert client.get(reverse("edition", args=["kent", "8.0"])).status_code == 404


@pytest.mark.parametrize("name", ["edition", "edition_pdf"])
@pytest.mark.parametrize("who", [*OUTSIDERS, *READERS])
def test_a_published_edition_is_open_to_everyone(client, request, kent, who, name):
    assert get(client, request, who, name, "1.0").status_code == 200


def test_the_pdf_downloads_with_the_editions_name(client, kcsp_member, draft):
    client.force_login(kcsp_member)
    response = client.get(reverse("edition_pdf", args=["kent", "8.0"]))
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="kent-csa-8.0-draft.pdf"'
    assert response.content == b"%PDF-1.7 stub 8.0"


def test_an_edition_that_does_not_exist_is_not_found(client, kcst, kent):
    client.force_login(kcst)
    assert client.get("/kent/9.0/").status_code == 404
    assert client.get("/nowhere/1.0/").status_code == 404
    assert client.get("/kent/8/").status_code == 404
