"""The school admin's form for an external tool, and the teacher's for a tool item; they keep what was typed
on error."""

from django import forms

from lti_platform.models import ToolRegistration
from playlists.models import Competency, Playlist
from plp.outbound import field_screened


class ToolForm(forms.ModelForm):
    login_url = forms.URLField(label="OIDC login initiation URL", max_length=500, assume_scheme="https")
    launch_url = forms.URLField(label="Launch (target link) URL", max_length=500, assume_scheme="https")
    key_set_url = forms.URLField(label="Public key set (JWKS) URL", max_length=500, assume_scheme="https")
    more_redirect_uris = forms.CharField(
        label="Other redirect URIs",
        required=False,
        help_text="One per line, if the tool asks PLP to answer at another address than its launch URL.",
        widget=forms.Textarea(attrs={"rows": 2, "spellcheck": "false"}),
        max_length=10 * 500,
    )

    class Meta:
        model = ToolRegistration
        fields = ["name", "login_url", "launch_url", "key_set_url", "share_name_email", "is_enabled"]
        labels = {
            "share_name_email": "Send students' names and email addresses to this tool",
            "is_enabled": "Students may open this tool",
        }

    def clean_key_set_url(self) -> str:
        return field_screened(self.cleaned_data["key_set_url"])  # PLP's server reads it (plp/outbound.py)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["more_redirect_uris"] = "\n".join(self.instance.redirect_uris)

    def clean_more_redirect_uris(self) -> list[str]:
        field = forms.URLField(max_length=500, assume_scheme="https")
        uris = []
        for line in self.cleaned_data["more_redirect_uris"].splitlines():
            if line.strip():
                uris.append(field.clean(line.strip()))
        return uris[:10]

    def save(self, commit=True):
        self.instance.redirect_uris = self.cleaned_data["more_redirect_uris"]
        return super().save(commit=commit)


class ToolItemForm(forms.Form):
    title = forms.CharField(max_length=200)
    tool = forms.ModelChoiceField(queryset=ToolRegistration.objects.filter(is_enabled=True).order_by("name"))
    competencies = forms.ModelMultipleChoiceField(
        queryset=Competency.objects.order_by("code"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text="A completed score from the tool counts as evidence for these.",
    )
    playlist = forms.ModelChoiceField(
        queryset=Playlist.objects.order_by("title"),
        required=False,
        help_text="Add it at the end of this one.",
    )
    score_maximum = forms.FloatField(min_value=1, max_value=1000, initial=10, label="Points possible")
    estimated_minutes = forms.IntegerField(min_value=1, max_value=600, initial=20)
