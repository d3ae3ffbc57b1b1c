"""The mentoring card of the school home page: a link to the mentees with the count of overdue check-ins."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from plp.tenancy.context import school_scope
from schools.models import MentorAssignment
from schools.roles import Role
from tests.factories import CheckInFactory, MentorAssignmentFactory
from tests.support import add_student

HOME = reverse("schools:home", args=["alpha"])


def test_a_mentor_sees_a_link_to_their_mentees_with_the_overdue_count(client, school_a, mentee):
    mentor = school_a.user(Role.MENTOR)
    seen = add_student(school_a, given_name="Seen", family_name="Recently")
    MentorAssignmentFactory(school=school_a.school, mentor=mentor, student=seen)
    CheckInFactory(
        school=school_a.school, student=seen, mentor=mentor, date=timezone.localdate() - dt.timedelta(days=1)
    )
    never = add_student(school_a, given_name="Never", family_name="Seen")
    MentorAssignmentFactory(school=school_a.school, mentor=mentor, student=never)
    with school_scope(school_a.school):  # both mentored for a month, never seen: a first check-in is due
        MentorAssignment.objects.filter(student__in=[never, mentee]).update(
            created_at=timezone.now() - dt.timedelta(days=30)
        )
    client.force_login(mentor)
    body = client.get(HOME).content.decode()
    assert f'href="{reverse("mentoring:mentee_list", args=["alpha"])}"' in body
    assert "Your mentees (3)" in body and "2 overdue check-ins" in body


def test_a_mentor_with_every_check_in_on_time_is_told_so(client, school_a, mentee):
    mentor = school_a.user(Role.MENTOR)
    CheckInFactory(school=school_a.school, student=mentee, mentor=mentor, date=timezone.localdate())
    client.force_login(mentor)
    body = client.get(HOME).content.decode()
    assert "Your mentees (1)" in body and "No check-in is overdue." in body


def test_non_mentors_get_no_mentee_card(client, school_a, mentee):
    client.force_login(school_a.user(Role.TEACHER))
    assert "Your mentees" not in client.get(HOME).content.decode()
