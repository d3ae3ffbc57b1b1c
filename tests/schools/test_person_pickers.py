"""Two people with the same name can be told apart wherever an adult picks one: the assign picker (a playlist
to one student) and the mentor page (the mentor select, the students to tick, the current assignments)."""

from django.urls import reverse

from schools.roles import Role
from tests.factories import (
    EnrollmentFactory,
    MembershipFactory,
    MentorAssignmentFactory,
    PlaylistFactory,
    UserFactory,
)


def two_of(school, role, *, section=None):
    people = []
    for n in (1, 2):
        user = UserFactory(given_name="Alex", family_name="Kim", email=f"alex.kim{n}.{role}@example.test")
        MembershipFactory(school=school, user=user, role=role)
        if section is not None:
            EnrollmentFactory(school=school, section=section, user=user, role="student")
        people.append(user)
    return people


def test_the_assign_picker_tells_two_students_of_the_same_name_apart(client, school_a):
    two_of(school_a.school, Role.STUDENT, section=school_a.section)
    playlist = PlaylistFactory(school=school_a.school)
    client.force_login(school_a.user(Role.TEACHER))
    body = client.get(reverse("playlists:playlist_assign", args=["alpha", playlist.pk])).content.decode()
    assert "Alex Kim (alex.kim1.student@example.test)" in body
    assert "Alex Kim (alex.kim2.student@example.test)" in body


def test_the_mentor_page_tells_two_people_of_the_same_name_apart(client, school_a):
    mentors = two_of(school_a.school, Role.MENTOR)
    students = two_of(school_a.school, Role.STUDENT)
    MentorAssignmentFactory(school=school_a.school, mentor=mentors[0], student=students[0])
    client.force_login(school_a.user(Role.SCHOOL_ADMIN))
    body = client.get(reverse("schools:mentor_assign", args=["alpha"])).content.decode()
    for person in (*mentors, *students):
        assert f"Alex Kim ({person.email})" in body
    mentor_select = body.split('id="mentor"')[1].split("</select>")[0]
    assert mentor_select.count("Alex Kim (") == 2
    current = body.split('id="current-heading"')[1]
    assert "Alex Kim (alex.kim1.mentor@example.test)" in current
    assert "Alex Kim (alex.kim1.student@example.test)" in current
