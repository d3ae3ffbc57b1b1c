"""Writes about learners. Each use case is one transaction, validated with ``full_clean()``, and every
profile change is kept (field, old, new, who, when)."""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from learners.models import (
    MAX_ASPIRATION_CAREERS,
    STAFF_FIELDS,
    STUDENT_FIELDS,
    TAG_FIELDS,
    Career,
    LearningPlan,
    PlanFocus,
    ProfileChange,
    StudentProfile,
)
from playlists.models import Competency
from playlists.selectors import assessable_competencies
from plp.tenancy.context import current_school_id
from schools.access import StudentAccess
from schools.models import Term


def editable_profile_fields(*, access: StudentAccess) -> tuple[str, ...]:
    """Field-level edit rights: the student edits their own voice; their mentors and teachers the rest."""
    fields: tuple[str, ...] = ()
    if access.edits_student_fields:
        fields += STUDENT_FIELDS
    if access.edits_staff_fields:
        fields += STAFF_FIELDS
    return fields


def normalize_tags(value) -> list[str]:
    """Tags from a comma-separated string or a list: trimmed, lower-cased, de-duplicated, in order."""
    items = value.split(",") if isinstance(value, str) else list(value or [])
    tags: list[str] = []
    for item in items:
        tag = " ".join(str(item).split()).lower()[:50]
        if tag and tag not in tags:
            tags.append(tag)
    return tags


@transaction.atomic
def profile_update(*, access: StudentAccess, actor, data: dict) -> StudentProfile:
    """Change the fields in ``data`` the actor may edit (others: PermissionDenied) and log each change."""
    allowed = editable_profile_fields(access=access)
    refused = sorted(set(data) - set(allowed))
    if refused:
        raise PermissionDenied(f"You may not edit: {', '.join(refused)}.")
    profile, _ = StudentProfile.objects.select_for_update().get_or_create(
        school_id=current_school_id(), student=access.student
    )
    changes = []
    for name, value in data.items():
        if name in TAG_FIELDS:
            value = normalize_tags(value)
        elif isinstance(value, str):
            value = value.strip()
        old = getattr(profile, name)
        if old != value:
            setattr(profile, name, value)
            changes.append(ProfileChange.of(profile, field=name, old=old, new=value, actor=actor))
    if changes:
        profile.full_clean()
        profile.save(update_fields=[c.field for c in changes] + ["updated_at"])
        ProfileChange.objects.bulk_create(changes)
    return profile


@transaction.atomic
def profile_career_toggle(*, access: StudentAccess, actor, career: Career) -> StudentProfile:
    """Add a career to the student's aspirations (at most two), or take it off again."""
    if not access.edits_student_fields:
        raise PermissionDenied("Only the student chooses their career aspirations.")
    profile, _ = StudentProfile.objects.get_or_create(school_id=current_school_id(), student=access.student)
    chosen = list(profile.aspiration_careers.order_by("name"))
    old = ", ".join(c.name for c in chosen)
    if career in chosen:
        profile.aspiration_careers.remove(career)
        chosen.remove(career)
    else:
        if len(chosen) >= MAX_ASPIRATION_CAREERS:
            raise ValidationError(f"Choose at most {MAX_ASPIRATION_CAREERS} careers; remove one first.")
        profile.aspiration_careers.add(career)
        chosen.append(career)
    new = [c.name for c in sorted(chosen, key=lambda c: c.name)]
    ProfileChange.of(profile, field="aspiration_careers", old=old, new=new, actor=actor).save()
    return profile


@transaction.atomic
def career_save(
    *,
    career: Career | None = None,
    name: str,
    description: str = "",
    interest_tags: list[str] | str = (),
    needed_courses: list[str] = (),
    competencies: list[Competency] = (),
) -> Career:
    """Create or change a career of the school's catalogue (school admins)."""
    career = career or Career(school_id=current_school_id())
    career.name = " ".join(name.split())
    career.description = description.strip()
    career.interest_tags = normalize_tags(interest_tags)
    career.needed_courses = [c for c in dict.fromkeys(" ".join(c.split()) for c in needed_courses) if c]
    career.full_clean()
    career.save()
    career.competencies.set(competencies)
    return career


def _check_plan_rights(access: StudentAccess) -> None:
    if not (access.is_self or access.is_mentor or access.is_school_wide):
        raise PermissionDenied("Only the student, their mentors and school admins edit the plan.")


@transaction.atomic
def plan_save(
    *, access: StudentAccess, term: Term, college_goal: str, career_goal: str, courses_to_take: list[str]
) -> LearningPlan:
    _check_plan_rights(access)
    plan, _ = LearningPlan.objects.get_or_create(
        school_id=current_school_id(), student=access.student, term=term
    )
    plan.college_goal = college_goal.strip()
    plan.career_goal = career_goal.strip()
    plan.courses_to_take = [c for c in dict.fromkeys(" ".join(c.split()) for c in courses_to_take) if c]
    plan.full_clean()
    plan.save(update_fields=["college_goal", "career_goal", "courses_to_take", "updated_at"])
    return plan


# A focus is something the student masters by a check: a standard, not the domain that groups standards.
NOT_ASSESSABLE = (
    "{code} is a domain that groups other competencies, not one a student masters by a check: choose one "
    "of its competencies."
)


@transaction.atomic
def plan_focus_add(
    *,
    access: StudentAccess,
    term: Term,
    competency: Competency | None,
    focus_area: str = "",
    target_date: dt.date | None = None,
) -> PlanFocus:
    _check_plan_rights(access)
    if competency is not None and not assessable_competencies().filter(pk=competency.pk).exists():
        raise ValidationError({"competency": NOT_ASSESSABLE.format(code=competency.code)})
    plan, _ = LearningPlan.objects.get_or_create(
        school_id=current_school_id(), student=access.student, term=term
    )
    focus = PlanFocus(
        school_id=plan.school_id,
        plan=plan,
        competency=competency,
        focus_area=focus_area.strip(),
        target_date=target_date,
    )
    focus.full_clean()
    focus.save()
    return focus


@transaction.atomic
def plan_focus_remove(*, access: StudentAccess, focus_id: int) -> None:
    _check_plan_rights(access)
    deleted, _ = PlanFocus.objects.filter(pk=focus_id, plan__student=access.student).delete()
    if not deleted:
        raise ValidationError("No such focus in this plan.")
