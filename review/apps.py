from django.apps import AppConfig


class ReviewConfig(AppConfig):
    name = "review"
    verbose_name = "KCSP review"

    def ready(self):
        from . import record  # noqa: F401  (stores the review's comparison when an edition is published)
