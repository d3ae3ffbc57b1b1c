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
