"""An upload form whose checked file rides along, signed, after a dry run: "Import" then needs no second
upload (a browser never refills a file input). The QTI and Common Cartridge imports use it."""

import base64

from django import forms
from django.core import signing


class CarriedUploadForm(forms.Form):
    """A subclass declares ``file`` (a ``FileField`` with ``required=False``) and its limits, and calls
    ``super().__init__(..., salt=...)`` with a salt naming the school's object and the person, so a token
    carried for one cannot be replayed for another. ``cleaned_data["upload"]`` is ``(name, bytes)``."""

    CARRY_BYTES = 1024 * 1024  # a hidden field bigger than this would pass Django's request body limit
    CARRY_SECONDS = 3600
    MAX_BYTES = 20 * 1024 * 1024
    MISSING = "This field is required."

    carried = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, salt: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.salt = salt

    def carry(self, *, name: str, data: bytes) -> str:
        """The signed token that stands for a checked upload ("" when too large to carry)."""
        if len(data) > self.CARRY_BYTES:
            return ""
        payload = {"name": name, "data": base64.b64encode(data).decode()}
        return signing.dumps(payload, salt=self.salt, compress=True)

    def clean(self):
        cleaned = super().clean()
        upload, token = cleaned.get("file"), cleaned.get("carried")
        if upload is not None:
            if upload.size > self.MAX_BYTES:
                self.add_error("file", f"The file is larger than {self.MAX_BYTES // (1024 * 1024)} MB.")
            else:
                cleaned["upload"] = (upload.name, upload.read())
        elif token:
            try:
                payload = signing.loads(token, salt=self.salt, max_age=self.CARRY_SECONDS)
                cleaned["upload"] = (str(payload["name"]), base64.b64decode(payload["data"]))
            except (signing.BadSignature, KeyError, TypeError, ValueError):
                self.add_error("file", "The checked file has expired or was altered: choose it again.")
        elif "file" not in self.errors:
            self.add_error("file", self.MISSING)
        return cleaned
