"""What a browser would post back from an admin change page, unchanged: tests then change a few values."""


def form_values(form) -> dict:
    values = {}
    for bound in form:
        value = bound.value()
        if value is None or value is False:
            continue
        values[bound.html_name] = "on" if value is True else value
    return values


def change_page_data(response) -> dict:
    """Every field of the page's form and inline formsets, with the management forms."""
    data = form_values(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        data.update(form_values(formset.management_form))
        for form in formset.forms:
            data.update(form_values(form))
    return data


def add_rows(data: dict, prefix: str, rows: list[dict]) -> dict:
    """Append new rows to an inline formset, as 'Add another' does."""
    total = int(data[f"{prefix}-TOTAL_FORMS"])
    for i, row in enumerate(rows, start=total):
        data.update({f"{prefix}-{i}-{name}": value for name, value in row.items()})
    data[f"{prefix}-TOTAL_FORMS"] = total + len(rows)
    return data


def row_index(data: dict, prefix: str, record) -> str:
    """The number of the inline row that holds this record."""
    return next(name for name, value in data.items()
                if name.startswith(f"{prefix}-") and name.endswith("-id") and str(value) == str(record.pk)
                ).split("-")[1]
