"""Forms of the dashboards: the grid's sort and filter (GET, validated; a bad value falls back to the
default instead of a 500) and the note on acknowledging or resolving a flag."""

from django import forms

from playlists.pace import Pace

SORTS = [
    ("name", "Name"),
    ("pace", "Pace (behind first)"),
    ("flags", "Open flags (most first)"),
    ("progress", "Progress (least first)"),
    ("competency", "Estimate on the chosen competency (lowest first)"),
]


class GridFilterForm(forms.Form):
    sort = forms.ChoiceField(choices=SORTS, required=False)
    pace = forms.ChoiceField(choices=[("", "Any pace"), *[(p.value, p.label) for p in Pace]], required=False)
    flagged = forms.BooleanField(required=False, label="Only students with open flags")
    competency = forms.TypedChoiceField(coerce=int, required=False, empty_value=None, label="Competency")
    name = forms.CharField(required=False, max_length=100, label="Name contains")

    def __init__(self, *args, competencies=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["competency"].choices = [("", "Any competency")] + [
            (c.pk, f"{c.code} — {c.title}"[:90]) for c in competencies
        ]

    def values(self) -> dict:
        """The valid choices; a field with a bad value is dropped (the grid shows the default)."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {name: data.get(name) for name in self.fields if name not in self.errors}


class FlagNoteForm(forms.Form):
    note = forms.CharField(required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
