from django.urls import path

from . import kcst_views, views

app_name = "portal"

urlpatterns = [
    # District officers: their own partnership's return only.
    path("", views.home, name="home"),
    path("signed-in/", views.landing, name="landing"),
    path("returns/<int:return_id>/", views.return_detail, name="return"),
    path("returns/<int:return_id>/last-year/", views.last_year, name="last-year"),
    path("returns/<int:return_id>/last-year/start-from/", views.start_from_last_year, name="start-from-last-year"),
    path("returns/<int:return_id>/issues/add/", views.item_add, name="item-add"),
    path("returns/<int:return_id>/issues/<int:item_id>/", views.item_change, name="item-change"),
    path("returns/<int:return_id>/issues/<int:item_id>/remove/", views.item_remove, name="item-remove"),
    path("returns/<int:return_id>/issues/<int:item_id>/restore/", views.item_restore, name="item-restore"),
    path("returns/<int:return_id>/issues/<int:item_id>/move/", views.item_move, name="item-move"),
    path("returns/<int:return_id>/sign-off/", views.signoff, name="signoff"),
    path("returns/<int:return_id>/morile/add/", views.morile_add, name="morile-add"),
    path("returns/<int:return_id>/morile/<int:score_id>/", views.morile_change, name="morile-change"),
    path("returns/<int:return_id>/morile/<int:score_id>/remove/", views.morile_remove, name="morile-remove"),
    path("returns/<int:return_id>/check/", views.check_answers, name="check"),
    path("returns/<int:return_id>/submitted/", views.submitted, name="submitted"),
    # KCST: every cycle and every return.
    path("kcst/", kcst_views.home, name="kcst"),
    path("kcst/cycles/open/", kcst_views.cycle_open, name="cycle-open"),
    path("kcst/cycles/<int:cycle_id>/", kcst_views.cycle_dashboard, name="cycle"),
    path("kcst/cycles/<int:cycle_id>/appendix-a/", kcst_views.appendix_a, name="appendix-a"),
    path("kcst/cycles/<int:cycle_id>/returns.csv", kcst_views.export_csv, name="export-csv"),
    path("kcst/cycles/<int:cycle_id>/returns.xlsx", kcst_views.export_xlsx, name="export-xlsx"),
    path("kcst/cycles/<int:cycle_id>/tables/<slug:table>.csv", kcst_views.export_csv, name="table-csv"),
    path("kcst/cycles/<int:cycle_id>/tables/<slug:table>.xlsx", kcst_views.export_xlsx, name="table-xlsx"),
    path("kcst/cycles/<int:cycle_id>/import/", kcst_views.import_file, name="import"),
    path("kcst/returns/<int:return_id>/", kcst_views.return_review, name="review"),
    path("kcst/returns/<int:return_id>/remind/", kcst_views.return_remind, name="remind"),
    path("kcst/returns/<int:return_id>/accept/", kcst_views.return_accept, name="accept"),
    path("kcst/returns/<int:return_id>/return/", kcst_views.return_for_amendment, name="return-for-amendment"),
    path("kcst/returns/<int:return_id>/correct/", kcst_views.return_correct, name="correct"),
]
