"""The school admin's LRS settings: kept as typed on error; the secret is never shown back (a blank one
keeps the stored secret)."""

from urllib.parse import urlsplit

from django import forms

from plp.forms import StoredSecretForm, https_in_production
from plp.outbound import field_screened
from xapi.models import LrsConnection


class LrsConnectionForm(StoredSecretForm):
    endpoint = forms.URLField(
        label="LRS endpoint",
        max_length=500,
        assume_scheme="https",
        help_text=LrsConnection._meta.get_field("endpoint").help_text,
    )
    secret = StoredSecretForm.secret_field_make("Secret (password)")
    secret_missing = "The LRS gives a secret with the key: type it here."

    class Meta:
        model = LrsConnection
        fields = ["endpoint", "key", "secret", "enabled", "identify_by_email"]

    def __init__(self, *args, secret_hint: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.order_fields(self.Meta.fields)
        self.secret_help_set(secret_hint)

    def clean_endpoint(self):
        endpoint = self.cleaned_data["endpoint"].strip()
        parts = urlsplit(endpoint)
        if parts.query or parts.fragment:
            raise forms.ValidationError("Give the LRS's xAPI address without ?query or #fragment.")
        https_in_production(endpoint, "Use the LRS's https:// address: statements are personal data.")
        path = parts.path.rstrip("/")
        if path.endswith("/statements"):  # the statements resource pasted: keep its base
            path = path[: -len("/statements")]
        return field_screened(parts._replace(path=path + "/").geturl())

    def clean_key(self):
        key = self.cleaned_data["key"].strip()
        if ":" in key:
            raise forms.ValidationError("A basic-auth key cannot contain a colon.")
        return key

    def clean(self):
        data = super().clean()
        self.secret_required_check(data)
        return data
