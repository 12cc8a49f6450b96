from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "assessments"
    verbose_name = "Strategic assessments"

    def ready(self):
        from . import cycles  # noqa: F401  (connects the cycle that feeds a new draft)
        from . import keeping  # noqa: F401  (refuses deleting what fed a published edition)
