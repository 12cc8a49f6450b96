"""Two-factor sign-in and the password pages in Chromium: a KCST officer sets up an app and signs in with
its code; every new page passes axe, error states included."""

import re
from base64 import b32decode

import pytest
from django.core import mail
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from .conftest import assert_accessible, authenticator_app, code_from_app, make_officer, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def submit_password(page, live_server, user, password="correct-horse-battery"):
    page.goto(f"{live_server.url}/accounts/login/?next=/portal/kcst/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


def test_kcst_sets_up_an_app_at_first_sign_in_then_signs_in_with_its_code(page, live_server, kcst):
    submit_password(page, live_server, kcst)
    assert page.get_by_role("heading", name="Set up two-factor sign-in").is_visible()
    assert page.get_by_role("img", name=re.compile("QR code")).is_visible()
    assert page.get_by_role("navigation", name="Main").count() == 0  # nothing there would open yet
    assert_accessible(page)

    page.get_by_role("button", name="Turn on two-factor sign-in").click()
    assert page.title().startswith("Error:")
    assert page.get_by_role("link", name="Enter the code from your authenticator app").is_visible()
    assert_accessible(page)

    # What a person types into their app: the key shown on the page.
    key = b32decode(page.locator("#secret-key").inner_text().replace(" ", ""))
    page.get_by_label("Code").fill(f"{totp(key):06d}")
    page.get_by_role("button", name="Turn on two-factor sign-in").click()
    assert page.get_by_role("heading", name="Your recovery codes").is_visible()
    assert page.locator(".recovery-codes li").count() == 10
    assert_accessible(page)

    page.get_by_role("link", name="I have kept my recovery codes").click()
    assert page.url == f"{live_server.url}/portal/kcst/"
    page.get_by_role("button", name="Sign out").click()

    submit_password(page, live_server, kcst)
    assert page.get_by_role("heading", name="Enter the code from your authenticator app").is_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Continue").click()
    assert page.get_by_role("heading", name="There is a problem").is_visible()
    assert_accessible(page)
    page.get_by_label("Code").fill(code_from_app(TOTPDevice.objects.get(user=kcst)))
    page.get_by_role("button", name="Continue").click()
    assert page.url == f"{live_server.url}/portal/kcst/"
    assert "Signed in as kcst-officer" in page.content()


def test_the_account_and_password_pages_are_accessible_and_work(page, live_kent, settings):
    live_server, officer_a = live_kent, make_officer("ashford")
    settings.SITE_URL = live_server.url
    submit_password(page, live_server, officer_a)
    page.get_by_role("link", name="Your account").click()
    assert page.get_by_role("heading", name="Your account").is_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Set up two-factor sign-in").click()
    assert page.get_by_role("heading", name="Set up two-factor sign-in").is_visible()
    assert_accessible(page)
    page.go_back()

    page.get_by_role("link", name="Change your password").click()
    assert_accessible(page)
    page.get_by_role("button", name="Change your password").click()
    assert page.get_by_role("heading", name="There is a problem").is_visible()
    assert_accessible(page)
    page.get_by_label("Old password").fill("correct-horse-battery")
    page.get_by_label("New password", exact=True).fill("a-new-and-longer-passphrase")
    page.get_by_label("New password confirmation").fill("a-new-and-longer-passphrase")
    page.get_by_role("button", name="Change your password").click()
    assert page.get_by_role("heading", name="Your password has been changed").is_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Sign out").click()

    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_role("link", name="Forgotten your password?").click()
    assert_accessible(page)
    page.get_by_label("Email").fill(officer_a.email)
    page.get_by_role("button", name="Send the link").click()
    assert page.get_by_role("heading", name="Check your e-mail").is_visible()
    assert_accessible(page)

    page.goto(re.search(r"http\S+/accounts/password/reset/\S+/", mail.outbox[0].body).group(0))
    assert page.get_by_role("heading", name="Choose a new password").is_visible()
    assert_accessible(page)
    page.get_by_label("New password", exact=True).fill("yet-another-long-passphrase")
    page.get_by_label("New password confirmation").fill("yet-another-long-passphrase")
    page.get_by_role("button", name="Save your new password").click()
    assert page.get_by_role("heading", name="Your new password is saved").is_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Sign in").last.click()
    page.get_by_label("Username").fill(officer_a.username)
    page.get_by_label("Password").fill("yet-another-long-passphrase")
    page.get_by_role("button", name="Sign in").click()
    assert "Signed in as officer-ashford" in page.content()


def test_a_superuser_resets_a_lost_phone_in_the_admin(page, live_server, superuser, kcst):
    authenticator_app(kcst)
    sign_in(page, live_server, superuser)
    page.goto(f"{live_server.url}/admin/otp_totp/totpdevice/")
    page.get_by_role("link", name="kcst-officer").click()
    assert TOTPDevice.objects.get(user=kcst).key not in page.content()  # keys are never shown
    page.get_by_role("link", name="Delete").click()
    page.get_by_role("button", name=re.compile("Yes")).click()
    assert not TOTPDevice.objects.filter(user=kcst).exists()
