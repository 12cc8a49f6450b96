"""`manage.py check --deploy`: what a production set-up of this application needs beyond Django's own checks."""

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register

LOCAL_EMAIL_BACKENDS = {
    "django.core.mail.backends.console.EmailBackend",
    "django.core.mail.backends.locmem.EmailBackend",
    "django.core.mail.backends.dummy.EmailBackend",
    "django.core.mail.backends.filebased.EmailBackend",
}


@register(Tags.security, deploy=True)
def site_url_is_https(app_configs, **kwargs):
    if not settings.SITE_URL.startswith("https://"):
        return [Warning(
            f"SITE_URL is {settings.SITE_URL!r}: the links in every e-mail start with it.",
            hint="Set SITE_URL to the site's https address, e.g. https://csa.example.org.",
            id="csa.W001",
        )]
    return []


@register(Tags.security, deploy=True)
def secret_key_is_real(app_configs, **kwargs):
    if settings.SECRET_KEY == settings.LOCAL_SECRET:
        return [Error(
            "SECRET_KEY is the public value meant for a local run: anyone could sign sessions and reset links.",
            hint="Set SECRET_KEY to 50 or more random characters, kept out of the repository.",
            id="csa.E001",
        )]
    return []


@register(Tags.security, deploy=True)
def email_leaves_the_server(app_configs, **kwargs):
    if settings.EMAIL_BACKEND in LOCAL_EMAIL_BACKENDS:
        return [Warning(
            f"EMAIL_BACKEND is {settings.EMAIL_BACKEND}: no e-mail would reach anyone.",
            hint="Set EMAIL_BACKEND to django.core.mail.backends.smtp.EmailBackend and the EMAIL_HOST settings.",
            id="csa.W002",
        )]
    return []
