"""What happens to a person's second factor; the security log listens (audit/signals.py)."""

from django.contrib.auth.signals import user_logged_in
from django.dispatch import Signal, receiver
from django_otp import user_has_device

from .two_factor import HAS_DEVICE_SESSION_KEY

# Each is sent with request=, user=; code_verified also with kind= ("app" or "recovery code").
device_enrolled = Signal()
code_verified = Signal()
code_refused = Signal()
recovery_codes_renewed = Signal()


@receiver(user_logged_in)
def remember_whether_a_device_is_set_up(sender, request, user, **kwargs):
    # Read once here rather than on every request: anyone with an app is asked for its code.
    if request is not None and hasattr(request, "session"):
        request.session[HAS_DEVICE_SESSION_KEY] = user_has_device(user)
