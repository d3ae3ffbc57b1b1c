"""Organizations, schools (the tenant) and their own settings, memberships, terms, sections, enrollments and
mentor assignments."""

import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q

from plp.fields import actor_field
from plp.tenancy.models import SchoolOwnedModel, unique_in_school_once_set
from schools import policy_defaults
from schools.roles import Role

IDLE_MINUTES_MIN, IDLE_MINUTES_MAX = 5, 12 * 60


def validate_timezone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(f"“{value}” is not a known time zone (use a name like America/New_York).")


class Organization(models.Model):
    """A district or a network of schools; its admins are the district admins."""

    class Kind(models.TextChoices):
        DISTRICT = "district", "District"
        NETWORK = "network", "Network"

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=80, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.DISTRICT)
    admins = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        through="OrganizationAdmin",
        related_name="administered_organizations",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class OrganizationAdmin(models.Model):
    """A district (or network) admin: sees every school of the organization."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organization", "user"], name="unique_organization_admin")
        ]

    def __str__(self) -> str:
        return f"{self.user} admin of {self.organization}"


class School(models.Model):
    """The tenant. Every tenant-owned row carries its ``school_id``."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="schools")
    name = models.CharField(max_length=200)
    slug = models.SlugField(
        max_length=80,
        unique=True,
        help_text="Used in addresses: /s/<slug>/. Lowercase letters, digits, -.",
    )
    timezone = models.CharField(max_length=64, default="America/New_York", validators=[validate_timezone])
    grade_levels = models.JSONField(
        default=list, blank=True, help_text="OneRoster grade codes the school teaches (KG, 01…13, …)."
    )
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # Idle sign-out (accounts/idle.py): a shared classroom computer left signed in is the common leak, and
    # students' devices are the most shared, so their default is shorter.
    idle_minutes_staff = models.PositiveSmallIntegerField(
        "sign staff out after (minutes without activity)",
        default=60,
        validators=[MinValueValidator(IDLE_MINUTES_MIN), MaxValueValidator(IDLE_MINUTES_MAX)],
    )
    idle_minutes_students = models.PositiveSmallIntegerField(
        "sign students out after (minutes without activity)",
        default=30,
        validators=[MinValueValidator(IDLE_MINUTES_MIN), MaxValueValidator(IDLE_MINUTES_MAX)],
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Membership(SchoolOwnedModel):
    """One role of one person in one school (a teacher who mentors holds two memberships)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    role = models.CharField(max_length=20, choices=Role.choices)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["school_id", "role"]
        constraints = [
            models.UniqueConstraint(fields=["school", "user", "role"], name="unique_membership_role")
        ]
        indexes = [models.Index(fields=["user", "school"], name="membership_user_school")]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · school {self.school_id}"


class Term(SchoolOwnedModel):
    """An academic session (year, semester, quarter) of a school."""

    name = models.CharField(max_length=120)
    start_date = models.DateField()
    end_date = models.DateField()
    kind = models.CharField(max_length=40, blank=True, default="", help_text="OneRoster session type.")
    sourced_id = models.CharField(
        max_length=255, blank=True, default="", help_text="OneRoster sourcedId, when imported from a roster."
    )

    class Meta:
        ordering = ["-start_date", "name"]
        constraints = [
            models.UniqueConstraint(fields=["school", "name"], name="unique_term_name_per_school"),
            unique_in_school_once_set("sourced_id", name="unique_term_sourced_id_per_school"),
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")), name="term_ends_after_it_starts"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": "A term cannot end before it starts."})


class Section(SchoolOwnedModel):
    """A class: one group of students taught by one or more teachers in one term."""

    term = models.ForeignKey(Term, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(max_length=200)
    code = models.CharField(max_length=60, blank=True, help_text="The school's own course/class code.")
    subject = models.CharField(max_length=120, blank=True)
    sourced_id = models.CharField(
        max_length=255, blank=True, default="", help_text="OneRoster sourcedId, when imported from a roster."
    )

    class Meta:
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["school", "term", "name"], name="unique_section_name_per_term"),
            unique_in_school_once_set("sourced_id", name="unique_section_sourced_id_per_school"),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        if self.term_id and self.school_id and self.term.school_id != self.school_id:
            raise ValidationError({"term": "The term belongs to another school."})


class Enrollment(SchoolOwnedModel):
    """A person in a section, as a student or as a teacher. Deactivated, never deleted."""

    class SectionRole(models.TextChoices):
        STUDENT = "student", "Student"
        TEACHER = "teacher", "Teacher"

    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="enrollments")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    role = models.CharField(max_length=20, choices=SectionRole.choices)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sourced_id = models.CharField(
        max_length=255, blank=True, default="", help_text="OneRoster sourcedId, when imported from a roster."
    )

    class Meta:
        ordering = ["section_id", "role", "user_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "section", "user"], name="unique_enrollment_per_section"
            ),
            unique_in_school_once_set("sourced_id", name="unique_enrollment_sourced_id_per_school"),
        ]
        indexes = [models.Index(fields=["school", "user", "role"], name="enrollment_user_role")]

    def __str__(self) -> str:
        return f"{self.user} in {self.section} ({self.get_role_display()})"

    def clean(self):
        if self.section_id and self.school_id and self.section.school_id != self.school_id:
            raise ValidationError({"section": "The section belongs to another school."})


class MentorAssignment(SchoolOwnedModel):
    """A mentor looks after a student in one school. Ended, never deleted, so the history stays.

    A student has at most one active *primary* mentor; other active assignments are secondary (a
    counsellor, a coach). Assignments are made by school admins (``schools/mentor_assignments.py``) and
    read by the access module (a mentor's mentees) and mentoring. A relation of the school's people like an
    enrolment; the table keeps the name it had in the mentoring app (``schools/migrations/0005``).
    """

    mentor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    student = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    is_primary = models.BooleanField(default=True)
    is_active = models.BooleanField(default=True)
    assigned_by = actor_field()
    created_at = models.DateTimeField(auto_now_add=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "mentoring_mentorassignment"
        ordering = ["school_id", "mentor_id", "student_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "mentor", "student"],
                condition=Q(is_active=True),
                name="one_active_assignment_per_mentor_student",
            ),
            models.UniqueConstraint(
                fields=["school", "student"],
                condition=Q(is_active=True, is_primary=True),
                name="one_active_primary_mentor_per_student",
                violation_error_message="This student already has a primary mentor.",
            ),
            models.CheckConstraint(condition=~Q(mentor=models.F("student")), name="mentor_is_not_student"),
        ]
        indexes = [
            models.Index(fields=["school", "mentor", "is_active"], name="assignment_mentor"),
            models.Index(fields=["school", "student", "is_active"], name="assignment_student"),
        ]

    def __str__(self) -> str:
        kind = "primary" if self.is_primary else "secondary"
        return f"{self.mentor} mentors {self.student} ({kind})"

    def clean(self):
        if self.mentor_id and self.mentor_id == self.student_id:
            raise ValidationError({"mentor": "A student cannot mentor themselves."})


class SchoolSettings(SchoolOwnedModel):
    """A school's own pace tolerance and mentor check-in cadence: settings read both below the engine (an
    assignment's pace in ``playlists``, the mentee list's due check-ins in ``mentoring``, each in its own
    query) and by the engine's flags and Next up. One row or none per school; a school without one uses the
    documented defaults (``schools/policy_defaults.py``, the one place they are written). The engine's
    other thresholds stay in ``engine.SchoolThresholds``; ``engine/school_policy.py`` builds the policy's
    ``Thresholds`` from both rows."""

    pace_margin = models.FloatField(
        default=policy_defaults.PACE_MARGIN, validators=[MinValueValidator(0.0), MaxValueValidator(1.0)]
    )
    check_in_days = models.PositiveIntegerField(
        default=policy_defaults.CHECK_IN_DAYS, validators=[MinValueValidator(1)]
    )
    check_in_grace_days = models.PositiveIntegerField(default=policy_defaults.CHECK_IN_GRACE_DAYS)

    class Meta:
        verbose_name_plural = "school settings"
        constraints = [models.UniqueConstraint(fields=["school"], name="one_settings_row_per_school")]

    def __str__(self) -> str:
        return f"Settings of school {self.school_id}"


# Rostering models live in their own module; imported here so Django registers them with this app.
from schools.rostering.models import ImportRun, Invitation, RosterPerson  # noqa: E402, F401
