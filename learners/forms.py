"""Forms for profiles and plans. They validate and keep what was typed; services do the writing."""

from django import forms

from learners.models import STAFF_FIELDS, TAG_FIELDS
from playlists.models import Competency

LABELS = {
    "interests": "Interests",
    "passions": "Passions",
    "learning_preferences": "How I learn best",
    "college_aspiration": "College I hope for",
    "career_aspiration": "Career I hope for",
    "strengths": "Strengths",
    "challenges": "Challenges",
    "accommodations": "Accommodations (staff only)",
}
HELP = {name: "Separate tags with commas." for name in TAG_FIELDS}


class ProfileForm(forms.Form):
    """Only the fields the person may edit are present (field-level rights)."""

    def __init__(self, *args, fields: tuple[str, ...], **kwargs):
        super().__init__(*args, **kwargs)
        for name in fields:
            if name in TAG_FIELDS:
                field = forms.CharField(max_length=1000, required=False)
            elif name in ("learning_preferences", "accommodations"):
                field = forms.CharField(
                    max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
                )
            else:
                field = forms.CharField(max_length=200, required=False)
            field.label = LABELS[name]
            field.help_text = HELP.get(name, "")
            self.fields[name] = field

    @staticmethod
    def initial_from(profile, fields: tuple[str, ...]) -> dict:
        initial = {}
        for name in fields:
            value = getattr(profile, name)
            initial[name] = ", ".join(value) if isinstance(value, list) else value
        return initial

    @property
    def staff_field_names(self) -> list[str]:
        return [name for name in self.fields if name in STAFF_FIELDS]


class CareerForm(forms.Form):
    name = forms.CharField(label="Career", max_length=150)
    description = forms.CharField(
        label="What it is", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    interest_tags = forms.CharField(
        label="Interests it fits", required=False, max_length=500, help_text="Separate tags with commas."
    )
    needed_courses = forms.CharField(
        label="Courses it needs",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One course per line.",
    )
    competencies = forms.ModelMultipleChoiceField(
        label="Competencies it needs", queryset=Competency.objects.order_by("code"), required=False
    )

    def clean_needed_courses(self) -> list[str]:
        return [
            line.strip()[:120] for line in self.cleaned_data["needed_courses"].splitlines() if line.strip()
        ]


class PlanForm(forms.Form):
    college_goal = forms.CharField(label="College goal", max_length=200, required=False)
    career_goal = forms.CharField(label="Career goal", max_length=200, required=False)
    courses_to_take = forms.CharField(
        label="Courses to take",
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="One course per line.",
    )

    def clean_courses_to_take(self) -> list[str]:
        lines = [line.strip() for line in self.cleaned_data["courses_to_take"].splitlines()]
        courses = [line[:120] for line in lines if line]
        if len(courses) > 20:
            raise forms.ValidationError("At most 20 courses.")
        return courses


class PlanFocusForm(forms.Form):
    competency = forms.ModelChoiceField(
        label="Competency", queryset=Competency.objects.order_by("code"), required=False
    )
    focus_area = forms.CharField(label="…or a focus area", max_length=200, required=False)
    target_date = forms.DateField(
        label="Target date", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self):
        data = super().clean()
        if not data.get("competency") and not (data.get("focus_area") or "").strip():
            raise forms.ValidationError("Choose a competency or name a focus area.")
        return data
