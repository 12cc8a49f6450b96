"""The test helper that plays the authenticator app gives a code the device accepts."""

import time

from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from .conftest import code_from_app, make_user

def test_the_next_code_after_a_code_matched_one_step_back(db):
    # The enrolment code was typed at the end of a step and checked in the next one.
    device = TOTPDevice.objects.create(user=make_user("drifter"), confirmed=True)
    now = time.time()
    late = TOTP(device.bin_key, device.step, device.t0, device.digits, 0)
    late.time = now - device.step
    assert device.verify_token(late.token())
    device.refresh_from_db()
    device.throttling_failure_count = 0
    device.save()
    assert device.verify_token(code_from_app(device))
