from django.urls import path

from . import views

urlpatterns = [path("changes/", views.recent, name="recent_changes")]
