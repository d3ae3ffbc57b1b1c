import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from engine import selectors, services
from engine.models import Flag, FlagEvent, SchoolThresholds
from engine.policy.flags import FlagFinding
from plp.tenancy.context import school_scope
from schools.roles import DISTRICT_ADMIN, Role
from tests.factories import EnrollmentFactory, MembershipFactory, MentorAssignmentFactory, UserFactory

NOW = timezone.make_aware(dt.datetime(2026, 11, 18, 9, 0))


def spinning(answers=10):
    return FlagFinding(
        "wheel_spinning",
        "competency:1",
        "medium",
        f"{answers} answers",
        "Sit with them",
        {"answers": answers},
    )


def inactive():
    return FlagFinding("inactive", "", "medium", "No activity for 3 school days", "Check in", {})


@pytest.fixture
def student(school_a):
    return school_a.user(Role.STUDENT)


def apply(world, findings_by_student, now=NOW):
    with school_scope(world.school):
        return services.flags_apply(findings_by_student=findings_by_student, now=now)


def flags_of(world):
    with school_scope(world.school):
        return list(Flag.objects.order_by("kind").values_list("kind", "status", "reopened_count"))


def test_a_finding_raises_one_flag_and_running_again_writes_nothing(school_a, student):
    apply(school_a, {student.pk: [spinning(), inactive()]})
    counts = apply(school_a, {student.pk: [spinning(), inactive()]})
    assert counts["raise"] == 0
    assert counts["refresh"] == 0
    assert flags_of(school_a) == [("inactive", "open", 0), ("wheel_spinning", "open", 0)]
    with school_scope(school_a.school):
        assert FlagEvent.objects.count() == 2


def test_new_evidence_refreshes_the_flag_in_place(school_a, student):
    apply(school_a, {student.pk: [spinning(10)]})
    apply(school_a, {student.pk: [spinning(14)]})
    with school_scope(school_a.school):
        flag = Flag.objects.get()
    assert flag.evidence == {"answers": 14}
    assert flag.summary == "14 answers"


def test_a_flag_clears_itself_and_reopens_when_the_condition_returns(school_a, student):
    apply(school_a, {student.pk: [spinning()]})
    apply(school_a, {student.pk: []})
    assert flags_of(school_a) == [("wheel_spinning", "cleared", 0)]
    apply(school_a, {student.pk: [spinning()]})
    assert flags_of(school_a) == [("wheel_spinning", "open", 1)]


def test_a_resolved_flag_stays_resolved_until_it_truly_recurs(school_a, student):
    teacher = school_a.user(Role.TEACHER)
    apply(school_a, {student.pk: [spinning()]})
    with school_scope(school_a.school):
        services.flag_resolve(flag=Flag.objects.get(), by=teacher, note="Worked through it 1:1")
    apply(school_a, {student.pk: [spinning()]})
    assert flags_of(school_a) == [("wheel_spinning", "resolved", 0)]
    apply(school_a, {student.pk: []})  # the condition clears…
    apply(school_a, {student.pk: [spinning()]})  # …and comes back: a recurrence
    assert flags_of(school_a) == [("wheel_spinning", "open", 1)]
    with school_scope(school_a.school):
        actions = list(FlagEvent.objects.order_by("pk").values_list("action", flat=True))
    assert actions == ["raised", "resolved", "condition cleared", "reopened"]


def test_resolving_needs_a_note_and_a_closed_flag_cannot_be_handled_again(school_a, student):
    teacher = school_a.user(Role.TEACHER)
    apply(school_a, {student.pk: [spinning()]})
    with school_scope(school_a.school):
        flag = Flag.objects.get()
        with pytest.raises(ValidationError, match="Say how it was resolved"):
            services.flag_resolve(flag=flag, by=teacher, note="  ")
        services.flag_acknowledge(flag=flag, by=teacher)
        assert Flag.objects.get().status == "acknowledged"
        services.flag_resolve(flag=flag, by=teacher, note="Done")
        with pytest.raises(ValidationError, match="already closed"):
            services.flag_acknowledge(flag=flag, by=teacher)


def test_an_acknowledged_flag_still_clears_itself(school_a, student):
    apply(school_a, {student.pk: [spinning()]})
    with school_scope(school_a.school):
        services.flag_acknowledge(flag=Flag.objects.get(), by=school_a.user(Role.TEACHER), note="on it")
    apply(school_a, {student.pk: []})
    assert flags_of(school_a) == [("wheel_spinning", "cleared", 0)]


def test_applying_in_school_a_never_touches_school_b(school_a, school_b):
    student_b = school_b.user(Role.STUDENT)
    apply(school_b, {student_b.pk: [spinning()]})
    apply(school_a, {student_b.pk: []})  # a stray id: A's scope sees none of B's flags
    assert flags_of(school_b) == [("wheel_spinning", "open", 0)]


def test_flags_apply_uses_a_constant_number_of_queries(school_a, django_assert_max_num_queries):
    students = [UserFactory() for _ in range(30)]
    with school_scope(school_a.school), django_assert_max_num_queries(6):
        services.flags_apply(findings_by_student={s.pk: [spinning(), inactive()] for s in students}, now=NOW)
    with school_scope(school_a.school), django_assert_max_num_queries(6):
        services.flags_apply(findings_by_student={s.pk: [] for s in students}, now=NOW)


def test_refreshing_many_flags_writes_each_its_own_evidence_and_leaves_unchanged_ones_alone(
    school_a, django_assert_max_num_queries
):
    students = [UserFactory() for _ in range(30)]
    apply(school_a, {s.pk: [spinning(10), inactive()] for s in students})
    later = NOW + dt.timedelta(days=1)
    with school_scope(school_a.school), django_assert_max_num_queries(6):
        counts = services.flags_apply(
            findings_by_student={s.pk: [spinning(11 + n), inactive()] for n, s in enumerate(students)},
            now=later,
        )
    assert counts["refresh"] == 30  # the inactive flags said the same already
    with school_scope(school_a.school):
        spun = dict(Flag.objects.filter(kind="wheel_spinning").values_list("student_id", "evidence"))
        stamps = set(Flag.objects.values_list("kind", "updated_at", "raised_at"))
    assert spun == {s.pk: {"answers": 11 + n} for n, s in enumerate(students)}
    assert stamps == {("wheel_spinning", later, NOW), ("inactive", NOW, NOW)}


def test_a_reopened_flag_forgets_who_handled_it_and_keeps_when_it_was_raised(school_a, student):
    teacher = school_a.user(Role.TEACHER)
    apply(school_a, {student.pk: [spinning(10)]})
    with school_scope(school_a.school):
        services.flag_resolve(flag=Flag.objects.get(), by=teacher, note="Worked through it 1:1")
    apply(school_a, {student.pk: []}, now=NOW + dt.timedelta(days=1))
    with school_scope(school_a.school):
        flag = Flag.objects.get()
    assert (flag.status, flag.condition_cleared, flag.cleared_at) == (
        "resolved",
        True,
        NOW + dt.timedelta(days=1),
    )
    later = NOW + dt.timedelta(days=2)
    apply(school_a, {student.pk: [spinning(12)]}, now=later)
    with school_scope(school_a.school):
        flag = Flag.objects.get()
    assert (flag.status, flag.condition_cleared, flag.cleared_at, flag.reopened_count) == (
        "open",
        False,
        None,
        1,
    )
    assert (flag.handled_by, flag.handled_at, flag.note) == (None, None, "")
    assert (flag.evidence, flag.summary, flag.raised_at, flag.updated_at) == (
        {"answers": 12},
        "12 answers",
        NOW,
        later,
    )


def test_who_sees_which_flags(school_a):
    student = school_a.user(Role.STUDENT)
    stranger = UserFactory()
    MembershipFactory(school=school_a.school, user=stranger, role=Role.STUDENT)
    EnrollmentFactory(section=school_a.other_section, user=stranger)
    apply(school_a, {student.pk: [spinning()], stranger.pk: [inactive()]})

    def visible(user_role, user=None):
        user = user or school_a.user(user_role)
        with school_scope(school_a.school):
            roles = frozenset({user_role})
            return sorted(f.student_id for f in selectors.flags_in_care_of(user=user, roles=roles))

    assert visible(Role.TEACHER) == [student.pk]  # teaches the student's section only
    assert visible(Role.SCHOOL_ADMIN) == sorted([student.pk, stranger.pk])
    assert visible(DISTRICT_ADMIN) == sorted([student.pk, stranger.pk])
    assert visible(Role.MENTOR) == []
    MentorAssignmentFactory(school=school_a.school, mentor=school_a.user(Role.MENTOR), student=stranger)
    assert visible(Role.MENTOR) == [stranger.pk]
    assert visible(Role.STUDENT) == []


def test_another_adults_flag_by_id_is_not_found(school_a, school_b):
    student_b = school_b.user(Role.STUDENT)
    apply(school_b, {student_b.pk: [spinning()]})
    with school_scope(school_b.school):
        flag_id = Flag.objects.get().pk
    from django.http import Http404

    with school_scope(school_a.school), pytest.raises(Http404):
        selectors.flag_get_for_adult(
            user=school_a.user(Role.SCHOOL_ADMIN), roles=frozenset({Role.SCHOOL_ADMIN}), flag_id=flag_id
        )


def test_thresholds_default_until_a_school_sets_its_own(school_a):
    with school_scope(school_a.school):
        assert selectors.thresholds_for_school().wheel_spin_answers == 10
        SchoolThresholds.objects.create(school=school_a.school, wheel_spin_answers=6)
        assert selectors.thresholds_for_school().wheel_spin_answers == 6


def test_refreshed_evidence_keeps_its_structure_and_text_exactly(school_a, student):
    def goals(titles):
        return FlagFinding(
            "overdue_goals",
            "",
            "low",
            f"{len(titles)} goals past due — “reflect”",
            'Ask them: "how did it go?" \\ then set next week\'s',
            {"goals": [{"title": t, "due_on": "2026-11-16"} for t in titles], "ratio": 0.125, "none": None},
        )

    apply(school_a, {student.pk: [goals(["Read ch. 1"])]})
    later = NOW + dt.timedelta(days=1)
    apply(school_a, {student.pk: [goals(["Read ch. 1", 'Finish "Ratios" — café'])]}, now=later)
    with school_scope(school_a.school):
        flag = Flag.objects.get()
    expected = goals(["Read ch. 1", 'Finish "Ratios" — café'])
    assert (flag.summary, flag.suggested_action, flag.evidence, flag.updated_at) == (
        expected.summary,
        expected.suggested_action,
        expected.evidence,
        later,
    )
