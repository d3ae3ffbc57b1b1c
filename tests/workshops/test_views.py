"""The workshops pages: blocks, scheduling from a small group, sign-up, attendance, My week, Next up."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from mastery.models import EvidenceEvent
from plp.tenancy.context import school_scope
from schools.roles import Role
from tests.factories import CheckInFactory, GoalFactory
from tests.form_checks import assert_kept_with_error
from tests.workshops.conftest import add_block, add_student, make_workshop
from workshops.models import LearningBlock, Seat, Workshop

pytestmark = pytest.mark.django_db


def _login(client, world, role):
    client.force_login(world.user(role) if isinstance(role, str) else role)


def url(name, *args):
    return reverse(f"workshops:{name}", args=["alpha", *args])


def _started(workshop, minutes_ago=5):
    """Move a scheduled workshop so that it started ``minutes_ago`` (creating one in the past is refused)."""
    start = timezone.now() - dt.timedelta(minutes=minutes_ago)
    with school_scope(workshop.school_id):
        Workshop.objects.filter(pk=workshop.pk).update(starts_at=start, ends_at=start + dt.timedelta(hours=1))
        return Workshop.objects.get(pk=workshop.pk)


# --- blocks ---------------------------------------------------------------------------------------------


def test_a_school_admin_adds_a_block_and_an_overlap_keeps_what_was_typed(client, school_a, block):
    _login(client, school_a, Role.SCHOOL_ADMIN)
    response = client.post(
        url("blocks"), {"weekday": "0", "starts": "10:30", "ends": "12:00", "label": "Late PLT"}
    )
    assert response.status_code == 200
    assert_kept_with_error(response, name="starts", typed="10:30", error="overlaps the 10:00–11:00 block")
    assert_kept_with_error(response, name="label", typed="Late PLT")
    response = client.post(url("blocks"), {"weekday": "0", "starts": "12:00", "ends": "11:00"})
    assert_kept_with_error(response, name="ends", typed="11:00", error="ends after it starts")
    response = client.post(
        url("blocks"), {"weekday": "2", "starts": "13:00", "ends": "14:30", "label": "PLT"}
    )
    assert response.status_code == 302
    with school_scope(school_a.school):
        assert LearningBlock.objects.filter(weekday=2, starts=dt.time(13)).exists()


def test_a_school_admin_changes_and_removes_a_block(client, school_a, block):
    _login(client, school_a, Role.SCHOOL_ADMIN)
    assert (
        client.post(
            url("block_edit", block.pk), {"weekday": "0", "starts": "09:00", "ends": "11:00"}
        ).status_code
        == 302
    )
    assert client.post(url("block_delete", block.pk)).status_code == 302
    with school_scope(school_a.school):
        assert not LearningBlock.objects.exists()


def test_the_blocks_page_leads_the_admin_to_the_schools_workshops(client, school_a, block):
    _login(client, school_a, Role.SCHOOL_ADMIN)
    html = client.get(url("blocks")).content.decode()
    assert f'href="{url("index")}"' in html
    assert "Every upcoming workshop of the school" in client.get(url("index")).content.decode()


@pytest.mark.parametrize("role", [Role.TEACHER, Role.STUDENT, Role.MENTOR])
def test_only_admins_set_blocks(client, school_a, block, role):
    _login(client, school_a, role)
    assert client.get(url("blocks")).status_code == 403
    assert client.post(url("block_delete", block.pk)).status_code == 403


# --- scheduling -----------------------------------------------------------------------------------------


def test_the_form_from_a_small_group_starts_with_its_students_invited(client, school_a, competency, block):
    one, two = add_student(school_a), add_student(school_a)
    elsewhere = add_student(school_a, section=school_a.other_section)
    _login(client, school_a, Role.TEACHER)
    students = "".join(f"&students={pk}" for pk in (one.pk, two.pk, elsewhere.pk, "x"))
    query = f"?section={school_a.section.pk}&competency={competency.pk}{students}"
    response = client.get(url("new") + query)
    assert response.status_code == 200
    form = response.context["form"]
    assert sorted(form.initial["students"]) == sorted([one.pk, two.pk])  # not a student the teacher lacks
    assert form.initial["competency"] == competency.pk
    html = response.content.decode()
    assert f'value="{one.pk}"' in html and "checked" in html


def test_scheduling_refused_keeps_what_was_typed_next_to_the_field(
    client, school_a, competency, block, monday
):
    student = add_student(school_a)
    _login(client, school_a, Role.TEACHER)
    data = {
        "competency": competency.pk,
        "block": block.pk,
        "day": (monday + dt.timedelta(days=1)).isoformat(),
        "location": "Room 12, back table",
        "capacity": "4",
        "students": [student.pk],
        "section": school_a.section.pk,
    }
    response = client.post(url("new"), data)
    assert response.status_code == 200
    assert_kept_with_error(response, name="day", typed=data["day"], error="the block is on Mondays")
    assert_kept_with_error(response, name="location", typed="Room 12, back table")
    data["day"] = monday.isoformat()
    response = client.post(url("new"), data)
    assert response.status_code == 302
    with school_scope(school_a.school):
        workshop = Workshop.objects.get()
        assert list(workshop.seats.values_list("student_id", "kind")) == [(student.pk, "invited")]
    assert response["Location"] == url("detail", workshop.pk)


def test_a_teacher_double_booking_is_refused_with_a_clear_message(
    client, school_a, competency, block, monday
):
    make_workshop(school_a, competency=competency, block=block, day=monday)
    _login(client, school_a, Role.TEACHER)
    response = client.post(
        url("new"),
        {
            "competency": competency.pk,
            "block": block.pk,
            "day": monday.isoformat(),
            "location": "Room 3",
            "capacity": "4",
        },
    )
    assert_kept_with_error(
        response, name="starts", typed="", error="You already run a workshop on ALPHA.FRAC then"
    )


def test_students_and_mentors_cannot_schedule(client, school_a):
    for role in (Role.STUDENT, Role.MENTOR):
        _login(client, school_a, role)
        assert client.get(url("new")).status_code == 403


# --- the student's side ----------------------------------------------------------------------------------


def test_an_invited_student_sees_the_workshop_first_in_next_up_with_the_reason(
    client, school_a, competency, block, monday
):
    student = school_a.user(Role.STUDENT)
    make_workshop(
        school_a, competency=competency, block=block, day=monday, invite=[student], location="Room 12"
    )
    _login(client, school_a, Role.STUDENT)
    for page in (reverse("agency:my_work", args=["alpha"]), reverse("schools:home", args=["alpha"])):
        html = client.get(page).content.decode()
        assert "Workshop on ALPHA.FRAC Fractions" in html
        assert "Invited because you have not practised ALPHA.FRAC yet" in html


def test_an_invitation_to_a_later_workshop_is_in_next_up_too(client, school_a, competency, block, monday):
    """A student invited to a second, later workshop finds it in Next up (under the first), not only in My
    week: a teacher's new invitation is never hidden behind an earlier one."""
    from tests.factories import CompetencyFactory

    student = school_a.user(Role.STUDENT)
    make_workshop(school_a, competency=competency, block=block, day=monday, invite=[student])
    later = CompetencyFactory(framework__school=school_a.school, code="ALPHA.DEC", title="Decimals")
    second = make_workshop(
        school_a, competency=later, block=block, day=monday + dt.timedelta(weeks=1), invite=[student]
    )
    _login(client, school_a, Role.STUDENT)
    html = client.get(reverse("agency:my_work", args=["alpha"])).content.decode()
    assert "Workshop on ALPHA.FRAC Fractions" in html  # the first, as before
    assert "Also coming up" in html and url("detail", second.pk) in html
    assert "invited because you have not practised ALPHA.DEC yet" in html


def test_a_student_signs_up_on_the_workshop_page_and_is_told_when_it_is_full(
    client, school_a, competency, block, monday
):
    workshop = make_workshop(school_a, competency=competency, block=block, day=monday, capacity=1)
    late = add_student(school_a)
    _login(client, school_a, Role.STUDENT)
    page = client.get(url("detail", workshop.pk)).content.decode()
    assert "Sign up" in page
    response = client.post(url("signup", workshop.pk), follow=True)
    assert "You have a seat" in response.content.decode()
    assert "You signed up" in response.content.decode()
    client.force_login(late)
    response = client.post(url("signup", workshop.pk), follow=True)
    assert "This workshop is full" in response.content.decode()
    index = client.get(url("index")).content.decode()
    assert "No workshop has seats left" in index


def test_a_student_declines_an_invitation(client, school_a, competency, block, monday):
    student = school_a.user(Role.STUDENT)
    workshop = make_workshop(school_a, competency=competency, block=block, day=monday, invite=[student])
    _login(client, school_a, Role.STUDENT)
    client.post(url("leave", workshop.pk))
    with school_scope(school_a.school):
        assert not Seat.objects.get(workshop=workshop, student=student).is_active
    assert "Workshop on" not in client.get(reverse("agency:my_work", args=["alpha"])).content.decode()


# --- attendance -----------------------------------------------------------------------------------------


def test_the_teacher_records_attendance_and_the_invitation_leaves_next_up(
    client, school_a, competency, block, monday
):
    student = school_a.user(Role.STUDENT)
    workshop = _started(
        make_workshop(school_a, competency=competency, block=block, day=monday, invite=[student])
    )
    _login(client, school_a, Role.TEACHER)
    page = client.get(url("detail", workshop.pk)).content.decode()
    assert "Attendance and outcomes" in page
    bad = client.post(url("attendance", workshop.pk), {f"outcome_{student.pk}": "Got it"})
    assert_kept_with_error(bad, name=f"outcome_{student.pk}", typed="Got it")
    response = client.post(
        url("attendance", workshop.pk),
        {f"attendance_{student.pk}": "present", f"outcome_{student.pk}": "Adds unlike fractions"},
    )
    assert response.status_code == 302
    with school_scope(school_a.school):
        event = EvidenceEvent.objects.get(student=student, source="workshop")
    assert event.reason == "Adds unlike fractions"
    # The evidence shows on the student's drill-down; Next up moves on.
    drilldown = client.get(reverse("dashboard:student", args=["alpha", student.pk])).content.decode()
    assert "Workshop attendance" in drilldown
    _login(client, school_a, Role.STUDENT)
    assert "Workshop on" not in client.get(reverse("agency:my_work", args=["alpha"])).content.decode()


def test_a_workshop_that_is_over_stays_on_its_teachers_page_until_attendance_is_recorded(
    client, school_a, competency, block, monday, django_assert_max_num_queries
):
    """Once a workshop is over it leaves the upcoming list: the teacher finds it under *Attendance to
    record* (a link to the attendance form), and it goes once everyone is marked."""
    student = school_a.user(Role.STUDENT)
    workshop = _started(
        make_workshop(school_a, competency=competency, block=block, day=monday, invite=[student]),
        minutes_ago=24 * 60,
    )
    _login(client, school_a, Role.TEACHER)
    with django_assert_max_num_queries(14):
        html = client.get(url("index")).content.decode()
    assert "Attendance to record" in html and url("detail", workshop.pk) in html
    assert "1 student not marked yet" in html
    detail = client.get(url("detail", workshop.pk)).content.decode()
    assert "1 of 4 seats were taken: it is over" in detail and "left" not in detail.split("<h1")[1]
    client.force_login(school_a.user("other_teacher"))  # another teacher's workshop is not theirs to mark
    assert "Attendance to record" not in client.get(url("index")).content.decode()
    _login(client, school_a, Role.TEACHER)
    client.post(url("attendance", workshop.pk), {f"attendance_{student.pk}": "absent"})
    html = client.get(url("index")).content.decode()
    assert "Attendance to record" not in html and url("detail", workshop.pk) not in html


def test_only_the_workshops_teacher_records_attendance(client, school_a, competency, block, monday):
    student = school_a.user(Role.STUDENT)
    workshop = _started(
        make_workshop(school_a, competency=competency, block=block, day=monday, invite=[student])
    )
    client.force_login(school_a.user("other_teacher"))
    assert (
        client.post(url("attendance", workshop.pk), {f"attendance_{student.pk}": "present"}).status_code
        == 403
    )
    _login(client, school_a, Role.STUDENT)
    assert (
        client.post(url("attendance", workshop.pk), {f"attendance_{student.pk}": "present"}).status_code
        == 403
    )


# --- my week --------------------------------------------------------------------------------------------


def test_my_week_shows_blocks_workshops_check_ins_and_goal_deadlines(
    client, school_a, competency, block, monday
):
    student = school_a.user(Role.STUDENT)
    make_workshop(
        school_a,
        competency=competency,
        block=block,
        day=monday,
        invite=[student],
        location="Room 12",
        starts=dt.time(10, 15),
        ends=dt.time(10, 45),
    )
    CheckInFactory(
        school=school_a.school,
        student=student,
        mentor=school_a.user(Role.MENTOR),
        date=monday + dt.timedelta(days=1),
        follow_up_date=monday + dt.timedelta(days=3),
    )
    GoalFactory(
        school=school_a.school, student=student, week_of=monday, due_date=None, text="Finish fractions"
    )
    _login(client, school_a, Role.STUDENT)
    html = client.get(url("week") + f"?week={(monday + dt.timedelta(days=2)).isoformat()}").content.decode()
    assert "PLT" in html and "10:00" in html  # the block, in school time
    assert "Workshop: ALPHA.FRAC Fractions" in html and "10:15" in html and "Room 12" in html
    assert "Invited because" in html
    assert "Check-in with ALPHAGivenMentor" in html and "Next check-in with" in html
    assert "Goal due: Finish fractions" in html
    assert f"?week={(monday - dt.timedelta(days=7)).isoformat()}" in html  # week navigation
    # Another week: only the block.
    other = client.get(url("week") + f"?week={(monday + dt.timedelta(days=7)).isoformat()}").content.decode()
    assert "Workshop:" not in other and "PLT" in other
    assert client.get(url("week") + "?week=not-a-date").status_code == 200


def test_a_teachers_week_shows_their_workshops_and_who_is_coming(client, school_a, competency, block, monday):
    student = add_student(school_a, given_name="Ada", family_name="Lovelace")
    make_workshop(school_a, competency=competency, block=block, day=monday, invite=[student], capacity=5)
    _login(client, school_a, Role.TEACHER)
    html = client.get(url("week") + f"?week={monday.isoformat()}").content.decode()
    assert "Workshop: ALPHA.FRAC" in html and "1 of 5 seats taken: Ada Lovelace" in html


def test_a_teacher_sees_a_students_week_and_not_one_of_another_section(
    client, school_a, competency, block, monday
):
    mine = school_a.user(Role.STUDENT)
    elsewhere = add_student(school_a, section=school_a.other_section)
    _login(client, school_a, Role.TEACHER)
    assert client.get(url("student_week", mine.pk)).status_code == 200
    assert client.get(url("student_week", elsewhere.pk)).status_code == 404
    _login(client, school_a, Role.STUDENT)
    assert client.get(url("student_week", elsewhere.pk)).status_code == 404


def _grow(world, competency, block, monday, n):
    """``n`` more students, each with a workshop seat, a check-in and a goal in the week."""
    teacher = world.user(Role.TEACHER)
    students = [add_student(world) for _ in range(n)]
    start = 8 + (Workshop.objects.unscoped().filter(school=world.school).count())
    for i, student in enumerate(students):
        add = add_block(
            world,
            weekday=(1 + i + start) % 7,
            starts=dt.time((start + i) % 20),
            ends=dt.time((start + i) % 20, 50),
        )
        make_workshop(
            world,
            competency=competency,
            block=add,
            day=monday + dt.timedelta(days=(add.weekday - monday.weekday()) % 7),
            invite=[student, world.user(Role.STUDENT)] if i == 0 else [student],
            teacher=teacher,
            capacity=3,
        )
        CheckInFactory(
            school=world.school,
            student=world.user(Role.STUDENT),
            mentor=world.user(Role.MENTOR),
            date=monday + dt.timedelta(days=i % 7),
        )
        GoalFactory(school=world.school, student=world.user(Role.STUDENT), week_of=monday, due_date=None)
    return students


def test_week_feed_and_workshop_pages_take_constant_queries(
    client, school_a, competency, block, monday, django_assert_max_num_queries
):
    from workshops import services

    student, teacher = school_a.user(Role.STUDENT), school_a.user(Role.TEACHER)
    with school_scope(school_a.school):
        student_feed = services.feed_issue(user=student)
        teacher_feed = services.feed_issue(user=teacher)
    first = make_workshop(
        school_a, competency=competency, block=block, day=monday, invite=[student], capacity=30
    )
    week = f"?week={monday.isoformat()}"

    def measure():
        counts = {}
        for who, target in (
            (student, url("week") + week),
            (teacher, url("week") + week),
            (teacher, url("detail", first.pk)),
            (student, url("index")),
            (teacher, url("index")),
            (student, url("detail", first.pk)),
        ):
            client.force_login(who)
            with django_assert_max_num_queries(14):
                assert client.get(target).status_code == 200
        for feed in (student_feed, teacher_feed):
            with django_assert_max_num_queries(8) as captured:
                assert client.get(reverse("calendar_feed", args=[feed.token])).status_code == 200
            counts[feed.pk] = len(captured)
        return counts

    small = measure()
    extra = _grow(school_a, competency, block, monday, 6)
    for s in extra:
        with school_scope(school_a.school):
            services.workshop_signup(workshop_id=first.pk, student=s)
    large = measure()
    assert small == large


# --- the dashboard and the mentor's brief ------------------------------------------------------------------


def test_the_dashboard_offers_a_small_group_as_a_workshop_and_lists_upcoming_ones(
    client, school_a, competency, block, monday
):
    from tests.factories import ContentItemFactory, PlaylistAssignmentFactory, PlaylistItemFactory

    assignment = PlaylistAssignmentFactory(
        playlist__school=school_a.school,
        section=school_a.section,
        start_date=monday - dt.timedelta(days=30),
        target_date=monday + dt.timedelta(days=30),
    )
    item = ContentItemFactory(school=school_a.school, title="Fractions video")
    with school_scope(school_a.school):
        item.competencies.add(competency)
    PlaylistItemFactory(playlist=assignment.playlist, item=item, position=1)
    stuck = [add_student(school_a, given_name=f"Stuck{n}") for n in range(2)]
    with school_scope(school_a.school):
        for student in stuck:
            from mastery.models import MasteryState

            MasteryState.objects.create(
                school=school_a.school,
                student=student,
                competency=competency,
                status="practicing",
                p_mastered=0.2,
            )
    _login(client, school_a, Role.TEACHER)
    page = reverse("dashboard:section", args=["alpha", school_a.section.pk])
    html = client.get(page).content.decode()
    assert "Turn into a workshop" in html
    link = url("new") + f"?section={school_a.section.pk}&amp;competency={competency.pk}"
    assert link in html and all(f"students={s.pk}" in html for s in stuck)
    assert "No student of this class has a workshop coming up" in html
    make_workshop(school_a, competency=competency, block=block, day=monday, invite=stuck)
    html = client.get(page).content.decode()
    assert "Stuck0" in html and "ALPHA.FRAC" in html and "(invited)" in html


def test_the_mentors_brief_shows_upcoming_workshops_and_outcomes_since_the_last_check_in(
    client, school_a, competency, block, monday
):
    from tests.factories import MentorAssignmentFactory

    student = school_a.user(Role.STUDENT)
    MentorAssignmentFactory(school=school_a.school, mentor=school_a.user(Role.MENTOR), student=student)
    done = _started(make_workshop(school_a, competency=competency, block=block, day=monday, invite=[student]))
    with school_scope(school_a.school):
        from workshops import services

        services.attendance_record(
            workshop=done,
            by=school_a.user(Role.TEACHER),
            marks={student.pk: ("present", "Explains equivalent fractions")},
        )
    make_workshop(school_a, competency=competency, block=block, day=monday, invite=[student])
    _login(client, school_a, Role.MENTOR)
    html = client.get(reverse("mentoring:brief", args=["alpha", student.pk])).content.decode()
    assert "Workshops" in html and "Coming up" in html and "Since the last check-in" in html
    assert "Present: Explains equivalent fractions" in html


def test_a_school_admin_sees_every_upcoming_workshop_and_its_roster(
    client, school_a, competency, block, monday
):
    student = school_a.user(Role.STUDENT)
    workshop = make_workshop(school_a, competency=competency, block=block, day=monday, invite=[student])
    _login(client, school_a, Role.SCHOOL_ADMIN)
    html = client.get(url("index")).content.decode()
    assert "Every upcoming workshop of the school" in html and "ALPHA.FRAC" in html
    assert "ALPHAGivenStudent" in client.get(url("detail", workshop.pk)).content.decode()
    _login(client, school_a, Role.MENTOR)
    assert client.get(url("detail", workshop.pk)).status_code == 404  # mentors have no workshop pages


def test_the_teachers_view_of_a_students_next_up_shows_the_workshop_first(
    client, school_a, competency, block, monday
):
    student = school_a.user(Role.STUDENT)
    make_workshop(school_a, competency=competency, block=block, day=monday, invite=[student])
    _login(client, school_a, Role.TEACHER)
    html = client.get(reverse("engine:student_next_up", args=["alpha", student.pk])).content.decode()
    assert "Workshop on ALPHA.FRAC" in html and "First in the student's Next up" in html


def test_the_dashboards_upcoming_workshops_drop_a_cancelled_one_and_one_that_is_over(
    client, school_a, competency, block, monday
):
    """Cached beside the page (dashboard/row_cache.workshops_html): a cancellation bumps the school's
    workshops version; a workshop that is over leaves the list though nothing was written."""
    from dashboard import row_cache

    student = add_student(school_a, given_name="Ona")
    workshop = make_workshop(school_a, competency=competency, block=block, day=monday, invite=[student])
    _login(client, school_a, Role.TEACHER)
    page = reverse("dashboard:section", args=["alpha", school_a.section.pk])
    assert "Ona" in client.get(page).content.decode().split('id="workshops-heading"')[1]
    with school_scope(school_a.school):
        board = row_cache.board_get(
            user=school_a.user(Role.TEACHER),
            roles=frozenset({Role.TEACHER}),
            school_id=school_a.school.pk,
            section_id=school_a.section.pk,
            today=timezone.localdate(),
        )
        assert "Ona" in row_cache.workshops_html(board, school_a.school, timezone.now())
        after = workshop.ends_at + dt.timedelta(minutes=1)
        assert "Ona" not in row_cache.workshops_html(board, school_a.school, after)
    with school_scope(school_a.school):
        workshop.status = Workshop.Status.CANCELLED
        workshop.save()
    html = client.get(page).content.decode()
    assert "Ona" not in html.split('id="workshops-heading"')[1]
