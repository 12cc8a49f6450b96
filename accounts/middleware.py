"""Sends a signed-in person who owes a second factor to give it before any other page."""

from functools import cache

from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from .two_factor import HAS_DEVICE_SESSION_KEY, required_for


@cache
def open_paths() -> frozenset[str]:
    """The pages a person needs to finish signing in, or to give up and sign out."""
    return frozenset(reverse(name) for name in ("two_factor", "two_factor_setup", "logout"))


class TwoFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path not in open_paths() and self.owes_second_factor(request):
            return redirect(f"{reverse('two_factor')}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)

    @staticmethod
    def owes_second_factor(request) -> bool:
        user = request.user
        if not user.is_authenticated:
            return False
        owes = request.session.get(HAS_DEVICE_SESSION_KEY) or required_for(user)
        return bool(owes) and not user.is_verified()
