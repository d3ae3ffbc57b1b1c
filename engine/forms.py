from django import forms

from engine.models import ItemDirective


class DirectiveForm(forms.Form):
    """Pin or veto one of the student's items, with a reason; the choices are the student's own items."""

    item = forms.TypedChoiceField(coerce=int, label="Item")
    kind = forms.ChoiceField(choices=ItemDirective.Kind.choices, label="Pin or veto", initial="pin")
    reason = forms.CharField(max_length=300, label="Why", widget=forms.TextInput(attrs={"size": 50}))

    def __init__(self, *args, placements=(), blockers=None, **kwargs):
        """``blockers``: why an item cannot be pinned now (``engine.selectors.pin_blockers``), shown beside
        it so the teacher knows before choosing (a veto is still possible)."""
        super().__init__(*args, **kwargs)
        blockers = blockers or {}
        self.fields["item"].choices = [
            (
                p.item_id,
                f"{p.item.title} ({p.playlist.title})"
                + (f" — {b}" if (b := blockers.get(p.item_id)) else ""),
            )
            for p in placements
        ]


class SandboxForm(forms.Form):
    """A what-if: one of the school's settings to a new value, over the last weeks, for a section or (school
    admins) the whole school. The value is validated as the setting itself is (engine.sandbox.thresholds)."""

    field = forms.ChoiceField(label="Setting")
    value = forms.CharField(max_length=20, label="New value")
    weeks = forms.IntegerField(min_value=1, max_value=12, initial=4, label="Replay the last … weeks")
    section = forms.TypedChoiceField(coerce=int, required=False, empty_value=None, label="Students")

    def __init__(self, *args, fields=(), current=None, sections=(), whole_school=True, **kwargs):
        super().__init__(*args, **kwargs)
        current = current or {}
        self.fields["field"].choices = [
            (name, f"{label} (now {current.get(name)})") for name, label in fields
        ]
        choices = [(s.pk, f"Section {s.name}") for s in sections]
        if whole_school:
            choices.insert(0, ("", "The whole school"))
        self.fields["section"].choices = choices
        self.fields["section"].required = not whole_school
