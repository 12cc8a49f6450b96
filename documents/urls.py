from django.urls import path, register_converter

from . import editing, views


class VersionNumber:
    regex = r"\d+\.\d+"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(VersionNumber, "version")

urlpatterns = [
    path("", views.home, name="home"),
    path("images/<str:name>", views.agreement_image, name="agreement_image"),
    path("<slug:slug>/<version:number>/", views.edition, name="edition"),
    path("<slug:slug>/<version:number>/pdf/", views.edition_pdf, name="edition_pdf"),
    # KCST edits the draft as a document (documents/editing.py).
    path("<slug:slug>/<version:number>/edit/chapters/<slug:key>/", editing.edit_chapter, name="edit_chapter"),
    path("<slug:slug>/<version:number>/edit/chapters/<slug:key>/add/", editing.add_paragraph,
         name="add_paragraph"),
    path("<slug:slug>/<version:number>/edit/chapters/<slug:key>/notes/add/", editing.add_note, name="add_note"),
    path("<slug:slug>/<version:number>/edit/paragraphs/<int:pk>/", editing.edit_paragraph, name="edit_paragraph"),
    path("<slug:slug>/<version:number>/edit/paragraphs/<int:pk>/move/", editing.move_paragraph,
         name="move_paragraph"),
    path("<slug:slug>/<version:number>/edit/paragraphs/<int:pk>/delete/", editing.delete_paragraph,
         name="delete_paragraph"),
    path("<slug:slug>/<version:number>/edit/notes/<int:pk>/", editing.edit_note, name="edit_note"),
    path("<slug:slug>/<version:number>/edit/notes/<int:pk>/delete/", editing.delete_note, name="delete_note"),
]
