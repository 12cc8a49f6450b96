"""Log-in lock-out, the security log, the CSP header, and the audit trail."""

import logging

from django.contrib import admin
from django.urls import reverse

from agreements.models import Paragraph

LOGIN = "/accounts/login/"


def attempt(client, username, password, address="10.0.0.1"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


def test_repeated_failures_lock_that_name_from_that_address_only(client, kcsp_member, working_group_member, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, kcsp_member.username, "wrong")
    locked = attempt(client, kcsp_member.username, "correct-horse-battery")
    assert locked.status_code == 429
    assert "Too many attempts to sign in" in locked.content.decode()

    # The same person from another address, and another person from the same address, still get in.
    elsewhere = attempt(client, kcsp_member.username, "correct-horse-battery", address="10.0.0.2")
    assert elsewhere.status_code == 302
    client.logout()
    neighbour = attempt(client, working_group_member.username, "correct-horse-battery")
    assert neighbour.status_code == 302


def test_log_ins_failures_and_refusals_are_logged(client, kcsp_member, officer_a, caplog):
    with caplog.at_level(logging.INFO, logger="csa.security"):
        attempt(client, kcsp_member.username, "wrong")
        attempt(client, kcsp_member.username, "correct-horse-battery")
        client.logout()
        client.get("/admin/agreements/version/")
        client.force_login(officer_a)
        client.get(reverse("edition", args=["kent", "8.0"]))
    messages = [r.getMessage() for r in caplog.records]
    assert "Failed log-in: kcsp-member from 10.0.0.1" in messages
    assert "Log-in: kcsp-member from 10.0.0.1" in messages
    assert any(m.startswith("Refused access: GET /admin/agreements/version/ for anonymous") for m in messages)
    assert "Refused access: GET /kent/8.0/ for officer-ashford (404)" in messages


def test_pages_carry_a_content_security_policy(client, db):
    # Compared whole (django-csp orders the directives as it likes): one added source, such as
    # 'unsafe-inline' or a CDN, would let injected markup act.
    header = client.get("/")["Content-Security-Policy"]
    directives = dict(directive.split(" ", 1) for directive in header.split("; "))
    assert directives == {
        "default-src": "'self'", "script-src": "'self'", "style-src": "'self'", "img-src": "'self' data:",
        "object-src": "'none'", "base-uri": "'self'", "form-action": "'self'", "frame-ancestors": "'none'",
    }


def test_sessions_expire_after_an_hour_of_inactivity_and_are_renewed_by_use(client, kcsp_member, monkeypatch):
    import time

    client.force_login(kcsp_member)
    assert client.get("/").cookies["sessionid"]["max-age"] == 3600
    again = client.get("/")
    assert "sessionid" not in again.cookies  # used a moment ago: no write
    later = time.time() + 301
    monkeypatch.setattr(time, "time", lambda: later)
    renewed = client.get("/")
    assert renewed.cookies["sessionid"]["max-age"] == 3600  # a new hour from now


def test_passwords_are_checked_by_djangos_validators():
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    for weak in ("password", "12345678", "short"):
        try:
            validate_password(weak)
        except ValidationError:
            continue
        raise AssertionError(f"{weak!r} was accepted")


def test_history_records_are_not_editable_in_the_admin():
    historical = [m for m in admin.site._registry if hasattr(m, "instance_type")]
    assert historical == []


def test_kcst_lists_recent_changes_filtered_by_person_and_kind(client, kcst, draft, officer_a):
    paragraph = Paragraph.objects.filter(chapter__version=draft).first()
    client.force_login(kcst)
    client.post(reverse("admin:agreements_paragraph_change", args=[paragraph.pk]), {
        "order": paragraph.order, "style": paragraph.style, "key": paragraph.key,
        "html": "Audited change", "edit_revision": paragraph.revision,
    })
    page = client.get(reverse("recent_changes"), {"person": kcst.pk, "kind": "agreements.paragraph"})
    body = page.content.decode()
    assert page.status_code == 200
    assert "Audited change" in body and "kcst-officer" in body and "Changed" in body
    other = client.get(reverse("recent_changes"), {"person": officer_a.pk}).content.decode()
    assert "Audited change" not in other
    bad = client.get(reverse("recent_changes"), {"since": "not a date"})
    assert "Enter a valid date" in bad.content.decode()


def test_only_kcst_sees_recent_changes(client, kcsp_member, officer_a):
    assert client.get(reverse("recent_changes")).status_code == 302
    for user in (kcsp_member, officer_a):
        client.force_login(user)
        assert client.get(reverse("recent_changes")).status_code == 404


def test_portal_changes_are_recorded_with_the_acting_officer(client, officer_a, ashford_return):
    from .test_portal import add, category

    client.force_login(officer_a)
    add(client, ashford_return, category=category(ashford_return, "crime").pk, kind="main")
    item = ashford_return.items.get()
    assert item.history.first().history_user == officer_a
    ashford_return.refresh_from_db()
    assert ashford_return.history.first().history_user == officer_a
