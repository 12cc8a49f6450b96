import os

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.generic import TemplateView

from . import views

handler500 = "csa_site.views.server_error"

urlpatterns = [
    path("favicon.ico", views.favicon, name="favicon"),
    path("admin/", admin.site.urls),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/", include("accounts.urls")),
    path("portal/", include("assessments.urls")),
    path("audit/", include("audit.urls")),
    path("desk/", include("desk.urls")),
    path("", include("delivery.urls")),
    path("", include("documents.urls")),
    path("", include("review.urls")),
    path("", include("annual_review.urls")),
]

# make bench only: the stack's floor, a constant template through every middleware (README, Performance).
if os.getenv("BENCH_FLOOR") == "1":
    urlpatterns.insert(0, path("bench/floor/", TemplateView.as_view(template_name="bench/floor.html")))
