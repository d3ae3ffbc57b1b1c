"""Fixtures of the dashboard tests: a small section with a playlist, competencies, states and a flag."""

import datetime as dt
from dataclasses import dataclass

import pytest
from django.utils import timezone

from engine.models import Flag
from mastery.models import MasteryState, MasteryStatus
from plp.tenancy.context import school_scope
from schools.roles import Role
from tests.factories import (
    CompetencyFactory,
    ContentItemFactory,
    EnrollmentFactory,
    MembershipFactory,
    PlaylistAssignmentFactory,
    PlaylistItemFactory,
    UserFactory,
)
from tests.support import school_today


@dataclass
class Classroom:
    competencies: list
    items: list
    students: list
    flag: Flag


def make_flag(school, student, *, kind="failed_checks", subject="", summary="3 failed checks in a row"):
    now = timezone.now()
    with school_scope(school):
        return Flag.objects.create(
            school=school, student=student, kind=kind, subject=subject, severity="high", summary=summary,
            suggested_action="Review the last check together.", evidence={"failed_in_a_row": 3},
            raised_at=now, updated_at=now,
        )  # fmt: skip


def make_attention_entry(school, student, *, score, summary, reasons, action):
    """The detector's stored entry (as the recompute writes it: engine/attention/flag.py)."""
    entry = make_flag(school, student, kind="needs_attention", summary=summary)
    with school_scope(school):
        Flag.objects.filter(pk=entry.pk).update(
            severity="high" if score >= 0.9 else "medium",
            suggested_action=action,
            evidence={"score": score, "reasons": reasons, "rules": []},
        )
    return entry


def make_state(school, student, competency, status, p):
    with school_scope(school):
        return MasteryState.objects.create(
            school=school, student=student, competency=competency, status=status, p_mastered=p,
            mastered_at=timezone.now() if status == MasteryStatus.MASTERED else None,
        )  # fmt: skip


@pytest.fixture
def classroom(school_a) -> Classroom:
    """school_a's section: its student plus two more, a playlist of three items (one competency each)."""
    school, section = school_a.school, school_a.section
    students = [school_a.user(Role.STUDENT)]
    for name in ("Zoe", "Adam"):
        user = UserFactory(given_name=name, family_name="Pupil")
        MembershipFactory(school=school, user=user, role=Role.STUDENT)
        EnrollmentFactory(school=school, section=section, user=user, role="student")
        students.append(user)
    comps = [CompetencyFactory(framework__school=school, code=f"RP.{i}") for i in range(1, 4)]
    items = []
    today = school_today(school)
    assignment = PlaylistAssignmentFactory(
        playlist__school=school,
        section=section,
        start_date=today - dt.timedelta(days=10),
        target_date=today + dt.timedelta(days=10),
    )
    for i, comp in enumerate(comps):
        item = ContentItemFactory(school=school, title=f"Ratio item {i + 1}")
        with school_scope(school):
            item.competencies.add(comp)
        PlaylistItemFactory(playlist=assignment.playlist, item=item, position=i + 1)
        items.append(item)
    make_state(school, students[0], comps[0], MasteryStatus.MASTERED, 0.97)
    make_state(school, students[0], comps[1], MasteryStatus.READY, 0.85)
    make_state(school, students[1], comps[1], MasteryStatus.PRACTICING, 0.3)
    make_state(school, students[2], comps[1], MasteryStatus.PRACTICING, 0.25)
    flag = make_flag(school, students[1], subject=f"competency:{comps[1].pk}")
    return Classroom(competencies=comps, items=items, students=students, flag=flag)


def zoe_needs_attention(school_a, classroom):
    """The detector's entry for Zoe, her failed checks its evidence: she is on "Needs attention"."""
    return make_attention_entry(
        school_a.school, classroom.students[1], score=0.92, summary="Blocked on RP.2",
        reasons=["Failed the RP.2 mastery check three times."], action="Sit with her on RP.2.",
    )  # fmt: skip
