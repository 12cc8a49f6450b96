from django.apps import AppConfig


class AnnualReviewConfig(AppConfig):
    name = "annual_review"
    verbose_name = "Annual reviews"

    def ready(self):
        from . import home  # noqa: F401  (lists reviews awaiting a member on their home)
