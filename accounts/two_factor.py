"""Two-factor sign-in: who must use it, setting up an authenticator app, recovery codes, checking a code.

Built on django-otp: a TOTPDevice is the person's authenticator app, a StaticDevice holds their
recovery codes (each deleted when used). A session is verified once a device accepts a code.
"""

from __future__ import annotations

import math
from base64 import b32encode

import segno
from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone
from django_otp import devices_for_user
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from agreements.roles import is_kcst

HAS_DEVICE_SESSION_KEY = "two_factor_device"
RECOVERY_CODE_COUNT = 10
APP_CODE_LENGTH = 6  # django-otp's TOTPDevice default, which set-up keeps
APP_NAME = "Authenticator app"
RECOVERY_NAME = "Recovery codes"


def required_for(user: AbstractBaseUser) -> bool:
    """KCST staff and superusers (who count as KCST) must give a second factor wherever it is switched on."""
    return settings.TWO_FACTOR_REQUIRED and is_kcst(user)


def has_app(user: AbstractBaseUser) -> bool:
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).exists()


def app_being_set_up(user: AbstractBaseUser) -> TOTPDevice:
    """The app a person is setting up: the same key until they confirm it, however often the page is opened."""
    device = TOTPDevice.objects.devices_for_user(user, confirmed=False).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name=APP_NAME, confirmed=False)


def secret_for_typing(device: TOTPDevice) -> str:
    """The key as an app asks for it when typed: base32, in groups of four."""
    secret = b32encode(device.bin_key).decode()
    return " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))


def qr_code(device: TOTPDevice) -> str:
    """The app's set-up link as an SVG QR code in a data: URI (an image, so no inline style)."""
    return segno.make(device.config_url, error="m").svg_data_uri(scale=4, border=4)


def confirm_app(device: TOTPDevice, code: str) -> TOTPDevice | None:
    """The first code from a new app switches it on."""
    if not device.verify_token(_digits(code)):
        return None
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return device


@transaction.atomic
def new_recovery_codes(user: AbstractBaseUser) -> list[str]:
    """A fresh set of single-use codes; the ones the person had before stop working."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def recovery_codes_left(user: AbstractBaseUser) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def check_code(user: AbstractBaseUser, code: str) -> Device | None:
    """The device that accepts the code: six digits are for the app, anything else is a recovery code
    (eight characters, which may by chance all be digits).

    Each kind of device counts its own failures and makes the next try wait longer (django-otp's
    throttling), so guessing either is slow.
    """
    digits = _digits(code)
    kind = TOTPDevice if digits.isdigit() and len(digits) == APP_CODE_LENGTH else StaticDevice
    token = digits if kind is TOTPDevice else code.strip().lower().replace(" ", "")
    with transaction.atomic():
        for device in devices_for_user(user, for_verify=True):
            if isinstance(device, kind) and device.verify_token(token):
                return device
    return None


def seconds_to_wait(devices) -> int:
    """How long until the next code can be tried on these devices, after wrong ones (0: now)."""
    waits = []
    for device in devices:
        allowed, details = device.verify_is_allowed()
        if not allowed and details and "locked_until" in details:
            waits.append((details["locked_until"] - timezone.now()).total_seconds())
    return math.ceil(max(waits, default=0))


def kind_of(device: Device) -> str:
    return "recovery code" if isinstance(device, StaticDevice) else "app"


def _digits(code: str) -> str:
    return code.replace(" ", "").replace("-", "").strip()
