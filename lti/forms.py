"""The admin's form for an LMS registration; it keeps what was typed on error."""

from django import forms

from lti.models import LtiRegistration
from plp.outbound import field_screened

MAX_DEPLOYMENTS = 50


class RegistrationForm(forms.ModelForm):
    issuer = forms.URLField(label="Issuer (iss)", max_length=300, assume_scheme="https")
    auth_login_url = forms.URLField(label="OIDC authorization URL", max_length=500, assume_scheme="https")
    auth_token_url = forms.URLField(label="Access token URL", max_length=500, assume_scheme="https")
    key_set_url = forms.URLField(label="Public key set (JWKS) URL", max_length=500, assume_scheme="https")
    deployment_ids = forms.CharField(
        label="Deployment ids",
        help_text="One per line: the installs of PLP in the LMS that belong to this school.",
        widget=forms.Textarea(attrs={"rows": 3, "spellcheck": "false"}),
        max_length=MAX_DEPLOYMENTS * 256,
    )

    class Meta:
        model = LtiRegistration
        fields = ["name", "issuer", "client_id", "deployment_ids", "auth_login_url", "auth_token_url",
                  "key_set_url", "auth_audience", "match_by", "is_enabled"]  # fmt: skip
        labels = {"client_id": "Client id", "match_by": "Find a person launched the first time by",
                  "is_enabled": "Accept launches from this LMS"}  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["deployment_ids"] = "\n".join(
                self.instance.deployments.values_list("deployment_id", flat=True)
            )

    # PLP's server fetches these two (the LMS's access tokens and keys): never an internal address.
    def clean_auth_token_url(self) -> str:
        return field_screened(self.cleaned_data["auth_token_url"])

    def clean_key_set_url(self) -> str:
        return field_screened(self.cleaned_data["key_set_url"])

    def clean_deployment_ids(self) -> list[str]:
        ids = []
        for line in self.cleaned_data["deployment_ids"].splitlines():
            value = line.strip()
            if not value:
                continue
            if len(value) > 255 or "\x00" in value:
                raise forms.ValidationError("A deployment id has 255 characters at most.")
            if value not in ids:
                ids.append(value)
        if not ids:
            raise forms.ValidationError("Give at least one deployment id.")
        if len(ids) > MAX_DEPLOYMENTS:
            raise forms.ValidationError(f"{MAX_DEPLOYMENTS} deployment ids at most.")
        return ids
