"""One-line text: names, titles and labels refuse line breaks and other control characters.

A line break in a name reaches e-mail headers, CSV cells and page titles, where it breaks them; the
rule stops it at the form, naming the field.
"""

import re

from django.core.exceptions import ValidationError
from django.db import models

# C0 and C1 control characters (line feed, carriage return, tab, escape, NUL ...) and Unicode's line
# and paragraph separators.
CONTROL_CHARACTERS = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")


class OneLine:
    """The rule as a validator, for a form field of its own (the model's fields have it already)."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __call__(self, value: str) -> None:
        if CONTROL_CHARACTERS.search(str(value)):
            raise ValidationError(
                f"Write the {self.name} on one line, without line breaks or other control characters",
                code="one_line",
            )


class OneLineField(models.CharField):
    """A CharField whose every form (the admin's, the portal's) refuses control characters."""

    def validate(self, value, model_instance) -> None:
        super().validate(value, model_instance)
        OneLine(str(self.verbose_name))(value)

    def deconstruct(self):
        # The column is a plain CharField: the rule is the forms', so migrations need not know it.
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.CharField", args, kwargs
