"""Forms of the level pages. They keep what was typed on error; services do the writing."""

from django import forms

from agency.models import MAX_RUNGS
from agency.policy import Checks, Goals, Picks


class LevelChangeForm(forms.Form):
    to_rank = forms.TypedChoiceField(label="Move to level", coerce=int, choices=())
    reason = forms.CharField(
        label="Why (the student reads this)", max_length=500, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, rungs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_rank"].choices = [(r.rank, f"{r.rank}. {r.name}") for r in rungs]


class DeclineForm(forms.Form):
    decline_reason = forms.CharField(
        label="Why not now", max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )


class PaceTargetForm(forms.Form):
    pace_target = forms.IntegerField(label="Items I mean to finish each week", min_value=1, max_value=50)


class LadderSettingsForm(forms.Form):
    start_rank = forms.TypedChoiceField(
        label="New students start at",
        coerce=int,
        empty_value=None,
        required=False,
        choices=(),
        help_text="Empty: the top level (everyone keeps full freedom until placed).",
    )
    weeks = forms.IntegerField(label="Weeks of evidence the suggestion reads", min_value=1, max_value=12)

    def __init__(self, *args, rungs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["start_rank"].choices = [("", "The top level")] + [
            (r.rank, f"{r.rank}. {r.name}") for r in rungs[:MAX_RUNGS]
        ]


class RungForm(forms.Form):
    """One level of the school's ladder; a blank name leaves the row out (the extra row adds a level)."""

    name = forms.CharField(label="Name", max_length=60, required=False)
    description = forms.CharField(label="What it means, for the student", max_length=300, required=False)
    picks = forms.ChoiceField(label="Next item", choices=[(p.value, p.label) for p in Picks])
    goals = forms.ChoiceField(label="Goals", choices=[(g.value, g.label) for g in Goals])
    checks = forms.ChoiceField(label="Mastery checks", choices=[(c.value, c.label) for c in Checks])
    own_pace_target = forms.BooleanField(label="Own pace target", required=False)


RungFormSet = forms.formset_factory(RungForm, extra=1, max_num=MAX_RUNGS, absolute_max=MAX_RUNGS + 1)
