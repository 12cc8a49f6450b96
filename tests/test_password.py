"""Changing a password when signed in, and resetting a forgotten one through an e-mailed link."""

import re

from django.core import mail
from django.urls import reverse

NEW_PASSWORD = "a-new-and-longer-passphrase"


def test_a_signed_in_person_changes_their_password(client, officer_a):
    client.force_login(officer_a)
    assert 'href="/accounts/password/change/"' in client.get(reverse("account")).content.decode()
    response = client.post(reverse("password_change"), {
        "old_password": "correct-horse-battery", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD,
    })
    assert response["Location"] == reverse("password_change_done")
    officer_a.refresh_from_db()
    assert officer_a.check_password(NEW_PASSWORD)


def test_a_wrong_old_password_is_named_and_nothing_changes(client, officer_a):
    client.force_login(officer_a)
    response = client.post(reverse("password_change"), {
        "old_password": "not-it", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD,
    })
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert '<a href="#id_old_password">Your old password was entered incorrectly.' in page
    officer_a.refresh_from_db()
    assert officer_a.check_password("correct-horse-battery")


def reset_link(body: str) -> str:
    return re.search(r"(\S+/accounts/password/reset/\S+/\S+/)", body).group(1)


def test_a_forgotten_password_is_reset_through_a_link_that_starts_with_the_site_url(client, officer_a, settings):
    settings.SITE_URL = "https://csa.example.org"
    assert 'href="/accounts/password/reset/"' in client.get(reverse("login")).content.decode()
    response = client.post(reverse("password_reset"), {"email": officer_a.email})
    assert response["Location"] == reverse("password_reset_done")
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [officer_a.email]
    link = reset_link(mail.outbox[0].body)
    assert link.startswith("https://csa.example.org/accounts/password/reset/")

    form_url = client.get(link.removeprefix(settings.SITE_URL))["Location"]
    response = client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response["Location"] == reverse("password_reset_complete")
    officer_a.refresh_from_db()
    assert officer_a.check_password(NEW_PASSWORD)
    assert "This link does not work" in client.get(link.removeprefix(settings.SITE_URL)).content.decode()


def test_new_passwords_that_differ_are_named_and_nothing_changes(client, officer_a, settings):
    settings.SITE_URL = "https://csa.example.org"
    client.post(reverse("password_reset"), {"email": officer_a.email})
    form_url = client.get(reset_link(mail.outbox[0].body).removeprefix(settings.SITE_URL))["Location"]
    response = client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD + "x"})
    page = response.content.decode()
    assert "There is a problem" in page and '<a href="#id_new_password2">The two password fields' in page
    officer_a.refresh_from_db()
    assert officer_a.check_password("correct-horse-battery")


def test_an_unknown_address_gets_the_same_answer_and_no_e_mail(client, db):
    response = client.post(reverse("password_reset"), {"email": "nobody@example.org"})
    assert response["Location"] == reverse("password_reset_done")
    assert mail.outbox == []


def test_kcst_cannot_change_the_password_on_the_password_alone(client, kcst):
    client.post(reverse("login"), {"username": kcst.username, "password": "correct-horse-battery"})
    response = client.get(reverse("password_change"))
    assert response["Location"].startswith(reverse("two_factor"))
