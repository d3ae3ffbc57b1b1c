"""Forms of the workshops pages. They keep what was typed on error; services do the writing and the
refusals (which land next to the field they are about)."""

from django import forms

from accounts.models import User
from playlists.models import Competency
from schools.models import Section
from workshops.models import MAX_CAPACITY, LearningBlock, Seat, Weekday
from workshops.services import OUTCOME_MAX

TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class BlockForm(forms.Form):
    weekday = forms.TypedChoiceField(choices=Weekday.choices, coerce=int)
    starts = forms.TimeField(label="Starts at", widget=TIME, help_text="School time, 24-hour clock.")
    ends = forms.TimeField(label="Ends at", widget=TIME)
    label = forms.CharField(max_length=80, required=False, help_text="e.g. “Personalized learning time”.")

    def clean(self):
        data = super().clean()
        if data.get("starts") and data.get("ends") and data["ends"] <= data["starts"]:
            self.add_error("ends", "A block ends after it starts.")
        return data


class BlockChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: LearningBlock) -> str:
        return f"{obj} · {obj.title}"


class StudentChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.get_full_name() or obj.email


class WorkshopForm(forms.Form):
    """A workshop: on what, when (a date and one of the school's blocks, the whole block unless narrowed),
    where, how many seats, and whom to invite (students of the teacher's sections)."""

    competency = forms.ModelChoiceField(queryset=Competency.objects.order_by("code", "pk"))
    day = forms.DateField(label="Date", widget=DATE)
    block = BlockChoice(
        queryset=LearningBlock.objects.order_by("weekday", "starts"),
        label="Personalized-learning block",
        help_text="The date must fall on the block's weekday.",
    )
    starts = forms.TimeField(label="From (optional)", required=False, widget=TIME,
                             help_text="Leave both times empty for the whole block.")  # fmt: skip
    ends = forms.TimeField(label="To (optional)", required=False, widget=TIME)
    location = forms.CharField(label="Room or link", max_length=300)
    capacity = forms.IntegerField(label="Seats", min_value=1, max_value=MAX_CAPACITY)
    note = forms.CharField(max_length=300, required=False, label="Note for the students (optional)")
    section = forms.ModelChoiceField(queryset=Section.objects.none(), required=False,
                                     label="From the section (optional)")  # fmt: skip
    students = StudentChoices(
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Invite",
        help_text="Invited students see the workshop first in their Next up, with the reason.",
    )

    def __init__(self, *args, sections, student_ids, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["section"].queryset = sections
        self.fields["students"].queryset = User.objects.filter(pk__in=list(student_ids)).order_by(
            "family_name", "given_name", "pk"
        )


class AttendanceForm(forms.Form):
    """Present or absent, and a one-line outcome, for each student with a seat."""

    def __init__(self, *args, seats: list[Seat], **kwargs):
        super().__init__(*args, **kwargs)
        self.seats = seats
        choices = [(Seat.Attendance.PRESENT, "Present"), (Seat.Attendance.ABSENT, "Absent")]
        for seat in seats:
            name = seat.student.get_full_name() or seat.student.email
            self.fields[f"attendance_{seat.student_id}"] = forms.ChoiceField(
                label=name, choices=choices, widget=forms.RadioSelect, initial=seat.attendance or None
            )
            self.fields[f"outcome_{seat.student_id}"] = forms.CharField(
                label=f"Outcome for {name}", max_length=OUTCOME_MAX, required=False, initial=seat.outcome
            )

    def marks(self) -> dict[int, tuple[str, str]]:
        return {
            seat.student_id: (
                self.cleaned_data[f"attendance_{seat.student_id}"],
                self.cleaned_data[f"outcome_{seat.student_id}"],
            )
            for seat in self.seats
        }
