from django import forms

FIELDS = {
    "note": lambda: forms.CharField(
        label="Note", required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Why, or anything the next people should know. Required when returning to draft.",
    ),
    "meeting_date": lambda: forms.DateField(
        label="Date of the KCSP meeting", required=False, help_text="For example, 2025-03-15.",
        widget=forms.DateInput(attrs={"type": "date"}),
    ),
    "comments_by": lambda: forms.DateField(
        label="Comments by", required=False, help_text="Optional: the date reviewers are asked to comment by, "
        "for example 2025-02-28. Later comments are still accepted, marked late.",
        widget=forms.DateInput(attrs={"type": "date"}),
    ),
    "minute": lambda: forms.CharField(
        label="Minute reference or resolution", required=False, max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text='For example: "RESOLVED that the priorities be agreed".',
    ),
    "publish_with_provisional": lambda: forms.BooleanField(
        label="Publish even though some returns feeding Appendix A are still provisional", required=False,
    ),
}


def transition_form(t, data=None, revision: int = 0) -> forms.Form:
    """A form holding only the details this step of the workflow asks for.

    It carries the version's revision, so a move made from a stale page is refused.
    """
    form = forms.Form(data)
    form.fields["edit_revision"] = forms.IntegerField(widget=forms.HiddenInput, initial=revision)
    for name in t.fields:
        form.fields[name] = FIELDS[name]()
    return form
