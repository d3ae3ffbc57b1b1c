"""The pages that show handed-in files cost the same number of queries with one milestone and file or many:
the student's project page, the teacher's scoring page, and opening a file."""

import pytest
from django.urls import reverse

from schools.roles import Role
from tests.factories import MilestoneFactory, ProjectFactory
from tests.submissions import files


def _milestones_with_files(project, student, n: int) -> None:
    for _ in range(n):
        milestone = MilestoneFactory(project=project)
        files.hand_in(milestone=milestone, student=student, name="draft.pdf")
        files.hand_in(milestone=milestone, student=student, name="final.png", data=files.PNG)


@pytest.mark.parametrize("role", [Role.STUDENT, Role.TEACHER])
def test_the_project_pages_cost_the_same_with_one_file_or_many(
    role, client, school_a, django_assert_max_num_queries
):
    student = school_a.user(Role.STUDENT)
    project = ProjectFactory(section=school_a.section)
    page = (
        reverse("playlists:project_detail", args=["alpha", project.pk])
        if role == Role.STUDENT
        else reverse("playlists:project_score", args=["alpha", project.pk, student.pk])
    )
    client.force_login(school_a.user(role))
    _milestones_with_files(project, student, 1)
    with django_assert_max_num_queries(30) as one:
        body = client.get(page).content.decode()
    assert body.count("final.png") == 1
    _milestones_with_files(project, student, 10)
    with django_assert_max_num_queries(len(one.captured_queries)):
        body = client.get(page).content.decode()
    assert body.count("final.png") == 11 and body.count("Replaced") == 11
    shown = "project page" if role == Role.STUDENT else "scoring page"
    print(f"{role}'s {shown}, 1 or 11 milestones with 2 files each: {len(one.captured_queries)} queries")


def test_opening_a_file_takes_a_few_queries(client, school_a, django_assert_max_num_queries):
    file = files.hand_in(
        milestone=MilestoneFactory(project__section=school_a.section), student=school_a.user("student")
    )
    client.force_login(school_a.user(Role.TEACHER))
    with django_assert_max_num_queries(12) as opened:
        response = client.get(reverse("submissions:file_download", args=["alpha", file.public_id]))
        assert b"".join(response.streaming_content) == files.PDF
    print(f"opening a file as a teacher: {len(opened.captured_queries)} queries")


def test_the_student_item_page_costs_the_same_without_a_file_with_one_or_with_many(
    client, school_a, django_assert_max_num_queries
):
    from tests.factories import PlaylistAssignmentFactory, PlaylistItemFactory

    student = school_a.user(Role.STUDENT)
    placement = PlaylistItemFactory(
        playlist__school=school_a.school,
        item__school=school_a.school,
        item__kind="exercise",
        item__asks_for_file=True,
    )
    PlaylistAssignmentFactory(playlist=placement.playlist, section=school_a.section)
    page = reverse("playlists:student_item", args=["alpha", placement.playlist_id, placement.item_id])
    client.force_login(student)
    client.get(page)  # the first visit starts the item (a write); the visits measured only read
    with django_assert_max_num_queries(25) as without:
        assert "Hand in the file" in client.get(page).content.decode()
    files.hand_in_for_item(item=placement.item, student=student, name="first.pdf")
    with django_assert_max_num_queries(len(without.captured_queries)):
        assert client.get(page).content.decode().count("first.pdf") == 1
    for n in range(10):
        files.hand_in_for_item(item=placement.item, student=student, name=f"version-{n}.png", data=files.PNG)
    with django_assert_max_num_queries(len(without.captured_queries)):
        body = client.get(page).content.decode()
    assert body.count("Replaced") == 10 and "version-9.png" in body
    print(f"student's item page, no file or 11 files: {len(without.captured_queries)} queries")


def test_the_drill_down_costs_the_same_with_one_item_file_or_many(
    client, school_a, django_assert_max_num_queries
):
    from tests.factories import ContentItemFactory

    student = school_a.user(Role.STUDENT)
    page = reverse("dashboard:student", args=["alpha", student.pk])
    client.force_login(school_a.user(Role.TEACHER))
    files.hand_in_for_item(item=ContentItemFactory(school=school_a.school), student=student, name="one.pdf")
    with django_assert_max_num_queries(60) as one:
        assert "one.pdf" in client.get(page).content.decode()
    for n in range(10):
        item = ContentItemFactory(school=school_a.school)
        files.hand_in_for_item(item=item, student=student, name=f"sheet-{n}.pdf")
    with django_assert_max_num_queries(len(one.captured_queries)):
        assert "sheet-9.pdf" in client.get(page).content.decode()
