from django.urls import path, register_converter

from . import views


class VersionNumber:
    regex = r"\d+\.\d+"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(VersionNumber, "version")

urlpatterns = [
    path("", views.home, name="home"),
    path("<slug:slug>/<version:number>/", views.edition, name="edition"),
    path("<slug:slug>/<version:number>/pdf/", views.edition_pdf, name="edition_pdf"),
]
