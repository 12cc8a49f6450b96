from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "documents"
    verbose_name = "Documents"

    def ready(self):
        from . import snapshot  # noqa: F401  (keeps editions as they are published)
