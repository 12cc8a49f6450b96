"""The forms KCST edits a draft's paragraphs and notes with (documents/editing.py)."""

from django import forms

from agreements.models import Footnote, Paragraph


class FormattedText(forms.Textarea):
    """A textarea that static/js/prose-editor.js turns into the rich-text editor; without script
    it stays a textarea of sanitised HTML."""

    def __init__(self, rows: int = 10):
        super().__init__(attrs={"rows": rows, "data-prose-editor": "", "class": "textarea"})


class RevisionedEdit(forms.ModelForm):
    """Carries the revision the page was read at: a save from an older copy is refused by the model
    (RevisionedModel raises StaleEdit), never written over someone else's change."""

    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["revision"].initial = self.instance.revision

    def save(self, commit: bool = True):
        self.instance.revision = self.cleaned_data["revision"]
        return super().save(commit)


class ParagraphForm(RevisionedEdit):
    class Meta:
        model = Paragraph
        fields = ["html", "style", "to_be_updated"]
        labels = {"html": "Text", "to_be_updated": "Mark this paragraph as to be updated"}
        help_texts = {
            "html": "Bold, italic, links, lists, superscript, subscript and tables are kept. "
            "To refer to one of the chapter's notes, write its reference, such as [^note-1a2b3c], "
            "where the number should appear.",
            "to_be_updated": "The edition cannot be published while any paragraph is marked.",
        }
        widgets = {"html": FormattedText(), "style": forms.RadioSelect}
        error_messages = {"html": {"required": "Enter the paragraph's text"}}


class FootnoteForm(RevisionedEdit):
    class Meta:
        model = Footnote
        fields = ["html"]
        labels = {"html": "Note"}
        help_texts = {"html": "Italic, bold and links are kept. The note's number follows the text's references."}
        widgets = {"html": FormattedText(rows=4)}
        error_messages = {"html": {"required": "Enter the note's text"}}
