"""Two-factor sign-in: who is asked, setting up an app, codes and recovery codes, and the security log.

These tests sign in through the log-in page (the password alone), so the session owes its second
factor; client.force_login would give it (conftest.py).
"""

import logging
import re
from base64 import b32decode

import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.two_factor import new_recovery_codes

from .conftest import authenticator_app, code_from_app
from .test_access_matrix import named_urls, url_for, world  # noqa: F401  (world is a fixture)

LOGIN = "/accounts/login/"
TWO_FACTOR = "/accounts/two-factor/"
SET_UP = "/accounts/two-factor/set-up/"


def sign_in_with_password(client, user: User, next_url: str = "") -> object:
    return client.post(LOGIN, {"username": user.username, "password": "correct-horse-battery", "next": next_url})


def give_code(client, code: str, next_url: str = "/portal/kcst/") -> object:
    return client.post(TWO_FACTOR, {"code": code, "next": next_url})


def a_wrong_code(device: TOTPDevice) -> str:
    """A code that none of the steps the device accepts (now, one before, one after) would show."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    accepted = {totp.token()}
    totp.time -= device.step
    accepted.add(totp.token())
    totp.time += 2 * device.step
    accepted.add(totp.token())
    return next(f"{n:06d}" for n in range(1_000_000) if n not in accepted)


def shown_key(page: str) -> str:
    return re.search(r'id="secret-key">([A-Z2-7 ]+)<', page).group(1).replace(" ", "")


def security_log(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "csa.security"]


@pytest.mark.parametrize("with_app", [True, False], ids=["app set up", "first sign-in"])
@pytest.mark.parametrize("who", ["kcst", "superuser"])
def test_after_the_password_alone_kcst_and_superusers_reach_no_page_but_the_code_page(client, world, who, with_app):
    user = world["users"][who]
    if with_app:
        authenticator_app(user)
    sign_in_with_password(client, user)
    open_to_them = {reverse("two_factor"), reverse("two_factor_setup"), reverse("logout")}
    reached = []
    for name, pattern in named_urls():
        if name is None:
            continue
        url, data = url_for(name, pattern, world)
        if url in open_to_them:
            continue
        response = client.post(url, data) if name in ("logout", "admin:logout") else client.get(url)
        if not (response.status_code == 302 and response["Location"].startswith(f"{TWO_FACTOR}?next=")):
            reached.append(f"{url}: {response.status_code}")
    assert reached == []


def test_the_admin_and_kcst_pages_open_once_the_code_is_given(client, kcst):
    device = authenticator_app(kcst)
    response = sign_in_with_password(client, kcst, next_url="/admin/")
    assert response["Location"] == "/admin/"
    assert client.get("/admin/")["Location"] == f"{TWO_FACTOR}?next=%2Fadmin%2F"
    half_signed_in = client.cookies["sessionid"].value

    response = give_code(client, code_from_app(device), next_url="/admin/")
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert client.cookies["sessionid"].value != half_signed_in, "a new session key once fully signed in"
    assert client.get("/admin/").status_code == 200
    assert client.get("/portal/kcst/").status_code == 200


def test_other_roles_are_not_asked_for_a_code(client, officer_a, kcsp_member):
    for user in (officer_a, kcsp_member):
        response = sign_in_with_password(client, user)
        assert response["Location"] == reverse("portal:landing")
        assert client.get("/portal/").status_code == 200
        assert not TOTPDevice.objects.filter(user=user).exists()
        client.post(reverse("logout"))


def test_with_the_requirement_off_kcst_signs_in_with_the_password_alone(client, kcst, settings):
    settings.TWO_FACTOR_REQUIRED = False
    sign_in_with_password(client, kcst)
    assert client.get("/portal/kcst/").status_code == 200


def test_kcst_without_an_app_sets_one_up_on_first_sign_in(client, kcst, caplog):
    sign_in_with_password(client, kcst)
    assert client.get(TWO_FACTOR + "?next=/portal/kcst/")["Location"] == f"{SET_UP}?next=%2Fportal%2Fkcst%2F"
    page = client.get(SET_UP).content.decode()
    device = TOTPDevice.objects.get(user=kcst, confirmed=False)
    assert b32decode(shown_key(page)) == device.bin_key
    assert 'src="data:image/svg+xml' in page
    assert shown_key(client.get(SET_UP).content.decode()) == shown_key(page), "the key stays until it is confirmed"

    with caplog.at_level(logging.INFO, logger="csa.security"):
        response = client.post(SET_UP, {"code": code_from_app(device), "next": "/portal/kcst/"})
    assert response["Location"] == f"{reverse('recovery_codes')}?next=%2Fportal%2Fkcst%2F"
    assert "Two-factor app set up: kcst-officer from 127.0.0.1" in security_log(caplog)
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/portal/kcst/").status_code == 200


def test_recovery_codes_are_shown_once_right_after_set_up(client, kcst):
    sign_in_with_password(client, kcst)
    client.get(SET_UP)
    client.post(SET_UP, {"code": code_from_app(TOTPDevice.objects.get(user=kcst)), "next": "/portal/kcst/"})
    page = client.get(reverse("recovery_codes") + "?next=/portal/kcst/").content.decode()
    codes = list(StaticDevice.objects.get(user=kcst).token_set.values_list("token", flat=True))
    assert len(codes) == 10 and all(code in page for code in codes)
    assert 'href="/portal/kcst/"' in page
    again = client.get(reverse("recovery_codes"))
    assert again["Location"] == reverse("account")


def test_a_wrong_code_is_refused_with_a_clear_error_and_logged(client, kcst, caplog):
    device = authenticator_app(kcst)
    sign_in_with_password(client, kcst)
    with caplog.at_level(logging.INFO, logger="csa.security"):
        response = give_code(client, a_wrong_code(device))
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page and "The code is not right" in page
    assert "Failed two-factor code: kcst-officer from 127.0.0.1" in security_log(caplog)
    assert client.get("/portal/kcst/")["Location"].startswith(TWO_FACTOR)


def test_a_right_code_straight_after_a_wrong_one_must_wait(client, kcst):
    device = authenticator_app(kcst)
    sign_in_with_password(client, kcst)
    give_code(client, a_wrong_code(device))
    response = give_code(client, code_from_app(device))
    assert "wait 1 second and try again" in response.content.decode()
    assert client.get("/portal/kcst/")["Location"].startswith(TWO_FACTOR)


def test_a_wrong_code_while_setting_up_is_refused_and_logged(client, kcst, caplog):
    sign_in_with_password(client, kcst)
    client.get(SET_UP)
    device = TOTPDevice.objects.get(user=kcst)
    with caplog.at_level(logging.INFO, logger="csa.security"):
        response = client.post(SET_UP, {"code": a_wrong_code(device)})
    assert "The code is not right" in response.content.decode()
    assert "Failed two-factor code: kcst-officer from 127.0.0.1" in security_log(caplog)
    device.refresh_from_db()
    assert not device.confirmed


def test_a_recovery_code_works_once_only(client, kcst, caplog):
    authenticator_app(kcst)
    code = new_recovery_codes(kcst)[0]
    sign_in_with_password(client, kcst)
    with caplog.at_level(logging.INFO, logger="csa.security"):
        response = give_code(client, code.upper())
    assert response["Location"] == "/portal/kcst/"
    assert "Two-factor sign-in with recovery code: kcst-officer from 127.0.0.1" in security_log(caplog)
    assert "9 left" in client.get("/portal/kcst/").content.decode()

    client.post(reverse("logout"))
    sign_in_with_password(client, kcst)
    response = give_code(client, code)
    assert "The code is not right" in response.content.decode()
    assert client.get("/portal/kcst/")["Location"].startswith(TWO_FACTOR)


def test_a_recovery_code_made_of_digits_alone_still_works(client, kcst):
    authenticator_app(kcst)
    new_recovery_codes(kcst)
    StaticToken.objects.filter(device__user=kcst).update(token="23456723")
    sign_in_with_password(client, kcst)
    assert give_code(client, "2345 6723")["Location"] == "/portal/kcst/"


def test_a_password_alone_cannot_replace_the_app(client, kcst):
    authenticator_app(kcst)
    sign_in_with_password(client, kcst)
    assert client.get(SET_UP)["Location"] == reverse("account")
    assert client.get(reverse("account"))["Location"].startswith(TWO_FACTOR)
    assert TOTPDevice.objects.filter(user=kcst).count() == 1


def test_a_superuser_resets_a_lost_app_and_the_person_sets_up_a_new_one(client, kcst, superuser):
    lost = authenticator_app(kcst)
    new_recovery_codes(kcst)
    client.force_login(superuser)
    response = client.post(reverse("admin:otp_totp_totpdevice_delete", args=[lost.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(pk=lost.pk).exists()

    client.logout()
    sign_in_with_password(client, kcst)
    assert client.get(TWO_FACTOR)["Location"].startswith(SET_UP)
    client.get(SET_UP)
    fresh = TOTPDevice.objects.get(user=kcst)
    client.post(SET_UP, {"code": code_from_app(fresh)})
    assert client.get("/portal/kcst/").status_code == 200


def test_an_officer_may_set_up_an_app_and_is_then_asked_for_its_code(client, officer_a):
    sign_in_with_password(client, officer_a)
    assert "Set up two-factor sign-in" in client.get(reverse("account")).content.decode()
    client.get(SET_UP)
    client.post(SET_UP, {"code": code_from_app(TOTPDevice.objects.get(user=officer_a))})
    client.post(reverse("logout"))

    sign_in_with_password(client, officer_a)
    assert client.get("/portal/")["Location"] == f"{TWO_FACTOR}?next=%2Fportal%2F"
    give_code(client, code_from_app(TOTPDevice.objects.get(user=officer_a)), next_url="/portal/")
    assert client.get("/portal/").status_code == 200


def test_an_officer_whose_app_a_superuser_deleted_is_no_longer_asked(client, officer_a):
    device = authenticator_app(officer_a)
    sign_in_with_password(client, officer_a)
    device.delete()
    assert client.get("/portal/")["Location"] == f"{TWO_FACTOR}?next=%2Fportal%2F"
    assert client.get(f"{TWO_FACTOR}?next=%2Fportal%2F")["Location"] == "/portal/"
    assert client.get("/portal/").status_code == 200


def test_new_recovery_codes_replace_the_old_ones(client, kcst, caplog):
    old = new_recovery_codes(kcst)
    client.force_login(kcst)
    with caplog.at_level(logging.INFO, logger="csa.security"):
        response = client.post(reverse("renew_recovery_codes"))
    assert response["Location"].startswith(reverse("recovery_codes"))
    assert "New recovery codes: kcst-officer from 127.0.0.1" in security_log(caplog)
    page = client.get(response["Location"]).content.decode()
    new = list(StaticDevice.objects.get(user=kcst).token_set.values_list("token", flat=True))
    assert all(code in page for code in new)
    assert not set(old) & set(new)


def test_the_code_page_sends_nobody_to_another_site(client, kcst):
    device = authenticator_app(kcst)
    sign_in_with_password(client, kcst)
    response = give_code(client, code_from_app(device), next_url="https://elsewhere.example/")
    assert response["Location"] == reverse("portal:landing")
