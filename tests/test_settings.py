"""The two ways the application runs: the SQLite demo and a production configuration."""

import io
import os
import re
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=settings.BASE_DIR, env=env,
        capture_output=True, text=True, timeout=300,
    )


def clean_env(**extra: str) -> dict[str, str]:
    """The environment `make run` gives the demo (DEBUG on), changed by `extra`."""
    unwanted = ("DATABASE_URL", "DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "DJANGO_ALLOW_ASYNC_UNSAFE",
                "DJANGO_SETTINGS_MODULE", "SITE_URL", "EMAIL_BACKEND", "CACHE_URL", "REDIS_URL", "CACHE_KEY_PREFIX")
    env = {k: v for k, v in os.environ.items() if k not in unwanted}
    return {**env, "DEBUG": "true", **extra}


REAL_SECRET = "x" * 20 + "a-real-secret-of-more-than-fifty-characters-9f8e7d6c5b"


def test_the_sqlite_default_migrates_loads_kent_and_creates_demo_users(tmp_path):
    env = clean_env(SQLITE_PATH=str(tmp_path / "demo.sqlite3"))
    for command in (["migrate", "--noinput"], ["load_agreement", "fixtures/kent"], ["create_demo_users"]):
        result = manage(*command, env=env)
        assert result.returncode == 0, result.stderr
    assert "officer-ashford" in result.stdout and "csa-demo-2024" in result.stdout
    count = manage("shell", "-c", "from agreements.models import Version; print(Version.objects.count())", env=env)
    assert count.stdout.strip().splitlines()[-1] == "8"
    assert (tmp_path / "demo.sqlite3").exists()


def test_production_settings_pass_the_deployment_check():
    env = clean_env(
        DEBUG="false", SECRET_KEY=REAL_SECRET, ALLOWED_HOSTS="csa.example.org", SITE_URL="https://csa.example.org",
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
    )
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret():
    result = manage("check", env=clean_env(DEBUG="false"))
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


def test_a_bad_boolean_is_named():
    result = manage("check", env=clean_env(DEBUG="maybe"))
    assert "DEBUG must be true or false, not 'maybe'" in result.stderr


def test_the_deployment_check_names_what_a_production_set_up_lacks():
    env = clean_env(DEBUG="false", SECRET_KEY=settings.LOCAL_SECRET, ALLOWED_HOSTS="csa.example.org")
    result = manage("check", "--deploy", env=env)
    assert result.returncode != 0
    assert "(csa.E001) SECRET_KEY is the public value meant for a local run" in result.stderr
    assert "(csa.W001) SITE_URL is 'http://127.0.0.1:8000'" in result.stderr
    assert "(csa.W002) EMAIL_BACKEND is django.core.mail.backends.console.EmailBackend" in result.stderr


def test_debug_is_off_unless_asked_for(settings_read_from):
    production = settings_read_from(DEBUG=None, SECRET_KEY=REAL_SECRET)
    assert production.DEBUG is False
    assert production.SECURE_SSL_REDIRECT is True and production.SESSION_COOKIE_SECURE is True


def test_without_debug_there_is_no_public_secret(settings_read_from):
    with pytest.raises(ImproperlyConfigured, match="SECRET_KEY must be set when DEBUG is off"):
        settings_read_from(DEBUG=None, SECRET_KEY=None)


def test_make_run_turns_debug_on_for_the_demo():
    plan = subprocess.run(["make", "-n", "run"], cwd=settings.BASE_DIR, capture_output=True, text=True).stdout
    runserver = next(line for line in plan.splitlines() if "runserver" in line)
    assert runserver.startswith("DEBUG=true ")

def two_factor_required(**env: str) -> str:
    environment = clean_env(SECRET_KEY="a-secret-for-this-test-only-" + "x" * 30)
    environment.pop("TWO_FACTOR_REQUIRED", None)
    result = manage("shell", "-c", "from django.conf import settings; print(settings.TWO_FACTOR_REQUIRED)",
                    env={**environment, **env})
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


def test_two_factor_sign_in_is_on_whenever_debug_is_off():
    assert two_factor_required(DEBUG="false") == "True"
    assert two_factor_required(DEBUG="true") == "False"
    assert two_factor_required(DEBUG="false", TWO_FACTOR_REQUIRED="false") == "False"


def test_make_run_turns_two_factor_sign_in_off_for_the_demo():
    plan = subprocess.run(["make", "-n", "run"], cwd=settings.BASE_DIR, capture_output=True, text=True).stdout
    for command in ("create_demo_users", "runserver"):
        line = next(line for line in plan.splitlines() if command in line)
        assert "TWO_FACTOR_REQUIRED=false " in line, line


def test_the_demo_log_ins_say_whether_a_code_is_asked_for(db, settings):
    out = io.StringIO()
    settings.TWO_FACTOR_REQUIRED = False
    call_command("create_demo_users", stdout=out)
    assert "Two-factor sign-in is off for this demo" in out.getvalue()
    settings.TWO_FACTOR_REQUIRED = True
    call_command("create_demo_users", stdout=(out := io.StringIO()))
    assert "Two-factor sign-in is on" in out.getvalue()


def test_a_cache_url_that_is_not_redis_is_named(settings_read_from):
    refused = "CACHE_URL must be a redis://, rediss:// or unix:// address, not 'memcached://127.0.0.1:11211'"
    with pytest.raises(ImproperlyConfigured, match=re.escape(refused)):
        settings_read_from(DEBUG="true", CACHE_URL="memcached://127.0.0.1:11211")


def test_redis_url_puts_the_caches_and_the_sessions_in_redis(settings_read_from):
    shared = settings_read_from(DEBUG="true", CACHE_URL=None, REDIS_URL="redis://10.0.0.5:6379/2")
    assert shared.CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert shared.CACHES["default"]["LOCATION"] == "redis://10.0.0.5:6379/2"
    assert shared.SESSION_ENGINE == "django.contrib.sessions.backends.cached_db"
    alone = settings_read_from(DEBUG="true", CACHE_URL=None, REDIS_URL=None)
    assert not hasattr(alone, "CACHES") and not hasattr(alone, "SESSION_ENGINE")  # Django's: per process, database
