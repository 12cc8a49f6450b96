from django.urls import path

from documents import urls as document_urls  # noqa: F401  (registers the <version:> converter)

from . import views

app_name = "delivery"

urlpatterns = [
    # Priority leads: the actions of their own priorities only.
    path("delivery/", views.lead_home, name="lead-home"),
    path("delivery/actions/<int:action_id>/", views.action_detail, name="action"),
    path("delivery/actions/<int:action_id>/change/", views.edit_action, name="edit-action"),
    path("delivery/actions/<int:action_id>/updates/add/", views.post_update, name="post-update"),
    path("delivery/updates/<int:update_id>/", views.edit_update, name="edit-update"),
    path("delivery/indicators/<int:indicator_id>/", views.indicator_detail, name="indicator"),
    path("delivery/indicators/<int:indicator_id>/values/add/", views.add_value, name="add-value"),
    path("delivery/indicators/<int:indicator_id>/values/import/", views.import_indicator_values,
         name="import-values"),
    # The Working Group's monitoring page for an edition.
    path("<slug:slug>/<version:number>/monitoring/", views.monitoring, name="monitoring"),
    path("<slug:slug>/<version:number>/monitoring/pdf/", views.monitoring_pdf, name="monitoring-pdf"),
    # KCST: chapter 5 drafted from the year's delivery.
    path("<slug:slug>/<version:number>/key-achievements/", views.proposed_achievements, name="achievements"),
    path("<slug:slug>/<version:number>/key-achievements/accept/", views.accept_achievement,
         name="accept-achievement"),
    path("<slug:slug>/<version:number>/key-achievements/discard/", views.discard_achievement,
         name="discard-achievement"),
]
