"""Every log-in, log-out, failed log-in and two-factor step goes to the security log."""

import logging

from axes.helpers import get_client_ip_address
from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from accounts.signals import code_refused, code_verified, device_enrolled, recovery_codes_renewed

logger = logging.getLogger("csa.security")


def _address(request) -> str:
    """The client's address as the lock-out sees it (behind PROXY_COUNT trusted proxies)."""
    return (get_client_ip_address(request) if request is not None else None) or "?"


@receiver(user_logged_in)
def logged_in(sender, request, user, **kwargs):
    logger.info("Log-in: %s from %s", user.get_username(), _address(request))


@receiver(user_logged_out)
def logged_out(sender, request, user, **kwargs):
    logger.info("Log-out: %s", user.get_username() if user else "(session expired)")


@receiver(user_login_failed)
def login_failed(sender, credentials, request=None, **kwargs):
    logger.warning("Failed log-in: %s from %s", credentials.get("username", "?"), _address(request))


@receiver(user_locked_out)
def locked_out(sender, request, username, ip_address, **kwargs):
    logger.warning("Locked out: %s from %s", username, ip_address)


@receiver(device_enrolled)
def two_factor_set_up(sender, request, user, **kwargs):
    logger.info("Two-factor app set up: %s from %s", user.get_username(), _address(request))


@receiver(code_verified)
def two_factor_passed(sender, request, user, kind, **kwargs):
    logger.info("Two-factor sign-in with %s: %s from %s", kind, user.get_username(), _address(request))


@receiver(code_refused)
def two_factor_refused(sender, request, user, **kwargs):
    logger.warning("Failed two-factor code: %s from %s", user.get_username(), _address(request))


@receiver(recovery_codes_renewed)
def two_factor_codes_renewed(sender, request, user, **kwargs):
    logger.info("New recovery codes: %s from %s", user.get_username(), _address(request))
