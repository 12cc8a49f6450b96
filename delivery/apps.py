from django.apps import AppConfig


class DeliveryConfig(AppConfig):
    name = "delivery"
    verbose_name = "Delivery"

    def ready(self):
        from . import signals  # noqa: F401  (connects the refresh's carrier)
