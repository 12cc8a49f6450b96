"""Turns a refused change into a message on the page the person was on, with nothing saved."""

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme

from .models import EditionFrozen, StaleEdit, StatusOutsideWorkflow

REFUSALS = (EditionFrozen, StaleEdit, StatusOutsideWorkflow)


class RefusedChangeMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        # The view's transaction has already rolled back; a GET would loop, so only POSTs come back.
        if isinstance(exception, REFUSALS) and request.method == "POST":
            messages.error(request, f"Nothing was saved. {exception}")
            back = request.META.get("HTTP_REFERER", "")
            safe = url_has_allowed_host_and_scheme(back, {request.get_host()}, request.is_secure())
            return redirect(back if safe else request.get_full_path())
        return None
