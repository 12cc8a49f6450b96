from django.apps import AppConfig


class SiteConfig(AppConfig):
    name = "csa_site"
    verbose_name = "Site"

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers the deployment checks)
