from django.urls import path

from . import views

urlpatterns = [
    path("review/", views.reviews_home, name="reviews_home"),
    path("review/replies/", views.choose_replies, name="choose_replies"),
    path("review/comments/", views.unresolved_comments, name="unresolved_comments"),
    path("review/comments/<int:pk>/answer/", views.answer_comment, name="answer_comment"),
    path("review/comments/<int:pk>/edit/", views.edit_comment, name="edit_comment"),
    path("review/comments/<int:pk>/delete/", views.delete_comment, name="delete_comment"),
    path("<slug:slug>/compare/", views.compare_versions, name="compare"),
    path("<slug:slug>/<version:number>/review/", views.review, name="review"),
    path("<slug:slug>/<version:number>/review/comments/", views.add_comment, name="add_comment"),
    path("<slug:slug>/<version:number>/review/comment/", views.comment_on, name="comment_on"),
    path("<slug:slug>/<version:number>/review/notes/accept/", views.accept_proposal, name="accept_proposal"),
    path("<slug:slug>/<version:number>/review/notes/discard/", views.discard_proposal, name="discard_proposal"),
]
