import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from learners import selectors, services
from learners.models import ProfileChange, StudentProfile
from plp.tenancy.context import school_scope
from schools import access
from schools.roles import Role
from tests.factories import CareerFactory, CompetencyFactory


def _access(world, role, student):
    with school_scope(world.school):
        return access.student_access_get(
            user=world.user(role), roles=frozenset({role}), student_id=student.pk
        )


def test_the_student_edits_their_interests_and_every_change_is_kept(school_a):
    student = school_a.user(Role.STUDENT)
    access = _access(school_a, Role.STUDENT, student)
    with school_scope(school_a.school):
        services.profile_update(access=access, actor=student, data={"interests": "Robots, music, robots"})
        services.profile_update(access=access, actor=student, data={"interests": ["robots"]})
        profile = StudentProfile.objects.get(student=student)
        changes = list(
            ProfileChange.objects.order_by("pk").values_list("field", "old_value", "new_value", "changed_by")
        )
    assert profile.interests == ["robots"]
    assert changes == [
        ("interests", "", "robots, music", student.pk),
        ("interests", "robots, music", "robots", student.pk),
    ]


def test_an_unchanged_save_records_nothing(school_a):
    student = school_a.user(Role.STUDENT)
    access = _access(school_a, Role.STUDENT, student)
    with school_scope(school_a.school):
        services.profile_update(access=access, actor=student, data={"career_aspiration": "Nurse"})
        services.profile_update(access=access, actor=student, data={"career_aspiration": " Nurse "})
        assert ProfileChange.objects.count() == 1


def test_a_student_may_not_edit_strengths_or_accommodations(school_a):
    student = school_a.user(Role.STUDENT)
    access = _access(school_a, Role.STUDENT, student)
    with school_scope(school_a.school), pytest.raises(PermissionDenied, match="accommodations"):
        services.profile_update(access=access, actor=student, data={"accommodations": "none"})


def test_a_teacher_edits_strengths_but_not_the_students_interests(school_a):
    teacher = school_a.user(Role.TEACHER)
    access = _access(school_a, Role.TEACHER, school_a.user(Role.STUDENT))
    with school_scope(school_a.school):
        services.profile_update(access=access, actor=teacher, data={"strengths": "persistence"})
        with pytest.raises(PermissionDenied):
            services.profile_update(access=access, actor=teacher, data={"interests": "x"})
        assert StudentProfile.objects.get().strengths == ["persistence"]
        assert ProfileChange.objects.get().changed_by == teacher


def test_a_student_aims_for_at_most_two_careers(school_a):
    student = school_a.user(Role.STUDENT)
    access = _access(school_a, Role.STUDENT, student)
    one, two, three = (CareerFactory(school=school_a.school) for _ in range(3))
    with school_scope(school_a.school):
        services.profile_career_toggle(access=access, actor=student, career=one)
        services.profile_career_toggle(access=access, actor=student, career=two)
        with pytest.raises(ValidationError, match="at most 2"):
            services.profile_career_toggle(access=access, actor=student, career=three)
        services.profile_career_toggle(access=access, actor=student, career=one)  # take it off
        profile = StudentProfile.objects.get()
        assert list(profile.aspiration_careers.all()) == [two]
        assert ProfileChange.objects.filter(field="aspiration_careers").count() == 3


def test_the_plan_shows_what_a_career_still_needs(school_a):
    student = school_a.user(Role.STUDENT)
    access = _access(school_a, Role.STUDENT, student)
    fractions, ratios = (CompetencyFactory(framework__school=school_a.school) for _ in range(2))
    career = CareerFactory(school=school_a.school, needed_courses=["Algebra I", "Biology"])
    with school_scope(school_a.school):
        career.competencies.set([fractions, ratios])
        services.plan_save(
            access=access,
            term=school_a.term,
            college_goal="",
            career_goal="Nurse",
            courses_to_take=["algebra i"],
        )
        services.plan_focus_add(access=access, term=school_a.term, competency=fractions)
        plan = selectors.plan_for(student=student, term=school_a.term)
        gaps = selectors.plan_gaps(career=selectors.career_get(career_id=career.pk), plan=plan)
    assert gaps == {"courses": ["Biology"], "competencies": [ratios]}


def test_a_teacher_may_not_edit_the_plan(school_a):
    access = _access(school_a, Role.TEACHER, school_a.user(Role.STUDENT))
    with school_scope(school_a.school), pytest.raises(PermissionDenied):
        services.plan_save(
            access=access, term=school_a.term, college_goal="x", career_goal="", courses_to_take=[]
        )


def test_a_plan_focus_needs_a_competency_or_an_area(school_a):
    access = _access(school_a, Role.STUDENT, school_a.user(Role.STUDENT))
    with school_scope(school_a.school), pytest.raises(ValidationError, match="focus area"):
        services.plan_focus_add(access=access, term=school_a.term, competency=None, focus_area="  ")


def test_careers_matching_the_interests_come_first(school_a):
    CareerFactory(school=school_a.school, name="Accountant", interest_tags=["numbers"])
    CareerFactory(school=school_a.school, name="Robotics engineer", interest_tags=["robots", "music"])
    with school_scope(school_a.school):
        careers = selectors.careers_for(interests=["Robots"])
    assert [c.name for c in careers] == ["Robotics engineer", "Accountant"]
    assert careers[0].matched_tags == ["robots"]


def test_school_admins_read_everything_but_edit_no_profile_field(school_a):
    access = _access(school_a, Role.SCHOOL_ADMIN, school_a.user(Role.STUDENT))
    assert access.sees_staff_fields and services.editable_profile_fields(access=access) == ()


def test_passions_are_recorded_by_the_students_mentor(school_a, mentee):
    access = _access(school_a, Role.MENTOR, mentee)
    assert "passions" in services.editable_profile_fields(access=access)
    assert "passions" not in services.editable_profile_fields(access=_access(school_a, Role.STUDENT, mentee))


def test_a_plan_focus_is_a_competency_a_student_masters_not_the_domain_grouping_them(school_a, mentee):
    """A domain (6.RP) groups standards and has no check of its own: as a focus it would make the domain one
    of the student's competencies, which Next up never offers. The mentor gets a field error; a standard
    under it is accepted."""
    domain = CompetencyFactory(framework__school=school_a.school, code="6.RP")
    standard = CompetencyFactory(framework=domain.framework, parent=domain, code="6.RP.1")
    access = _access(school_a, Role.MENTOR, mentee)
    with school_scope(school_a.school):
        with pytest.raises(ValidationError) as refused:
            services.plan_focus_add(access=access, term=school_a.term, competency=domain)
        assert "6.RP is a domain" in " ".join(refused.value.message_dict["competency"])
        assert not selectors.plan_for(student=mentee, term=school_a.term)
        focus = services.plan_focus_add(access=access, term=school_a.term, competency=standard)
    assert focus.competency == standard
