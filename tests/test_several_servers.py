"""Two application servers behind one load balancer share the database and the Redis cache: whatever
one of them does, the other shows, and a person signed in through one is signed in on both."""

from __future__ import annotations

import http.cookiejar
import os
import re
import secrets
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.utils import timezone

from agreements.models import Agreement, Version
from agreements.stamps import stamp
from assessments.models import AssessmentReturn

from .conftest import load_kent, make_officer, uses_redis

pytestmark = pytest.mark.skipif(not uses_redis(), reason="needs CACHE_URL: make test starts a Redis for it")

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
PASSWORD = "correct-horse-battery"
START_SECONDS = 60
REQUEST_SECONDS = 60  # a busy machine: the worker loads Django on the first request


@dataclass
class Server:
    url: str
    process: subprocess.Popen
    log: Path


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def server_env(prefix: str) -> dict[str, str]:
    db = connection.settings_dict  # the test database
    return {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "CACHE_URL": settings.CACHES["default"]["LOCATION"],
        "CACHE_KEY_PREFIX": prefix,
        # One key for both, as a deployment gives every server: each signs what the other checks.
        "SECRET_KEY": "two-servers-" + secrets.token_hex(24),
        # Plain http on loopback: with DEBUG off the cookies would be https-only and the pages redirected.
        "DEBUG": "true",
        "ALLOWED_HOSTS": "127.0.0.1",
    }


def start(env: dict[str, str], log: Path) -> Server:
    port = free_port()
    with log.open("w") as output:  # the server writes to its own copy of the file
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "csa_site.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "1"],
            cwd=settings.BASE_DIR, env=env, stdout=output, stderr=subprocess.STDOUT,
        )
    server = Server(f"http://127.0.0.1:{port}", process, log)
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return server
        except OSError:
            pass
        try:  # waits a little between tries, and notices a server that could not start
            process.wait(timeout=0.2)
        except subprocess.TimeoutExpired:
            continue
        break
    stop(server)
    pytest.fail(f"the server on port {port} did not start: {log.read_text()[-2000:]}")


def stop(server: Server) -> None:
    server.process.terminate()
    try:
        server.process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.process.kill()
        server.process.wait(timeout=10)


@pytest.fixture(scope="module")
def servers(django_db_setup, cache_of_this_run, tmp_path_factory):
    logs = tmp_path_factory.mktemp("servers")
    env = server_env(cache_of_this_run)
    pair = [start(env, logs / "a.log"), start(env, logs / "b.log")]
    yield pair
    for server in pair:
        stop(server)


class Visitor:
    """One browser: its cookies go to whichever server the load balancer picks."""

    def __init__(self):
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))

    def get(self, server: Server, path: str) -> str:
        with self.opener.open(server.url + path, timeout=REQUEST_SECONDS) as response:
            return response.read().decode()

    def submit(self, server: Server, action: str, data: dict[str, str], form_on: str | None = None) -> str:
        """Submits the form posting to `action`, with the token of the page (`form_on`, or the form's
        own address) as `server` serves it."""
        page = self.get(server, form_on or action)
        fields = {"csrfmiddlewaretoken": TOKEN.search(page).group(1), **data}
        body = urllib.parse.urlencode(fields).encode()
        with self.opener.open(server.url + action, data=body, timeout=REQUEST_SECONDS) as response:
            return response.read().decode()

    def sign_in(self, server: Server, username: str) -> str:
        return self.submit(server, "/accounts/login/", {"username": username, "password": PASSWORD})


@pytest.fixture
def ashford(transactional_db, settings) -> AssessmentReturn:
    """Ashford's officer with a real password hash (the servers do not know the tests' fast one), and
    their return in an open cycle, all committed where the servers can read it."""
    from assessments.cycles import open_cycle

    load_kent()
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    officer = make_officer("ashford")
    officer.set_password(PASSWORD)
    officer.save()
    cycle = open_cycle(Agreement.objects.get(slug="kent"), "2024-25", due_on=timezone.localdate() + timedelta(days=28))
    return cycle.returns.get(partnership__slug="ashford")


def test_a_session_started_on_one_server_is_valid_on_the_other(servers, ashford):
    a, b = servers
    visitor = Visitor()
    assert "Signed in as officer-ashford" in visitor.sign_in(a, "officer-ashford")
    portal = visitor.get(b, "/portal/")
    assert "Signed in as officer-ashford" in portal
    assert f'href="/portal/returns/{ashford.pk}/"' in portal

    visitor.submit(b, "/accounts/logout/", {}, form_on="/")
    signed_out = visitor.get(a, "/portal/")  # signed out through b: signed out on a too
    assert "Signed in as" not in signed_out and 'name="password"' in signed_out


def test_an_issue_added_through_one_server_shows_through_the_other(servers, ashford):
    a, b = servers
    visitor = Visitor()
    visitor.sign_in(a, "officer-ashford")
    address = f"/portal/returns/{ashford.pk}/"
    assert "Fly-tipping on farmland" not in visitor.get(b, address)
    # b kept the issues table in the shared cache, where a reads it too.
    assert cache._cache.get_client().keys(f"{cache.key_prefix}:*template.cache.officer-return*")

    ashford.refresh_from_db()
    issue = {"own_wording": "Fly-tipping on farmland", "kind": "main", "revision": str(ashford.revision)}
    added = visitor.submit(a, f"{address}issues/add/", issue)
    assert "Issue added." in added
    assert "Fly-tipping on farmland" in visitor.get(b, address)


def test_the_public_list_kept_by_one_server_is_served_by_the_other(servers, ashford):
    # Published editions are served from their snapshots; the public list is still kept.
    a, b = servers
    first = Visitor().get(a, "/")
    assert cache.get(f"home:{stamp((Version, Agreement)).key}")  # a kept it in the shared cache
    assert Visitor().get(b, "/") == first
