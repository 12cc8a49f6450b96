"""Two-factor sign-in and the password pages in Chromium: a KCST officer sets up an app and signs in with
its code; every new page passes axe, error states included."""

import re
from base64 import b32decode

import pytest
from django.core import mail
from playwright.sync_api import expect
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
    expect(page.get_by_role("heading", name="Set up two-factor sign-in")).to_be_visible()
    expect(page.get_by_role("img", name=re.compile("QR code"))).to_be_visible()
    expect(page.get_by_role("navigation", name="Main")).to_have_count(0)  # nothing there would open yet
    assert_accessible(page)

    page.get_by_role("button", name="Turn on two-factor sign-in").click()
    expect(page).to_have_title(re.compile("^Error: "))
    expect(page.get_by_role("link", name="Enter the code from your authenticator app")).to_be_visible()
    assert_accessible(page)

    # What a person types into their app: the key shown on the page.
    key = b32decode(page.locator("#secret-key").inner_text().replace(" ", ""))
    page.get_by_label("Code").fill(f"{totp(key):06d}")
    page.get_by_role("button", name="Turn on two-factor sign-in").click()
    expect(page.get_by_role("heading", name="Your recovery codes")).to_be_visible()
    expect(page.locator(".recovery-codes li")).to_have_count(10)
    assert_accessible(page)

    page.get_by_role("link", name="I have kept my recovery codes").click()
    expect(page).to_have_url(f"{live_server.url}/portal/kcst/")
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("link", name="Sign in")).to_be_visible()

    submit_password(page, live_server, kcst)
    expect(page.get_by_role("heading", name="Enter the code from your authenticator app")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Code").fill(code_from_app(TOTPDevice.objects.get(user=kcst)))
    page.get_by_role("button", name="Continue").click()
    expect(page).to_have_url(f"{live_server.url}/portal/kcst/")
    expect(page.get_by_text("Signed in as kcst-officer")).to_be_visible()


def test_the_account_and_password_pages_are_accessible_and_work(page, live_kent, settings):
    live_server, officer_a = live_kent, make_officer("ashford")
    settings.SITE_URL = live_server.url
    submit_password(page, live_server, officer_a)
    page.get_by_role("link", name="Your account").click()
    expect(page.get_by_role("heading", name="Your account")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Set up two-factor sign-in").click()
    expect(page.get_by_role("heading", name="Set up two-factor sign-in")).to_be_visible()
    assert_accessible(page)
    page.go_back()

    page.get_by_role("link", name="Change your password").click()
    expect(page.get_by_role("heading", name="Change your password")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Change your password").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Old password").fill("correct-horse-battery")
    page.get_by_label("New password", exact=True).fill("a-new-and-longer-passphrase")
    page.get_by_label("New password confirmation").fill("a-new-and-longer-passphrase")
    page.get_by_role("button", name="Change your password").click()
    expect(page.get_by_role("heading", name="Your password has been changed")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("link", name="Sign in")).to_be_visible()

    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_role("link", name="Forgotten your password?").click()
    expect(page.get_by_role("heading", name="Reset your password")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Email").fill(officer_a.email)
    page.get_by_role("button", name="Send the link").click()
    expect(page.get_by_role("heading", name="Check your e-mail")).to_be_visible()
    assert_accessible(page)

    page.goto(re.search(r"http\S+/accounts/password/reset/\S+/", mail.outbox[0].body).group(0))
    expect(page.get_by_role("heading", name="Choose a new password")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("New password", exact=True).fill("yet-another-long-passphrase")
    page.get_by_label("New password confirmation").fill("yet-another-long-passphrase")
    page.get_by_role("button", name="Save your new password").click()
    expect(page.get_by_role("heading", name="Your new password is saved")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Sign in").last.click()
    page.get_by_label("Username").fill(officer_a.username)
    page.get_by_label("Password").fill("yet-another-long-passphrase")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_text("Signed in as officer-ashford")).to_be_visible()


def test_a_superuser_resets_a_lost_phone_in_the_admin(page, live_server, superuser, kcst):
    authenticator_app(kcst)
    sign_in(page, live_server, superuser)
    page.goto(f"{live_server.url}/admin/otp_totp/totpdevice/")
    page.get_by_role("link", name="kcst-officer").click()
    expect(page.get_by_role("heading", name="Change TOTP device")).to_be_visible()
    assert TOTPDevice.objects.get(user=kcst).key not in page.content()  # keys are never shown
    page.get_by_role("link", name="Delete").click()
    page.get_by_role("button", name=re.compile("Yes")).click()
    expect(page.get_by_text("was deleted successfully")).to_be_visible()
    assert not TOTPDevice.objects.filter(user=kcst).exists()
