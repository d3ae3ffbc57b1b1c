"""The admin's forms: a provider (from a preset) and the school's policy. They keep what was typed on
error; a client secret is never shown back (a blank one keeps the stored secret)."""

from django import forms

from plp.forms import StoredSecretForm, https_in_production
from plp.outbound import field_screened
from schools.roles import Role
from sso.models import SsoPolicy, SsoProvider
from sso.oidc import DiscoveryError, oidc_discover
from sso.presets import OIDC, PRESETS
from sso.saml import MetadataError, idp_metadata_read

OIDC_FIELDS = ["name", "issuer", "client_id", "client_secret", "scopes", "email_claim", "username_claim",
               "sourced_id_claim", "is_enabled", "district_wide"]  # fmt: skip
SAML_FIELDS = ["name", "idp_metadata_url", "idp_metadata_xml", "email_claim", "username_claim",
               "sourced_id_claim", "is_enabled", "district_wide"]  # fmt: skip
LABELS = {
    "name": "Name on the button",
    "issuer": "Issuer",
    "client_id": "Client ID",
    "idp_metadata_url": "IdP metadata URL",
    "idp_metadata_xml": "…or the IdP metadata XML",
    "email_claim": "Email comes in",
    "username_claim": "Username comes in",
    "sourced_id_claim": "Roster sourcedId comes in",
    "is_enabled": "Show this sign-in on the school's sign-in page",
    "district_wide": "Offer it at every school of the district too",
}


class ProviderForm(StoredSecretForm):
    issuer = forms.URLField(label="Issuer", max_length=300, required=False, assume_scheme="https")
    idp_metadata_url = forms.URLField(
        label="IdP metadata URL", max_length=500, required=False, assume_scheme="https"
    )
    client_secret = StoredSecretForm.secret_field_make("Client secret")
    secret_field = "client_secret"
    secret_missing = "The provider gives a client secret with the client ID."

    class Meta:
        model = SsoProvider
        fields = sorted((set(OIDC_FIELDS) | set(SAML_FIELDS)) - {"client_secret"})
        labels = LABELS
        widgets = {"idp_metadata_xml": forms.Textarea(attrs={"rows": 5, "spellcheck": "false"})}

    def __init__(self, *args, kind: str, can_share: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        keep = [
            name
            for name in (OIDC_FIELDS if kind == OIDC else SAML_FIELDS)
            if can_share or name != "district_wide"
        ]
        self.fields = {name: self.fields[name] for name in keep}  # in the order an admin fills them
        if kind == OIDC:
            self.fields["issuer"].required = True
            self.fields["client_id"].required = True
            self.secret_help_set()
            self.fields["issuer"].help_text = "Its discovery document is read from here when you save."
        else:
            self.fields["idp_metadata_url"].help_text = "Read when you save (or paste the XML below)."
        self.discovered: dict | None = None
        self.saml_entity_id = ""

    def clean_issuer(self):
        issuer = self.cleaned_data.get("issuer", "")
        if "<tenant-id>" in issuer or "%3Ctenant-id%3E" in issuer:
            raise forms.ValidationError("Replace <tenant-id> with your Entra directory (tenant) id.")
        return _https_in_production(issuer)

    def clean_idp_metadata_url(self):
        return _https_in_production(self.cleaned_data.get("idp_metadata_url", ""))

    def clean(self):
        data = super().clean()
        if self.kind == OIDC:
            self.secret_required_check(data)
            if data.get("issuer") and not self.errors:
                try:
                    self.discovered = oidc_discover(issuer=data["issuer"])
                except DiscoveryError as error:
                    self.add_error("issuer", str(error))
        elif not self.errors:
            try:
                xml, self.saml_entity_id = idp_metadata_read(
                    url=data.get("idp_metadata_url", ""), xml=data.get("idp_metadata_xml", "")
                )
                data["idp_metadata_xml"] = xml
            except MetadataError as error:
                field = "idp_metadata_url" if data.get("idp_metadata_url") else "idp_metadata_xml"
                self.add_error(field, str(error))
        return data

    def apply(self) -> SsoProvider:
        """The provider with what was typed and discovered (not saved: the service saves)."""
        provider = self.instance
        for name, value in self.cleaned_data.items():
            if name != "client_secret":
                setattr(provider, name, value)
        if self.discovered is not None:
            provider.oidc_metadata = self.discovered
        if self.saml_entity_id:
            provider.idp_entity_id = self.saml_entity_id
        return provider


def _https_in_production(url: str) -> str:
    """In production the server fetches only https addresses for an admin: the provider's own (plain
    http would let anyone on the path swap the keys that sign identities)."""
    return field_screened(https_in_production(url, "Use the provider's https:// address."))


def provider_initial(preset_key: str) -> dict:
    preset = PRESETS[preset_key]
    return {
        "name": preset.label if preset.key not in ("oidc", "saml") else "",
        "issuer": preset.issuer,
        "scopes": preset.scopes,
        "email_claim": preset.email_claim,
        "username_claim": preset.username_claim,
        "sourced_id_claim": preset.sourced_id_claim,
        "is_enabled": True,
    }


REQUIRABLE_ROLES = [(role.value, role.label) for role in Role]


class PolicyForm(forms.ModelForm):
    required_roles = forms.MultipleChoiceField(
        label="Must sign in with single sign-on (no password)",
        choices=REQUIRABLE_ROLES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="People holding one of these roles here are refused at the password login and sent to "
        "this school's sign-in buttons.",
    )

    class Meta:
        model = SsoPolicy
        fields = ["match_by", "allowed_domains", "create_accounts", "required_roles"]
        labels = {
            "match_by": "Link a signed-in account to a person by",
            "allowed_domains": "Only accounts from these email domains",
            "create_accounts": "Create a student account for someone not in the roster",
        }
        widgets = {"match_by": forms.RadioSelect}
