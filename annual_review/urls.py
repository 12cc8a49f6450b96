from django.urls import path

from . import views

app_name = "annual_review"

REVIEW = "<slug:slug>/annual-reviews/<str:label>/"

urlpatterns = [
    path("<slug:slug>/annual-reviews/", views.reviews, name="reviews"),
    path(REVIEW, views.review, name="review"),
    path(f"{REVIEW}report/", views.report, name="report"),
    path(f"{REVIEW}comments/", views.comment, name="comment"),
    path(f"{REVIEW}pdf/", views.review_pdf, name="review_pdf"),
    path(f"{REVIEW}report/pdf/", views.report_pdf, name="report_pdf"),
    path(f"{REVIEW}edit/", views.edit_texts, name="edit_texts"),
    path(f"{REVIEW}evidence/<slug:block>/", views.edit_evidence, name="edit_evidence"),
    path(f"{REVIEW}proposals/add/", views.add_proposal, name="add_proposal"),
    path(f"{REVIEW}proposals/<int:pk>/", views.edit_proposal, name="edit_proposal"),
    path(f"{REVIEW}proposals/<int:pk>/delete/", views.delete_proposal, name="delete_proposal"),
    path(f"{REVIEW}recommendations/add/", views.add_recommendation, name="add_recommendation"),
    path(f"{REVIEW}recommendations/prefill/", views.prefill_recommendations, name="prefill_recommendations"),
    path(f"{REVIEW}recommendations/<int:pk>/", views.edit_recommendation, name="edit_recommendation"),
    path(f"{REVIEW}recommendations/<int:pk>/delete/", views.delete_recommendation, name="delete_recommendation"),
    path(f"{REVIEW}send/", views.send_for_review, name="send_for_review"),
    path(f"{REVIEW}back-to-draft/", views.back_to_draft, name="back_to_draft"),
    path(f"{REVIEW}decision/", views.record_decision, name="record_decision"),
    path(f"{REVIEW}apply/", views.apply, name="apply"),
    path(f"{REVIEW}publish/", views.publish, name="publish"),
]
