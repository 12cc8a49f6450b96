"""Labels for the inputs of tabular inlines, which show a field's label only as a column heading."""

from django.forms.models import BaseInlineFormSet


class LabelledInlineFormSet(BaseInlineFormSet):
    """Each input is named for screen readers: its column and its row, e.g. "Order (row 3)"."""

    def add_fields(self, form, index):
        super().add_fields(form, index)
        row = "new row" if index is None else f"row {index + 1}"
        for field in form.fields.values():
            # The admin wraps related selects; the wrapped widget is the one rendered as the input.
            widget = getattr(field.widget, "widget", field.widget)
            widget.attrs["aria-label"] = f"{field.label} ({row})"
