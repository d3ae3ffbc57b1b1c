"""Forms of the onboarding, people and mentor pages. They keep what was typed when they come back."""

import zoneinfo

from django import forms

from schools.models import IDLE_MINUTES_MAX, IDLE_MINUTES_MIN, School, Section
from schools.rostering import spec

GRADE_LABELS = {
    "IT": "Infant/toddler",
    "PR": "Preschool",
    "PK": "Pre-kindergarten",
    "TK": "Transitional kindergarten",
    "KG": "Kindergarten",
    "PS": "Postsecondary",
    "UG": "Ungraded",
    "Other": "Other",
}
GRADE_CHOICES = [(g, GRADE_LABELS.get(g) or f"Grade {int(g)}") for g in spec.GRADES]


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple) and data:
            return [single(d, initial) for d in data]
        return [single(data, initial)]


def _timezone_field() -> forms.ChoiceField:
    zones = sorted(zoneinfo.available_timezones())
    return forms.ChoiceField(label="Time zone", choices=[(z, z) for z in zones])


class SchoolDetailsForm(forms.Form):
    name = forms.CharField(label="School name", max_length=200)
    timezone = _timezone_field()
    grade_levels = forms.MultipleChoiceField(
        label="Grade levels", choices=GRADE_CHOICES, required=False, widget=forms.CheckboxSelectMultiple
    )
    idle_minutes_staff = forms.IntegerField(
        label="Sign staff out after (minutes without activity)",
        required=False,
        min_value=IDLE_MINUTES_MIN,
        max_value=IDLE_MINUTES_MAX,
        help_text=f"{IDLE_MINUTES_MIN} to {IDLE_MINUTES_MAX}. Teachers, mentors and admins.",
    )
    idle_minutes_students = forms.IntegerField(
        label="Sign students out after (minutes without activity)",
        required=False,
        min_value=IDLE_MINUTES_MIN,
        max_value=IDLE_MINUTES_MAX,
        help_text="Shorter, for shared classroom devices. Someone who is both gets the shorter one.",
    )
    term_name = forms.CharField(
        label="Add a term (optional)", max_length=120, required=False, help_text="e.g. 2026–27"
    )
    term_start = forms.DateField(
        label="Term starts", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    term_end = forms.DateField(
        label="Term ends", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self):
        data = super().clean()
        parts = [data.get("term_name"), data.get("term_start"), data.get("term_end")]
        if any(parts) and not all(parts):
            raise forms.ValidationError("To add a term, give its name, start date and end date.")
        if all(parts) and data["term_end"] < data["term_start"]:
            self.add_error("term_end", "A term cannot end before it starts.")
        return data


class RosterUploadForm(forms.Form):
    files = MultipleFileField(
        label="OneRoster files",
        help_text="A zip exported by your student information system, or its CSV files (manifest.csv, "
        "users.csv, classes.csv, enrollments.csv, academicSessions.csv, orgs.csv…).",
    )


class ImportConfirmForm(forms.Form):
    skip_problem_rows = forms.BooleanField(
        label="Skip the rows with errors listed above and import the rest", required=False
    )


class SchoolCreateForm(forms.Form):
    name = forms.CharField(label="School name", max_length=200)
    slug = forms.SlugField(
        label="Address",
        max_length=80,
        help_text="Used in links: /s/<address>/. Lowercase letters, digits, -.",
    )
    timezone = _timezone_field()
    admin_email = forms.EmailField(label="First school admin's email")
    admin_given_name = forms.CharField(label="Their given name", max_length=150)
    admin_family_name = forms.CharField(label="Their family name", max_length=150)

    def clean_slug(self):
        slug = self.cleaned_data["slug"].lower()
        if School.objects.filter(slug=slug).exists():
            raise forms.ValidationError("Another school already uses this address.")
        return slug


class SectionForm(forms.ModelForm):
    """A section's name, code, subject and term (the term list is the active school's only)."""

    class Meta:
        model = Section
        fields = ["name", "code", "subject", "term"]


class PersonEmailForm(forms.Form):
    email = forms.EmailField(label="Email address", max_length=254)
