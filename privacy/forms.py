from django import forms

from privacy.models import ParentalConsent, PrivacySettings


class PrivacySettingsForm(forms.ModelForm):
    class Meta:
        model = PrivacySettings
        fields = ["audit_retention_days", "erase_departed_after_days", "evidence_on_erasure"]
        widgets = {"evidence_on_erasure": forms.RadioSelect}


class ConsentForm(forms.Form):
    under_13 = forms.BooleanField(required=False, label="Under 13")
    status = forms.ChoiceField(choices=ParentalConsent.Status.choices, label="Parental consent")
    note = forms.CharField(required=False, max_length=300, label="Note (how the parent answered)")


class EraseForm(forms.Form):
    confirm = forms.CharField(
        max_length=20, label="Type ERASE to confirm", help_text="This cannot be undone."
    )

    def clean_confirm(self):
        value = self.cleaned_data["confirm"]
        if value.strip() != "ERASE":
            raise forms.ValidationError("Type ERASE, in capitals, to confirm.")
        return value
