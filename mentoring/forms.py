"""Forms for goals and check-ins. They keep what was typed on error; services do the writing."""

import datetime as dt

from django import forms
from django.utils import timezone

from mastery.selectors import student_competencies
from mentoring.models import CheckIn, Goal
from mentoring.selectors import MAX_WEEKLY_GOALS
from playlists.models import Competency, ContentItem
from playlists.selectors import student_assignments
from plp.timefmt import format_day

NOT_REVIEWED = ""  # a goal the check-in did not touch: no review is recorded for it


class WeeklyGoalsForm(forms.Form):
    """Up to the week's remaining slots of goal text; at least one."""

    competencies = forms.ModelMultipleChoiceField(
        label="Competencies these goals work on (optional)",
        queryset=Competency.objects.none(),
        required=False,
    )

    items = forms.ModelMultipleChoiceField(
        label="Playlist items these goals work on (optional)",
        queryset=ContentItem.objects.none(),
        required=False,
    )

    def __init__(self, *args, slots: int, student=None, today: dt.date | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.slots = slots
        # Next week's form sits beside this week's from Friday on: its labels say which week they are for.
        week = "" if self.prefix is None else "Next week: "
        for n in range(1, slots + 1):
            self.fields[f"goal_{n}"] = forms.CharField(
                label=f"{week}goal {n}" if week else f"Goal {n}", max_length=300, required=False
            )
        if week:
            self.fields["competencies"].label = "Competencies next week's goals work on (optional)"
            self.fields["items"].label = "Playlist items next week's goals work on (optional)"
        if student is not None:  # the student's own competencies, and the items of their assigned playlists
            self.fields["competencies"].queryset = student_competencies(
                student=student, today=today or timezone.localdate()
            ).order_by("code", "pk")
            assigned = student_assignments(student=student).values("playlist_id")
            self.fields["items"].queryset = (
                ContentItem.objects.filter(placements__playlist_id__in=assigned).distinct().order_by("title")
            )
        self.order_fields([f"goal_{n}" for n in range(1, slots + 1)] + ["competencies", "items"])

    def clean(self):
        data = super().clean()
        texts = [data.get(f"goal_{n}", "").strip() for n in range(1, self.slots + 1)]
        data["texts"] = [t for t in texts if t]
        if not data["texts"]:
            raise forms.ValidationError(f"Write 1 to {MAX_WEEKLY_GOALS} goals for the week.")
        return data


class LongRangeGoalForm(forms.Form):
    text = forms.CharField(label="Long-range goal", max_length=300)
    due_date = forms.DateField(
        label="Target date", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class ReflectionForm(forms.Form):
    status = forms.ChoiceField(
        label="How did it go?",
        choices=[(s, label) for s, label in Goal.Status.choices if s != Goal.Status.OPEN],
        widget=forms.RadioSelect,
    )
    reflection = forms.CharField(label="One sentence about it", max_length=1000)


class CheckInFieldsForm(forms.ModelForm):
    """The check-in's own fields: what a mentor records, and later corrects (``instance=`` fills them)."""

    class Meta:
        model = CheckIn
        fields = list(CheckIn.OWN_FIELDS)
        widgets = {
            **{
                habit: forms.Select(choices=[("", "Not rated"), *CheckIn.RATING_CHOICES])
                for habit in CheckIn.HABITS
            },
            "date": forms.DateInput(attrs={"type": "date"}),
            "follow_up_date": forms.DateInput(attrs={"type": "date"}),
            "shared_notes": forms.Textarea(attrs={"rows": 3}),
            "private_notes": forms.Textarea(attrs={"rows": 3}),
            "next_steps": forms.Textarea(attrs={"rows": 2}),
        }
        labels = {
            "shared_notes": "Notes shared with the student",
            "private_notes": "Private notes (mentors and school admins only)",
            **{habit: f"{label} (1–4)" for habit, label in CheckIn.HABIT_LABELS.items()},
        }

    @property
    def head_fields(self):
        return [self["date"], self["format"]]

    @property
    def note_fields(self):
        return [self[name] for name in ("shared_notes", "private_notes", "next_steps", "follow_up_date")]

    @property
    def habit_fields(self):
        return [self[name] for name in CheckIn.HABITS]

    def check_in_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}

    def _post_clean(self):
        # The service builds (or corrects) and validates the CheckIn, with its student and mentor; here only
        # the fields. So a form bound to a check-in never changes that instance itself.
        pass


class CheckInEditForm(CheckInFieldsForm):
    """Correcting a check-in: its fields, and the ``version`` of the check-in the form was opened on."""

    version = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].initial = self.instance.version

    def expected_version(self) -> str | None:
        return self.cleaned_data.get("version") or None

    def reopen_on(self, version: str) -> None:
        """After a refusal: what was typed stays, and the form now stands on the current version, so saving
        again (having looked) replaces the other change."""
        self.data = self.data.copy()
        self.data[self.add_prefix("version")] = version


class CheckInForm(CheckInFieldsForm):
    """Recording a check-in: its fields and a status for each goal reviewed."""

    def __init__(self, *args, goals: list[Goal], **kwargs):
        super().__init__(*args, **kwargs)
        self.goals = goals
        for goal in goals:
            when = f"week of {format_day(goal.week_of)}" if goal.week_of else "long-range"
            field = forms.ChoiceField(
                label=f"{goal.text} ({when})",
                choices=[(NOT_REVIEWED, f"Not reviewed ({goal.get_status_display()})"), *Goal.Status.choices],
                required=False,
            )
            field.goal = goal
            self.fields[f"goal_{goal.pk}"] = field

    @property
    def goal_fields(self):
        return [self[f"goal_{goal.pk}"] for goal in self.goals]

    def reviews(self) -> dict[int, str]:
        """The goals the mentor gave a status in this check-in (the same status included: reviewed, still
        open); a goal left at "Not reviewed" is not one of the check-in's goals reviewed."""
        reviews = {}
        for goal in self.goals:
            chosen = self.cleaned_data.get(f"goal_{goal.pk}") or NOT_REVIEWED
            if chosen != NOT_REVIEWED:
                reviews[goal.pk] = chosen
        return reviews
