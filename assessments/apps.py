from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "assessments"
    verbose_name = "Strategic assessments"

    def ready(self):
        from . import cycles  # noqa: F401  (connects the cycle that feeds a new draft)
