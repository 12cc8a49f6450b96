"""Logs every refused access: a 403, a 404 for a signed-in person, or a redirect to sign in."""

import logging

from django.conf import settings
from django.shortcuts import resolve_url

logger = logging.getLogger("csa.security")


class RefusedAccessLogMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        who = user.get_username() if user is not None and user.is_authenticated else "anonymous"
        status = response.status_code
        sent_to_login = status == 302 and response.get("Location", "").startswith(
            (resolve_url(settings.LOGIN_URL), "/admin/login/")
        ) and not request.path.startswith(("/accounts/", "/admin/login/"))
        if status == 403 or (status == 404 and who != "anonymous") or sent_to_login:
            logger.warning("Refused access: %s %s for %s (%s)", request.method, request.path, who, status)
        return response
