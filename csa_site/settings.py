"""Settings read from the environment, with defaults that suit a local run only."""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def envbool(name: str, default: str) -> bool:
    value = os.getenv(name, default)
    if value.lower() in ("1", "true", "yes", "on"):
        return True
    if value.lower() in ("0", "false", "no", "off", ""):
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def envint(name: str, default: str) -> int:
    value = os.getenv(name, default)
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from None


def envlist(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.getenv(name, default).split(",") if item.strip()]


# Off unless asked for: `make run` turns it on for the demo.
DEBUG = envbool("DEBUG", "false")
# Only a local run may go without a secret; manage.py check --deploy refuses this value (csa_site/checks.py).
LOCAL_SECRET = "local-development-only-not-a-secret"
SECRET_KEY = os.getenv("SECRET_KEY", LOCAL_SECRET if DEBUG else "")
if not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off")
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", "")
SITE_URL = os.getenv("SITE_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    "csa_site",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "simple_history",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "accounts",
    # Only for its static files (ProseMirror bundled): our own module starts the editor (static/js/).
    "django_prose_editor",
    "audit",
    "agreements",
    "assessments",
    "documents",
    "delivery",
    "review",
    "desk",
    "annual_review",
]

MIDDLEWARE = [
    # First, so every log line of the request, the error page included, carries its id.
    "csa_site.request_ids.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Outside the session and CSRF middleware, so it sees the cookies they set.
    "csa_site.cache_control.CacheControlMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Marks the user verified when the session holds a device that accepted their code.
    "django_otp.middleware.OTPMiddleware",
    "csa_site.sessions.SlidingSessionMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "accounts.middleware.TwoFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Records the acting user on every history row written during a request.
    "simple_history.middleware.HistoryRequestMiddleware",
    "agreements.middleware.RefusedChangeMiddleware",
    "audit.middleware.RefusedAccessLogMiddleware",
    # Last, as django-axes asks: it turns a locked-out log-in into the lock-out page.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Lock a user name from one address only, so an attacker cannot lock everyone out.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_FAILURE_LIMIT = envint("AXES_FAILURE_LIMIT", "5")
AXES_COOLOFF_TIME = timedelta(minutes=envint("AXES_COOLOFF_MINUTES", "15"))
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# Lock-outs are cleared with `manage.py axes_reset`, not in the admin.
AXES_ENABLE_ADMIN = False

# The client's address behind trusted proxies, for the lock-out and the security log.
# PROXY_COUNT is how many proxies stand in front of the application, each adding the address it was
# reached from to X-Forwarded-For (nginx: $proxy_add_x_forwarded_for). REMOTE_ADDR is then the last
# proxy and the client is the header's PROXY_COUNT-th address from the right, behind the
# PROXY_COUNT - 1 other proxies' (django-ipware's proxy count); whatever a client writes into the
# header itself lies further left, where it is never read (counted from the right whatever the
# header's length, hence not strict).
PROXY_COUNT = envint("PROXY_COUNT", "0")
if PROXY_COUNT:
    AXES_IPWARE_META_PRECEDENCE_ORDER = ("HTTP_X_FORWARDED_FOR",)
    AXES_IPWARE_PROXY_COUNT = PROXY_COUNT - 1
    IPWARE_STRICT = False
else:
    AXES_IPWARE_META_PRECEDENCE_ORDER = ("REMOTE_ADDR",)
    AXES_IPWARE_PROXY_COUNT = None

# Two-factor sign-in: KCST staff and superusers must give a code from an authenticator app after
# their password; anyone who has set up an app is asked for it too. The demo turns it off.
TWO_FACTOR_REQUIRED = envbool("TWO_FACTOR_REQUIRED", "false" if DEBUG else "true")
OTP_TOTP_ISSUER = "CSA Refresh"
# Device keys and recovery codes are never shown in the admin: a superuser resets a device by deleting it.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

# Pages carry no inline script or style, so the policy can forbid both.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

ROOT_URLCONF = "csa_site.urls"
WSGI_APPLICATION = "csa_site.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "agreements.context_processors.roles",
                "delivery.context_processors.leads",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{os.getenv('SQLITE_PATH', BASE_DIR / 'db.sqlite3')}", conn_max_age=envint("CONN_MAX_AGE", "0")
    )
}
# The SQLite demo, used by two people at once: WAL lets pages be read while someone saves, and
# IMMEDIATE takes the write lock when a transaction begins, so a second writer waits for it (up to
# `timeout` seconds) instead of failing with "database is locked" when it tries to write.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "portal:landing"
LOGOUT_REDIRECT_URL = "home"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(os.getenv("MEDIA_ROOT", BASE_DIR / "media"))
MEDIA_URL = "media/"
# Published editions' pages as the public gets them, one file per address (documents/public_pages.py).
PUBLIC_PAGES_ROOT = Path(os.getenv("PUBLIC_PAGES_ROOT", MEDIA_ROOT / "public-pages"))
# Published PDFs go through the "default" storage, so they can move to object storage by setting
# STORAGE_BACKEND (e.g. storages.backends.s3.S3Storage) without touching the code.
STORAGES = {
    "default": {"BACKEND": os.getenv("STORAGE_BACKEND", "django.core.files.storage.FileSystemStorage")},
    "staticfiles": {
        "BACKEND": os.getenv(
            "STATICFILES_BACKEND",
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage",
        )
    },
}

EMAIL_BACKEND = os.getenv("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.getenv("EMAIL_HOST", "localhost")
EMAIL_PORT = envint("EMAIL_PORT", "25")
EMAIL_HOST_USER = os.getenv("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.getenv("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", "false")
DEFAULT_FROM_EMAIL = os.getenv("DEFAULT_FROM_EMAIL", "kcst@csa-refresh.example")

# Sessions end after an hour without a request (renewed at most every five minutes).
SESSION_COOKIE_AGE = envint("SESSION_COOKIE_AGE", str(60 * 60))
SESSION_RENEW_SECONDS = 5 * 60
SESSION_COOKIE_HTTPONLY = True
if not DEBUG:
    SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", "true")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Several application servers share one cache: with CACHE_URL (or REDIS_URL) set, the page caches
# and the sessions live in Redis, so what one server kept or signed in is there for every other.
# Without it, each process keeps its own local-memory cache and sessions are in the database only.
CACHE_URL = os.getenv("CACHE_URL") or os.getenv("REDIS_URL", "")
if CACHE_URL:
    if not CACHE_URL.startswith(("redis://", "rediss://", "unix://")):
        raise ImproperlyConfigured(f"CACHE_URL must be a redis://, rediss:// or unix:// address, not {CACHE_URL!r}")
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CACHE_URL,
            # Keys start with it, so several installations (or test runs) can share one Redis.
            "KEY_PREFIX": os.getenv("CACHE_KEY_PREFIX", "csa"),
        }
    }
    # Read from the cache, written through to the database: a session outlives a Redis restart.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"


# Logs: JSON lines on stderr, each with the id of the request it was written for; errors with their
# traceback, whatever DEBUG says (Django's own set-up shows them only while DEBUG is on).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "csa_site.request_ids.RequestIdFilter"}},
    "formatters": {"json_lines": {"()": "csa_site.logs.JsonLinesFormatter"}},
    "handlers": {
        "stderr": {"class": "logging.StreamHandler", "filters": ["request_id"], "formatter": "json_lines"},
    },
    "root": {"handlers": ["stderr"], "level": "WARNING"},
    # Each propagates to the root's handler; Django's own (console while DEBUG, mail) give way to it.
    "loggers": {
        "django": {"handlers": [], "level": "INFO"},
        "csa": {"level": os.getenv("LOG_LEVEL", "INFO")},
        "axes": {"level": "WARNING"},
    },
}
