"""A server error leaves its traceback in the log under the id the error page shows."""

import io
import json
import logging

import pytest
from django.test import Client
from django.urls import path

from csa_site.urls import *  # noqa: F403  (the site's pages and its error handlers, as this URLconf's)


def broken_view(request):
    raise RuntimeError("the stamp table is missing")


urlpatterns = [path("broken/", broken_view), *urlpatterns]  # noqa: F405


@pytest.fixture
def log_lines():
    """What the configured stderr handler writes, one JSON object a line."""
    handler = next(h for h in logging.getLogger().handlers if h.get_name() == "stderr")
    stream = io.StringIO()
    previous = handler.setStream(stream)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    handler.setStream(previous)


@pytest.mark.urls(__name__)
def test_a_server_error_shows_an_id_and_logs_its_traceback_under_it(db, settings, log_lines):
    assert settings.DEBUG is False
    response = Client(raise_request_exception=False).get("/broken/")
    assert response.status_code == 500
    request_id = response["X-Request-ID"]
    assert len(request_id) == 32
    assert f"quote this reference: <strong>{request_id}</strong>" in response.content.decode()
    [error] = [line for line in log_lines() if line["level"] == "ERROR"]
    assert error["request_id"] == request_id
    assert error["logger"] == "django.request" and error["status"] == 500
    assert "Traceback" in error["traceback"]
    assert "RuntimeError: the stamp table is missing" in error["traceback"]


@pytest.mark.urls(__name__)
def test_an_id_given_by_the_proxy_is_kept(db, log_lines):
    response = Client(raise_request_exception=False).get("/broken/", HTTP_X_REQUEST_ID="lb-7f3a9c0e-0001")
    assert response["X-Request-ID"] == "lb-7f3a9c0e-0001"
    assert "lb-7f3a9c0e-0001" in response.content.decode()
    assert [line["request_id"] for line in log_lines() if line["level"] == "ERROR"] == ["lb-7f3a9c0e-0001"]


@pytest.mark.parametrize("given", ["short", "x" * 65, "abc\ndef-ghijk", '"><script>1</script>'])
def test_a_malformed_id_is_replaced(client, db, given):
    response = client.get("/", HTTP_X_REQUEST_ID=given)
    assert response["X-Request-ID"] != given
    assert len(response["X-Request-ID"]) == 32


def test_log_lines_outside_a_request_carry_an_empty_id(log_lines):
    logging.getLogger("csa.security").warning("A line with %s", "an argument")
    [line] = log_lines()
    assert (line["logger"], line["message"], line["request_id"]) == ("csa.security", "A line with an argument", "")
