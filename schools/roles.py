"""Roles a person can hold in a school.

Four are stored as memberships; ``district_admin`` is derived from being an admin of the school's
organization. One person may hold several roles in a school, and roles in several schools.
"""

from django.db import models


class Role(models.TextChoices):
    STUDENT = "student", "Student"
    TEACHER = "teacher", "Teacher"
    MENTOR = "mentor", "Mentor"
    SCHOOL_ADMIN = "school_admin", "School admin"


DISTRICT_ADMIN = "district_admin"

ROLE_LABELS = {**dict(Role.choices), DISTRICT_ADMIN: "District admin"}

# Roles that see every section and person of a school.
SCHOOL_WIDE_ROLES = frozenset({Role.SCHOOL_ADMIN, DISTRICT_ADMIN})
# Adults: everyone but students.
STAFF_ROLES = frozenset({Role.TEACHER, Role.MENTOR, Role.SCHOOL_ADMIN, DISTRICT_ADMIN})
