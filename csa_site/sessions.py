"""Sessions that end after an hour without a request, without a database write on every request."""

import time

from django.conf import settings


class SlidingSessionMiddleware:
    """Renews a signed-in session's expiry at most once every SESSION_RENEW_SECONDS.

    Django's SESSION_SAVE_EVERY_REQUEST would give the same sliding expiry, but at the price of a
    write, and a row lock, on every page a person opens.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        user = getattr(request, "user", None)
        if session is not None and user is not None and user.is_authenticated:
            now = int(time.time())
            if now - session.get("_renewed_at", 0) >= settings.SESSION_RENEW_SECONDS:
                session["_renewed_at"] = now  # marks the session modified: saved with a new expiry
        return response
