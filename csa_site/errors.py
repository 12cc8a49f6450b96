"""The server error page, with the request's id for the user to quote."""

from django.http import HttpResponseServerError
from django.template.loader import render_to_string


def server_error(request):
    # No context processors: the database may be what failed.
    return HttpResponseServerError(render_to_string("500.html", {"request_id": getattr(request, "request_id", "")}))
