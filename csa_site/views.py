"""The site's own pages: the server error page and the favicon's old address."""

from django.http import HttpResponseServerError
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.templatetags.static import static

from .cache_control import public


def server_error(request):
    # No context processors: the database may be what failed. The id is for the user to quote.
    return HttpResponseServerError(render_to_string("500.html", {"request_id": getattr(request, "request_id", "")}))


def favicon(request):
    # Pages link the static file; some browsers and tools still ask the site's root for it.
    return public(redirect(static("favicon.ico"), permanent=True))
