from django.apps import AppConfig


class AnnualReviewConfig(AppConfig):
    name = "annual_review"
    verbose_name = "Annual reviews"
