"""How every form field renders (one template, so a field's label, help and errors always sit together), and
the one way a settings form keeps a secret."""

from urllib.parse import urlsplit

from django import forms
from django.conf import settings
from django.forms.renderers import TemplatesSetting


class FormRenderer(TemplatesSetting):
    """``{{ form.as_div }}`` and ``{{ field.as_field_group }}`` render each field with ``forms/field.html``:
    the label, the widget, its help, then its errors, which the widget names in ``aria-describedby`` (so
    a screen reader reads the message with the field, and the page shows it next to what was typed)."""

    field_template_name = "forms/field.html"


class StoredSecretForm(forms.ModelForm):
    """A settings form with one secret the server keeps encrypted (an LRS password, an OIDC client
    secret): never rendered back, typed only to set or change it — a blank field keeps the stored one —
    and required while none is stored. Subclasses name the field and say who hands out the secret."""

    secret_field: str = "secret"
    secret_missing: str = "Type the secret here."

    @staticmethod
    def secret_field_make(label: str) -> forms.CharField:
        return forms.CharField(
            label=label,
            required=False,
            strip=True,
            max_length=500,
            widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
        )

    def secret_help_set(self, hint: str = "") -> None:
        """Say a secret is stored (with an optional hint such as its last characters), or nothing."""
        if self.instance.pk and self.instance.has_secret and self.secret_field in self.fields:
            detail = f"encrypted, {hint}" if hint else "encrypted"
            self.fields[
                self.secret_field
            ].help_text = f"A secret is stored ({detail}); leave blank to keep it."

    def secret_required_check(self, data: dict) -> None:
        if not self.instance.has_secret and not data.get(self.secret_field):
            self.add_error(self.secret_field, self.secret_missing)


def https_in_production(url: str, message: str) -> str:
    """In production the server sends personal data or trusts keys only over https (plain http would let
    anyone on the path read the data or swap the keys); elsewhere http is allowed for local test servers."""
    if url and settings.PRODUCTION and urlsplit(url).scheme != "https":
        raise forms.ValidationError(message)
    return url
