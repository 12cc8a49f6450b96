from collections.abc import Callable

from django import forms
from django_otp.models import Device


class CodeForm(forms.Form):
    """A code from the person's authenticator app (or, at sign-in, a recovery code)."""

    code = forms.CharField(
        label="Code", max_length=20, strip=True,
        error_messages={"required": "Enter the code from your authenticator app"},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "spellcheck": "false", "class": "input-code"}),
    )

    def __init__(self, *args, check: Callable[[str], Device | None], seconds_to_wait: Callable[[], int],
                 wrong_message: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.check, self.seconds_to_wait, self.wrong_message = check, seconds_to_wait, wrong_message
        self.device = None

    def clean_code(self) -> str:
        code = self.cleaned_data["code"]
        # After a wrong code the next try must wait (1, 2, 4 ... seconds); a code given sooner is not tried.
        wait = self.seconds_to_wait()
        if wait:
            raise forms.ValidationError(
                f"A wrong code was given a moment ago: wait {wait} second{'s' if wait != 1 else ''} and try again."
            )
        self.device = self.check(code)
        if self.device is None:
            raise forms.ValidationError(self.wrong_message)
        return code
