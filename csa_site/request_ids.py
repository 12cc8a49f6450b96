"""Every request gets an id: sent back in X-Request-ID, written on every log line, shown on the 500 page.

A user quotes the id from the error page; the log line with the same id holds the traceback.
"""

import contextvars
import logging
import re
import uuid

HEADER = "X-Request-ID"
# An id a proxy or load balancer gave the request is kept, if it could not smuggle anything into a log.
WELL_FORMED = re.compile(r"[A-Za-z0-9._-]{8,64}")

current = contextvars.ContextVar("request_id", default="")


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get(HEADER, "")
        request.request_id = incoming if WELL_FORMED.fullmatch(incoming) else uuid.uuid4().hex
        token = current.set(request.request_id)
        try:
            response = self.get_response(request)
        finally:
            current.reset(token)
        response[HEADER] = request.request_id
        return response


class RequestIdFilter(logging.Filter):
    """Puts the id of the request being served (or "" outside one) on each record."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = current.get()
        return True
