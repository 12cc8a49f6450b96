from django.urls import path

from agreements import urls as agreement_urls  # noqa: F401  (registers the <version:> converter)

from . import views

app_name = "delivery"

urlpatterns = [
    # Priority leads: the actions of their own priorities only.
    path("delivery/", views.lead_home, name="lead-home"),
    path("delivery/actions/<int:action_id>/", views.action_detail, name="action"),
    path("delivery/actions/<int:action_id>/updates/add/", views.post_update, name="post-update"),
    path("delivery/updates/<int:update_id>/", views.edit_update, name="edit-update"),
    # The Working Group's monitoring page for an edition.
    path("<slug:slug>/<version:number>/monitoring/", views.monitoring, name="monitoring"),
]
