"""Personalized-learning blocks, workshops with their seats (invitations, sign-ups, attendance), and the
private calendar feed tokens of each person's week."""

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q

from plp.fields import actor_field
from plp.tenancy.models import SchoolOwnedModel

USER = settings.AUTH_USER_MODEL
MAX_CAPACITY = 60


class Weekday(models.IntegerChoices):
    # Python's date.weekday(): Monday is 0.
    MONDAY = 0, "Monday"
    TUESDAY = 1, "Tuesday"
    WEDNESDAY = 2, "Wednesday"
    THURSDAY = 3, "Thursday"
    FRIDAY = 4, "Friday"
    SATURDAY = 5, "Saturday"
    SUNDAY = 6, "Sunday"


class LearningBlock(SchoolOwnedModel):
    """A weekly personalized-learning block of the school (independent time: when workshops happen), in
    the school's time zone. Blocks of one weekday never overlap."""

    weekday = models.PositiveSmallIntegerField(choices=Weekday.choices)
    starts = models.TimeField("starts at")
    ends = models.TimeField("ends at")
    label = models.CharField(max_length=80, blank=True, help_text="e.g. “Personalized learning time”.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["weekday", "starts", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["school", "weekday", "starts"], name="one_block_per_start"),
            models.CheckConstraint(condition=Q(ends__gt=F("starts")), name="block_ends_after_it_starts"),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.starts:%H:%M}–{self.ends:%H:%M}"

    @property
    def title(self) -> str:
        return self.label or "Personalized learning"

    def contains(self, start: dt.time, end: dt.time) -> bool:
        return self.starts <= start < end <= self.ends


class Workshop(SchoolOwnedModel):
    """Time with a teacher on one competency, inside one of the school's blocks, for a few students."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", "Scheduled"
        CANCELLED = "cancelled", "Cancelled"

    competency = models.ForeignKey("playlists.Competency", on_delete=models.PROTECT, related_name="+")
    teacher = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    section = models.ForeignKey(
        "schools.Section", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    block = models.ForeignKey(LearningBlock, on_delete=models.SET_NULL, null=True, related_name="+")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    location = models.CharField("room or link", max_length=300)
    capacity = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(MAX_CAPACITY)]
    )
    note = models.CharField(max_length=300, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.SCHEDULED)
    created_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="workshop_ends_after_start"),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="workshop_has_a_seat"),
        ]
        indexes = [
            models.Index(fields=["school", "teacher", "starts_at"], name="workshop_teacher_time"),
            models.Index(fields=["school", "starts_at"], name="workshop_time"),
        ]

    def __str__(self) -> str:
        return f"Workshop {self.pk} on competency {self.competency_id}"


class Seat(SchoolOwnedModel):
    """A student's place in a workshop: invited by the teacher (with the reason) or signed up; taken seats
    count against the capacity. Attendance and a one-line outcome are recorded after the workshop."""

    class Kind(models.TextChoices):
        INVITED = "invited", "Invited"
        SIGNED_UP = "signed_up", "Signed up"

    class Attendance(models.TextChoices):
        UNRECORDED = "", "Not recorded"
        PRESENT = "present", "Present"
        ABSENT = "absent", "Absent"

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="seats")
    student = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    reason = models.CharField(max_length=300, blank=True, help_text="Why the student was invited.")
    is_active = models.BooleanField(default=True, help_text="False once the student left the workshop.")
    attendance = models.CharField(max_length=10, choices=Attendance.choices, blank=True, default="")
    outcome = models.CharField(max_length=200, blank=True)
    recorded_by = actor_field()
    recorded_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["workshop_id", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["school", "workshop", "student"], name="one_seat_per_student")
        ]
        indexes = [models.Index(fields=["school", "student", "is_active"], name="seat_student")]

    def __str__(self) -> str:
        return f"{self.student_id} in workshop {self.workshop_id} ({self.kind})"


class CalendarFeed(SchoolOwnedModel):
    """A person's private calendar address for their week in one school: whoever holds the token reads
    that week, so it is random, long, and revocable (a revoked token answers 404, like an unknown one)."""

    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "user"],
                condition=Q(revoked_at__isnull=True),
                name="one_live_feed_per_person",
            )
        ]

    def __str__(self) -> str:
        return f"Calendar feed of {self.user_id} ({'revoked' if self.revoked_at else 'live'})"

    def clean(self):
        if len(self.token or "") < 32:
            raise ValidationError({"token": "A feed token must be long and random."})
