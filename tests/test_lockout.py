"""The lock-out counts failures by the client's own address, behind the trusted proxies, over time."""

import datetime
import logging

import pytest
import time_machine

LOGIN = "/accounts/login/"
PASSWORD = "correct-horse-battery"
NGINX = "127.0.0.1"  # the last proxy: every request reaches the application from it
BALANCER = "10.1.0.5"  # the first proxy, which nginx names in X-Forwarded-For
ALICE, BOB = "198.51.100.7", "203.0.113.20"


@pytest.fixture
def behind_two_proxies(settings, settings_read_from):
    configured = settings_read_from(PROXY_COUNT="2")
    for name in ("AXES_IPWARE_META_PRECEDENCE_ORDER", "AXES_IPWARE_PROXY_COUNT", "IPWARE_STRICT"):
        setattr(settings, name, getattr(configured, name))


def through_the_proxies(client, username, password, address, written_by_client=""):
    """A sign-in as it arrives: the balancer adds the client's address, nginx the balancer's."""
    forwarded = ", ".join(filter(None, [written_by_client, address, BALANCER]))
    return client.post(LOGIN, {"username": username, "password": password},
                       REMOTE_ADDR=NGINX, HTTP_X_FORWARDED_FOR=forwarded)


def direct(client, username, password, address, written_by_client=""):
    extra = {"HTTP_X_FORWARDED_FOR": written_by_client} if written_by_client else {}
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address, **extra)


def test_behind_two_proxies_one_client_is_locked_and_another_still_signs_in(
        client, kcsp_member, behind_two_proxies, caplog):
    with caplog.at_level(logging.INFO, logger="csa.security"):
        for _ in range(5):
            through_the_proxies(client, kcsp_member.username, "wrong", ALICE)
        assert through_the_proxies(client, kcsp_member.username, PASSWORD, ALICE).status_code == 429
        assert through_the_proxies(client, kcsp_member.username, PASSWORD, BOB).status_code == 302
    messages = [record.getMessage() for record in caplog.records]
    assert f"Failed log-in: kcsp-member from {ALICE}" in messages
    assert f"Locked out: kcsp-member from {ALICE}" in messages
    assert f"Log-in: kcsp-member from {BOB}" in messages


def test_an_address_the_client_writes_into_the_header_changes_nothing_behind_the_proxies(
        client, kcsp_member, behind_two_proxies):
    # Bob names Alice in his own header: he is locked, and she is not.
    for _ in range(5):
        through_the_proxies(client, kcsp_member.username, "wrong", BOB, written_by_client=ALICE)
    assert through_the_proxies(client, kcsp_member.username, PASSWORD, ALICE).status_code == 302
    client.logout()
    # A new made-up address on every try does not get him round the lock either.
    assert through_the_proxies(client, kcsp_member.username, PASSWORD, BOB, written_by_client="192.0.2.99").status_code == 429


def test_without_trusted_proxies_the_header_is_not_read(client, kcsp_member, caplog):
    with caplog.at_level(logging.INFO, logger="csa.security"):
        for _ in range(5):
            direct(client, kcsp_member.username, "wrong", BOB, written_by_client=ALICE)
    assert f"Failed log-in: kcsp-member from {BOB}" in [record.getMessage() for record in caplog.records]
    assert direct(client, kcsp_member.username, PASSWORD, ALICE).status_code == 302
    client.logout()
    assert direct(client, kcsp_member.username, PASSWORD, BOB, written_by_client="192.0.2.99").status_code == 429


def test_the_limit_is_five_failures_and_the_cool_off_fifteen_minutes(settings):
    assert settings.AXES_FAILURE_LIMIT == 5
    assert settings.AXES_COOLOFF_TIME == datetime.timedelta(minutes=15)


def test_four_failures_do_not_lock(client, kcsp_member):
    for _ in range(4):
        assert direct(client, kcsp_member.username, "wrong", ALICE).status_code == 200
    assert direct(client, kcsp_member.username, PASSWORD, ALICE).status_code == 302


@pytest.mark.parametrize(("after", "status"), [
    (datetime.timedelta(minutes=15, seconds=-1), 429),
    (datetime.timedelta(minutes=15, seconds=1), 302),
])
def test_the_fifth_failure_locks_until_fifteen_minutes_have_passed(client, kcsp_member, after, status):
    # One try per run: a try while locked starts the cool-off again.
    with time_machine.travel(datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC), tick=False) as traveller:
        for _ in range(5):
            direct(client, kcsp_member.username, "wrong", ALICE)
        traveller.shift(after)
        assert direct(client, kcsp_member.username, PASSWORD, ALICE).status_code == status
