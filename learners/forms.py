"""Forms for profiles and plans. They validate and keep what was typed; services do the writing."""

from django import forms

from learners.models import STAFF_FIELDS, TAG_FIELDS
from playlists.models import Competency
from playlists.selectors import assessable_competencies

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


class CourseLinesField(forms.CharField):
    """Course names typed one per line (a career's needed courses, a plan's courses to take): blank lines
    dropped, each name cut to 120 characters, at most ``most`` of them when given."""

    def __init__(self, *, rows: int, most: int | None = None, **kwargs):
        kwargs.setdefault("help_text", "One course per line.")
        super().__init__(required=False, widget=forms.Textarea(attrs={"rows": rows}), **kwargs)
        self.most = most

    def clean(self, value) -> list[str]:
        courses = [line.strip()[:120] for line in super().clean(value).splitlines() if line.strip()]
        if self.most is not None and len(courses) > self.most:
            raise forms.ValidationError(f"At most {self.most} courses.")
        return courses


class CareerForm(forms.Form):
    name = forms.CharField(label="Career", max_length=150)
    description = forms.CharField(
        label="What it is", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    interest_tags = forms.CharField(
        label="Interests it fits", required=False, max_length=500, help_text="Separate tags with commas."
    )
    needed_courses = CourseLinesField(label="Courses it needs", max_length=2000, rows=3)
    competencies = forms.ModelMultipleChoiceField(
        label="Competencies it needs", queryset=Competency.objects.order_by("code"), required=False
    )


class PlanForm(forms.Form):
    college_goal = forms.CharField(label="College goal", max_length=200, required=False)
    career_goal = forms.CharField(label="Career goal", max_length=200, required=False)
    courses_to_take = CourseLinesField(label="Courses to take", max_length=3000, rows=4, most=20)


class PlanFocusForm(forms.Form):
    """A focus is a competency the student masters by a check (``assessable_competencies``: the school's
    standards, never a domain grouping them), or a focus area in words."""

    competency = forms.ModelChoiceField(
        label="Competency",
        queryset=Competency.objects.none(),
        required=False,
        error_messages={
            "invalid_choice": "Choose one of the listed competencies: this school's, each one a student "
            "masters by a check (not a domain that groups them)."
        },
    )
    focus_area = forms.CharField(label="…or a focus area", max_length=200, required=False)
    target_date = forms.DateField(
        label="Target date", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["competency"].queryset = assessable_competencies().order_by("code")

    def clean(self):
        data = super().clean()
        if "competency" in self.errors:  # a competency was chosen, a wrong one: its own error says so
            return data
        if not data.get("competency") and not (data.get("focus_area") or "").strip():
            raise forms.ValidationError("Choose a competency or name a focus area.")
        return data
