"""Only public content may be kept by a browser or a proxy; every other page and file says private, no-store."""

import pytest
from django.urls import reverse

from agreements.workflow import transition

from .test_workflow import AGREED, clear_publish_blockers, fake_pdf, media  # noqa: F401  (fixtures)

PRIVATE = "private, no-store"


def cache_control(response) -> str:
    return response.get("Cache-Control", "")


def assert_private(response):
    directives = {d.strip() for d in cache_control(response).split(",")}
    assert {"private", "no-store"} <= directives and "public" not in directives, cache_control(response)


def assert_public(response):
    assert response.status_code == 200
    assert "no-store" not in cache_control(response) and "private" not in cache_control(response)


@pytest.mark.parametrize("address", ["/", "/kent/1.0/"])
def test_the_public_list_and_a_published_edition_stay_cacheable(client, db, address):
    assert_public(client.get(address))
    assert_public(client.get(address))  # and as kept, for the next visitor


def test_a_published_edition_s_stored_pdf_stays_cacheable(client, draft, kcst, fake_pdf):
    clear_publish_blockers(draft)
    for name in ("send_to_working_group", "consult_kcsp", "record_agreement"):
        transition(draft, name, kcst, **(AGREED if name == "record_agreement" else {}))
    transition(draft, "publish", kcst, publish_with_provisional=True)
    response = client.get(reverse("edition_pdf", args=["kent", "8.0"]))
    assert_public(response)
    assert cache_control(response) == "public, max-age=31536000, immutable"
    # The same file, with the reader's session renewed on the way out, is theirs alone.
    client.force_login(kcst)
    response = client.get(reverse("edition_pdf", args=["kent", "8.0"]))
    assert "sessionid" in response.cookies
    assert_private(response)


def test_pages_for_kcst_are_private(client, kcst, draft, cycle_2024, ashford_return):
    client.force_login(kcst)
    for address in [
        "/", "/kent/8.0/", "/kent/1.0/", reverse("review", args=["kent", "8.0"]), reverse("portal:kcst"),
        reverse("portal:cycle", args=[cycle_2024.pk]), reverse("portal:export-csv", args=[cycle_2024.pk]),
        reverse("portal:export-xlsx", args=[cycle_2024.pk]), reverse("portal:review", args=[ashford_return.pk]),
        reverse("recent_changes"), "/admin/", reverse("admin:agreements_version_change", args=[draft.pk]),
    ]:
        response = client.get(address)
        assert response.status_code == 200, address
        assert_private(response)


def test_an_officer_s_return_is_private(client, officer_a, ashford_return):
    client.force_login(officer_a)
    for address in [reverse("portal:home"), reverse("portal:return", args=[ashford_return.pk])]:
        assert_private(client.get(address))


def test_pages_that_set_a_cookie_or_refuse_are_private(client, db):
    assert_private(client.get("/accounts/login/"))  # sets the CSRF cookie
    assert_private(client.get("/kent/8.0/"))  # a draft: 404 for the public
    assert_private(client.get("/kent/8.0/pdf/"))
