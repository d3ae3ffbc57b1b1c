import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from mentoring import services
from mentoring.models import CheckIn, CheckInChange, CheckInGoalReview, Goal
from mentoring.selectors import week_start
from plp.tenancy.context import school_scope
from schools.access import student_access_get
from schools.models import MentorAssignment, SchoolSettings
from schools.roles import DISTRICT_ADMIN, Role
from tests.factories import (
    CheckInChangeFactory,
    CheckInFactory,
    GoalFactory,
    MembershipFactory,
    MentorAssignmentFactory,
    UserFactory,
)
from tests.support import add_student, school_today


def _login(client, world, role):
    client.force_login(world.user(role))
    return client


def test_a_student_sets_weekly_goals_and_a_fourth_is_refused_keeping_the_text(client, school_a):
    _login(client, school_a, Role.STUDENT)
    url = reverse("mentoring:my_goals", args=["alpha"])
    first = client.get(url)
    assert first.status_code == 200
    assert "(1 to 3 in all)" in first.content.decode()  # was "(one to 3 in all)": a word beside a digit
    response = client.post(
        url, {"action": "weekly", "goal_1": "Finish fractions", "goal_2": "Read 2 chapters"}
    )
    assert response.status_code == 302
    page = client.get(url)
    body = page.content.decode()
    assert "Finish fractions" in body and "Read 2 chapters" in body
    assert page.context["weekly_form"].slots == 1
    refused = client.post(url, {"action": "weekly", "goal_1": "Typed but too many", "goal_2": ""})
    assert refused.status_code == 302  # one slot left: accepted
    full = client.get(url)
    assert full.context["weekly_form"] is None and "has its 3 goals" in full.content.decode()
    with school_scope(school_a.school):
        assert Goal.objects.filter(week_of=week_start(school_today(school_a.school))).count() == 3


def test_next_week_is_planned_beside_this_week_once_it_has_goals_and_fills_to_three(client, school_a):
    student = school_a.user(Role.STUDENT)
    next_monday = week_start(school_today(school_a.school)) + dt.timedelta(weeks=1)
    GoalFactory(
        school=school_a.school, student=student, week_of=next_monday, text="Start the decimals playlist"
    )
    _login(client, school_a, Role.STUDENT)
    url = reverse("mentoring:my_goals", args=["alpha"])
    page = client.get(url)
    body = page.content.decode()
    assert (
        f"Next week · from {next_monday:%b} {next_monday.day}" in body
        and "Start the decimals playlist" in body
    )
    assert page.context["next_week_form"].slots == 2
    assert 'label for="id_next-goal_1">Next week: goal 1' in body  # not confused with this week's "Goal 1"

    refused = client.post(url, {"action": "weekly_next", "next-goal_1": " "}, HTTP_HX_REQUEST="true")
    assert refused.status_code == 200 and 'id="next-week-form"' in refused.content.decode()
    assert "<html" not in refused.content.decode()
    saved = client.post(
        url, {"action": "weekly_next", "next-goal_1": "Decimals quiz", "next-goal_2": "Read daily"}
    )
    assert saved.status_code == 302
    with school_scope(school_a.school):
        assert Goal.objects.filter(week_of=next_monday).count() == 3
        assert not Goal.objects.filter(week_of=week_start(school_today(school_a.school))).exists()
    full = client.get(url)
    assert full.context["next_week_form"] is None and "Next week has its 3 goals" in full.content.decode()


def test_an_empty_weekly_form_keeps_typed_competency_and_shows_the_error(client, school_a):
    _login(client, school_a, Role.STUDENT)
    url = reverse("mentoring:my_goals", args=["alpha"])
    response = client.post(url, {"action": "weekly", "goal_1": "", "goal_2": " "}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert response.status_code == 200 and "Write 1 to 3 goals" in body and "<html" not in body


def test_the_student_reflects_and_the_mentor_sees_both(client, school_a, mentee):
    goal = GoalFactory(
        school=school_a.school,
        student=mentee,
        week_of=week_start(school_today(school_a.school)),
        text="Practice piano",
    )
    _login(client, school_a, Role.STUDENT)
    reflect = reverse("mentoring:goal_reflect", args=["alpha", goal.pk])
    bad = client.post(reflect, {"status": "met", "reflection": ""}, HTTP_HX_REQUEST="true")
    assert bad.status_code == 200 and "This field is required" in bad.content.decode()
    assert client.get(reflect).status_code == 405
    client.post(reflect, {"status": "partly", "reflection": "Three days of five."})
    _login(client, school_a, Role.MENTOR)
    body = client.get(reverse("mentoring:goals", args=["alpha", mentee.pk])).content.decode()
    assert "Practice piano" in body and "Three days of five." in body and "Partly met" in body


def test_overdue_goals_are_visible(client, school_a, mentee):
    last_week = week_start(school_today(school_a.school)) - dt.timedelta(weeks=1)
    GoalFactory(
        school=school_a.school,
        student=mentee,
        week_of=last_week,
        due_date=last_week + dt.timedelta(days=6),
        text="Old unreflected goal",
    )
    _login(client, school_a, Role.MENTOR)
    page = client.get(reverse("mentoring:goals", args=["alpha", mentee.pk]))
    assert [g.text for g in page.context["board"]["overdue"]] == ["Old unreflected goal"]
    assert "Overdue (1)" in page.content.decode()
    mentees = client.get(reverse("mentoring:mentee_list", args=["alpha"]))
    assert "1 overdue" in mentees.content.decode()


def test_another_students_goal_cannot_be_reflected(client, school_a):
    other = add_student(school_a)
    goal = GoalFactory(
        school=school_a.school, student=other, week_of=week_start(school_today(school_a.school))
    )
    _login(client, school_a, Role.STUDENT)
    assert (
        client.post(
            reverse("mentoring:goal_reflect", args=["alpha", goal.pk]), {"status": "met", "reflection": "x"}
        ).status_code
        == 404
    )


def test_the_mentee_list_puts_overdue_first_never_checked_in_first_of_all(client, school_a):
    mentor = school_a.user(Role.MENTOR)
    today = school_today(school_a.school)
    people = {}
    for name, last, follow_up in [
        ("Recent", today - dt.timedelta(days=2), None),
        ("Never", None, None),
        ("Stale", today - dt.timedelta(days=30), None),
        ("Followup", today - dt.timedelta(days=12), today - dt.timedelta(days=5)),
        ("Older", today - dt.timedelta(days=9), None),
    ]:
        student = add_student(school_a, given_name=name)
        assignment = MentorAssignmentFactory(school=school_a.school, mentor=mentor, student=student)
        with school_scope(school_a.school):  # mentored for a month: a first check-in is long due
            MentorAssignment.objects.filter(pk=assignment.pk).update(
                created_at=timezone.now() - dt.timedelta(days=30)
            )
        if last:
            CheckInFactory(
                school=school_a.school, student=student, mentor=mentor, date=last, follow_up_date=follow_up
            )
        people[name] = student
    _login(client, school_a, Role.MENTOR)
    rows = client.get(reverse("mentoring:mentee_list", args=["alpha"])).context["page"].object_list
    assert [r.student.given_name for r in rows] == ["Never", "Stale", "Followup", "Older", "Recent"]
    assert [r.is_overdue for r in rows] == [True, True, True, False, False]


def test_a_new_mentee_or_a_follow_up_a_day_late_is_not_overdue_yet(client, school_a):
    """The engine's missed check-in rule: a first check-in is due a cadence after mentoring began, and a
    follow-up date is missed only past the grace days."""
    mentor = school_a.user(Role.MENTOR)
    today = school_today(school_a.school)
    new = add_student(school_a, given_name="New")
    MentorAssignmentFactory(school=school_a.school, mentor=mentor, student=new)
    late = add_student(school_a, given_name="Late")
    MentorAssignmentFactory(school=school_a.school, mentor=mentor, student=late)
    CheckInFactory(
        school=school_a.school, student=late, mentor=mentor, date=today - dt.timedelta(days=8),
        follow_up_date=today - dt.timedelta(days=1),
    )  # fmt: skip
    _login(client, school_a, Role.MENTOR)
    rows = client.get(reverse("mentoring:mentee_list", args=["alpha"])).context["page"].object_list
    assert [(r.student.given_name, r.is_overdue) for r in rows] == [("New", False), ("Late", False)]


def test_the_mentee_list_query_count_is_constant(client, school_a, django_assert_max_num_queries):
    mentor = school_a.user(Role.MENTOR)
    url = reverse("mentoring:mentee_list", args=["alpha"])
    _login(client, school_a, Role.MENTOR)

    def add(n):
        for i in range(n):
            student = add_student(school_a, given_name=f"M{i}")
            MentorAssignmentFactory(school=school_a.school, mentor=mentor, student=student)
            CheckInFactory(
                school=school_a.school, student=student, mentor=mentor, date=school_today(school_a.school)
            )
            GoalFactory(
                school=school_a.school, student=student, week_of=week_start(school_today(school_a.school))
            )

    add(1)
    # 18: the list (8) and each mentee's level and suggestion (agency.selectors.evidences_for, 10)
    with django_assert_max_num_queries(18):
        assert len(client.get(url).context["page"].object_list) == 1
    add(29)
    with django_assert_max_num_queries(18):
        assert len(client.get(url).context["page"].object_list) == 30


def test_only_mentors_have_a_mentee_list(client, school_a):
    _login(client, school_a, Role.TEACHER)
    assert client.get(reverse("mentoring:mentee_list", args=["alpha"])).status_code == 403


def test_a_mentor_records_a_check_in_and_a_validation_error_keeps_every_typed_word(client, school_a, mentee):
    goal = GoalFactory(
        school=school_a.school,
        student=mentee,
        week_of=week_start(school_today(school_a.school)),
        text="Read daily",
    )
    _login(client, school_a, Role.MENTOR)
    url = reverse("mentoring:check_in_new", args=["alpha", mentee.pk])
    form = client.get(url)
    assert form.status_code == 200 and "Read daily" in form.content.decode()
    data = {
        "date": school_today(school_a.school).isoformat(),
        "format": "family_conference",
        "self_direction": "3",
        "perseverance": "2",
        "collaboration": "4",
        "organization": "1",
        "shared_notes": "Great progress on reading",
        "private_notes": "Worried about sleep",
        "next_steps": "Try a reading log",
        "follow_up_date": (
            school_today(school_a.school) - dt.timedelta(days=1)
        ).isoformat(),  # before the check-in: invalid
        f"goal_{goal.pk}": "met",
    }
    bad = client.post(url, data, HTTP_HX_REQUEST="true")
    body = bad.content.decode()
    assert bad.status_code == 200 and "The follow-up comes after the check-in." in body
    for typed in ("Great progress on reading", "Worried about sleep", "Try a reading log"):
        assert typed in body
    with school_scope(school_a.school):
        assert not CheckIn.objects.exists()
    data["follow_up_date"] = (school_today(school_a.school) + dt.timedelta(days=7)).isoformat()
    ok = client.post(url, data, HTTP_HX_REQUEST="true")
    with school_scope(school_a.school):
        check_in = CheckIn.objects.get()
        goal.refresh_from_db()
    assert ok["HX-Redirect"] == reverse("mentoring:check_in_detail", args=["alpha", check_in.pk])
    assert (check_in.format, check_in.organization, goal.status) == ("family_conference", 1, "met")


@pytest.mark.parametrize("role", [Role.TEACHER, Role.STUDENT, Role.SCHOOL_ADMIN])
def test_only_the_students_mentors_record_check_ins(client, school_a, role):
    _login(client, school_a, role)
    url = reverse("mentoring:check_in_new", args=["alpha", school_a.user(Role.STUDENT).pk])
    assert client.get(url).status_code == 403


def test_a_mentor_cannot_open_a_non_mentee(client, school_a):
    _login(client, school_a, Role.MENTOR)
    other = add_student(school_a)
    for name in ("check_in_new", "brief", "timeline", "goals"):
        assert client.get(reverse(f"mentoring:{name}", args=["alpha", other.pk])).status_code == 404


def test_the_brief_shows_what_changed_since_the_last_check_in(client, school_a, mentee):
    mentor = school_a.user(Role.MENTOR)
    today = school_today(school_a.school)
    CheckInFactory(
        school=school_a.school,
        student=mentee,
        mentor=mentor,
        date=today - dt.timedelta(days=10),
        next_steps="Start a reading log",
    )
    monday = week_start(today)
    GoalFactory(
        school=school_a.school, student=mentee, week_of=monday, due_date=today, text="Met goal", status="met"
    )
    GoalFactory(
        school=school_a.school,
        student=mentee,
        week_of=monday,
        due_date=today,
        text="Missed goal",
        status="not_met",
    )
    GoalFactory(
        school=school_a.school,
        student=mentee,
        week_of=monday - dt.timedelta(weeks=5),
        due_date=monday - dt.timedelta(weeks=5),
        text="Ancient goal",
        status="met",
    )
    _login(client, school_a, Role.MENTOR)
    response = client.get(reverse("mentoring:brief", args=["alpha", mentee.pk]))
    body = response.content.decode()
    assert [p.key for p in response.context["parts"]] == [
        "last_check_in",
        "habits",
        "goals",
        "flags",
        "level",
    ]
    assert "Start a reading log" in body and "Met goal" in body and "Missed goal" in body
    assert "Ancient goal" not in body


def test_students_get_no_brief(client, school_a):
    _login(client, school_a, Role.STUDENT)
    assert (
        client.get(reverse("mentoring:brief", args=["alpha", school_a.user(Role.STUDENT).pk])).status_code
        == 403
    )


@pytest.mark.parametrize("bad", ["abc", "0", "-1", "9" * 30])
def test_bad_page_numbers_do_not_500(client, school_a, mentee, bad):
    _login(client, school_a, Role.MENTOR)
    for name in ("timeline",):
        assert (
            client.get(reverse(f"mentoring:{name}", args=["alpha", mentee.pk]), {"page": bad}).status_code
            == 200
        )
    assert client.get(reverse("mentoring:mentee_list", args=["alpha"]), {"page": bad}).status_code == 200


def test_the_timeline_and_goals_pages_have_constant_query_counts(
    client, school_a, mentee, django_assert_max_num_queries
):
    mentor = school_a.user(Role.MENTOR)
    _login(client, school_a, Role.MENTOR)
    timeline = reverse("mentoring:timeline", args=["alpha", mentee.pk])
    goals = reverse("mentoring:goals", args=["alpha", mentee.pk])
    monday = week_start(school_today(school_a.school))

    def add(n):
        for i in range(n):
            week = monday - dt.timedelta(weeks=i % 4)
            goal = GoalFactory(school=school_a.school, student=mentee, week_of=week, due_date=week)
            check_in = CheckInFactory(school=school_a.school, student=mentee, mentor=mentor, date=week)
            with school_scope(school_a.school):
                check_in.goal_reviews.create(school=school_a.school, goal=goal, status="met")
                goal.changes.create(
                    school=school_a.school, field="created", new_value=goal.text, changed_by=mentor
                )

    add(1)
    with django_assert_max_num_queries(16):
        assert client.get(timeline).status_code == 200
    with django_assert_max_num_queries(16):
        assert client.get(goals).status_code == 200
    add(12)
    with django_assert_max_num_queries(16):
        assert len(client.get(timeline).context["page"].object_list) == 10
    with django_assert_max_num_queries(16):
        assert client.get(goals).status_code == 200


def test_the_brief_compares_habits_with_the_check_in_before(client, school_a, mentee):
    mentor = school_a.user(Role.MENTOR)
    today = school_today(school_a.school)
    CheckInFactory(
        school=school_a.school,
        student=mentee,
        mentor=mentor,
        date=today - dt.timedelta(days=14),
        perseverance=2,
    )
    CheckInFactory(
        school=school_a.school,
        student=mentee,
        mentor=mentor,
        date=today - dt.timedelta(days=7),
        perseverance=3,
    )
    _login(client, school_a, Role.MENTOR)
    response = client.get(reverse("mentoring:brief", args=["alpha", mentee.pk]))
    habits = next(p for p in response.context["parts"] if p.key == "habits")
    perseverance = next(r for r in habits.context["rows"] if r["label"] == "Perseverance")
    assert (perseverance["before"], perseverance["now"], perseverance["trend"]) == (2, 3, "up")
    assert "↑ up" in response.content.decode()


# Correcting a recorded check-in (mentoring:check_in_edit).


@pytest.fixture
def recorded(school_a, mentee):
    """A check-in the student's mentor recorded last week, with a typo in the shared note."""
    today = school_today(school_a.school)
    return CheckInFactory(
        school=school_a.school,
        student=mentee,
        mentor=school_a.user(Role.MENTOR),
        date=today - dt.timedelta(days=7),
        perseverance=2,
        shared_notes="Great wrok on ratios",
        private_notes="Mentions trouble sleeping",
        next_steps="One playlist item a day",
        follow_up_date=today + dt.timedelta(days=7),
    )


def _edit_url(check_in):
    return reverse("mentoring:check_in_edit", args=["alpha", check_in.pk])


def _detail_url(check_in):
    return reverse("mentoring:check_in_detail", args=["alpha", check_in.pk])


def _as_posted(check_in, **changes) -> dict:
    """The edit form as the page fills it from ``check_in``, with ``changes`` typed over it."""
    values = {name: getattr(check_in, name) for name in CheckIn.OWN_FIELDS} | changes
    return {name: "" if value is None else str(value) for name, value in values.items()}


def test_a_mentor_corrects_a_check_in_and_its_page_says_who_edited_it_and_what_changed(
    client, school_a, recorded
):
    _login(client, school_a, Role.MENTOR)
    detail = client.get(_detail_url(recorded)).content.decode()
    assert _edit_url(recorded) in detail and "Edited" not in detail
    form = client.get(_edit_url(recorded))
    body = form.content.decode()
    assert form.status_code == 200 and "Great wrok on ratios" in body and "Mentions trouble sleeping" in body
    assert "goals reviewed in this check-in are not edited here" in body
    assert "Goals reviewed" not in body  # no review fields: a correction never changes goal statuses

    saved = client.post(
        _edit_url(recorded), _as_posted(recorded, shared_notes="Great work on ratios", organization=3)
    )
    assert saved.status_code == 302 and saved["Location"] == _detail_url(recorded)
    page = client.get(saved["Location"])
    body = page.content.decode()
    assert "Check-in updated." in body
    today = school_today(school_a.school)
    mentor = school_a.user(Role.MENTOR)
    assert f"Edited {today:%b} {today.day}, {today.year} by {mentor.get_full_name()}" in body
    assert [(c.field, c.old_value, c.new_value) for c in page.context["check_in"].change_list] == [
        ("organization", "", "3"),
        ("shared_notes", "Great wrok on ratios", "Great work on ratios"),
    ]  # one edit: its fields in the form's order
    with school_scope(school_a.school):
        stored = CheckIn.objects.get(pk=recorded.pk)
    assert (stored.shared_notes, stored.organization, stored.perseverance) == ("Great work on ratios", 3, 2)


def test_a_second_mentors_stale_form_is_refused_with_their_text_kept_and_saves_once_they_have_looked(
    client, school_a, recorded
):
    _login(client, school_a, Role.MENTOR)
    opened = client.get(_edit_url(recorded)).context["form"]["version"].value()
    with school_scope(school_a.school):  # another mentor's correction lands meanwhile
        CheckIn.objects.filter(pk=recorded.pk).update(next_steps="Two playlist items a day")
    stale = _as_posted(recorded, shared_notes="Great work on ratios") | {"version": opened}
    refused = client.post(_edit_url(recorded), stale, HTTP_HX_REQUEST="true")
    body = refused.content.decode()
    assert refused.status_code == 200 and "changed after you opened it" in body
    assert "Great work on ratios" in body  # what this mentor typed is kept
    with school_scope(school_a.school):
        stored = CheckIn.objects.get(pk=recorded.pk)
    assert stored.shared_notes == "Great wrok on ratios" and stored.next_steps == "Two playlist items a day"
    assert f'name="version" value="{stored.version}"' in body  # the form now stands on it

    again = client.post(_edit_url(recorded), stale | {"version": stored.version})
    assert again.status_code == 302
    with school_scope(school_a.school):
        assert CheckIn.objects.get(pk=recorded.pk).shared_notes == "Great work on ratios"


def test_the_timeline_marks_corrected_check_ins_as_edited_but_not_for_a_private_correction_to_the_student(
    client, school_a, recorded
):
    mentor, student = school_a.user(Role.MENTOR), recorded.student
    quiet = CheckInFactory(school=school_a.school, student=student, mentor=mentor, date=recorded.date)
    with school_scope(school_a.school):
        access = student_access_get(user=mentor, roles=frozenset({Role.MENTOR}), student_id=student.pk)
        services.check_in_update(access=access, actor=mentor, check_in=recorded, data={"next_steps": "Fixed"})
        services.check_in_update(access=access, actor=mentor, check_in=quiet, data={"private_notes": "Tired"})
    timeline = reverse("mentoring:timeline", args=["alpha", student.pk])

    def edits_seen_by(user) -> tuple[dict, int]:
        client.force_login(user)
        page = client.get(timeline)
        badges = page.content.decode().count('<span class="badge">edited</span>')
        return {c.pk: c.visible_edits for c in page.context["page"].object_list}, badges

    assert edits_seen_by(mentor) == ({recorded.pk: 1, quiet.pk: 1}, 2)
    assert edits_seen_by(student) == ({recorded.pk: 1, quiet.pk: 0}, 1)


def test_a_correction_leaves_the_goal_reviews_of_the_check_in_alone(client, school_a, recorded):
    goal = GoalFactory(school=school_a.school, student=recorded.student, status="met")
    with school_scope(school_a.school):
        CheckInGoalReview.objects.create(school=school_a.school, check_in=recorded, goal=goal, status="met")
    _login(client, school_a, Role.MENTOR)
    posted = _as_posted(recorded, next_steps="Two items a day") | {f"goal_{goal.pk}": "not_met"}
    assert client.post(_edit_url(recorded), posted).status_code == 302
    with school_scope(school_a.school):
        goal.refresh_from_db()
        assert goal.status == "met" and not goal.changes.exists()
        assert list(CheckInGoalReview.objects.values_list("status", flat=True)) == ["met"]
        assert list(CheckInChange.objects.values_list("field", flat=True)) == ["next_steps"]


def test_an_unchanged_submit_writes_no_history(client, school_a, recorded):
    _login(client, school_a, Role.MENTOR)
    saved = client.post(_edit_url(recorded), _as_posted(recorded), follow=True)
    body = saved.content.decode()
    assert "Check-in updated." in body and "Edited" not in body
    with school_scope(school_a.school):
        assert not CheckInChange.objects.exists()


@pytest.mark.parametrize("htmx", [True, False], ids=["htmx", "plain"])
def test_a_validation_error_keeps_every_typed_word(client, school_a, recorded, htmx):
    _login(client, school_a, Role.MENTOR)
    typed = _as_posted(
        recorded,
        shared_notes="Typed shared correction",
        private_notes="Typed private correction",
        next_steps="Typed next step",
        follow_up_date=recorded.date - dt.timedelta(days=1),  # before the check-in: refused
    )
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    refused = client.post(_edit_url(recorded), typed, **headers)
    body = refused.content.decode()
    assert refused.status_code == 200 and "The follow-up comes after the check-in." in body
    assert ("<html" in body) is not htmx  # htmx swaps in the form alone
    for words in ("Typed shared correction", "Typed private correction", "Typed next step"):
        assert words in body
    assert typed["follow_up_date"] in body
    bad_rating = client.post(_edit_url(recorded), {**typed, "follow_up_date": "", "collaboration": "9"})
    assert "Typed shared correction" in bad_rating.content.decode()
    assert bad_rating.context["form"].errors.keys() == {"collaboration"}
    with school_scope(school_a.school):
        assert CheckIn.objects.get(pk=recorded.pk).shared_notes == "Great wrok on ratios"
        assert not CheckInChange.objects.exists()


def test_a_successful_htmx_correction_redirects_to_the_check_in(client, school_a, recorded):
    _login(client, school_a, Role.MENTOR)
    posted = _as_posted(recorded, format="small_group")
    saved = client.post(_edit_url(recorded), posted, HTTP_HX_REQUEST="true")
    assert saved.status_code == 200 and saved["HX-Redirect"] == _detail_url(recorded)


@pytest.mark.parametrize("role", [Role.STUDENT, Role.TEACHER, Role.SCHOOL_ADMIN, DISTRICT_ADMIN])
def test_those_who_see_the_check_in_but_do_not_mentor_the_student_get_no_edit_link_and_a_403(
    client, school_a, recorded, role
):
    _login(client, school_a, role)
    detail = client.get(_detail_url(recorded))
    assert detail.status_code == 200 and _edit_url(recorded) not in detail.content.decode()
    assert client.get(_edit_url(recorded)).status_code == 403
    assert client.post(_edit_url(recorded), _as_posted(recorded, shared_notes="Hijacked")).status_code == 403
    with school_scope(school_a.school):
        assert CheckIn.objects.get(pk=recorded.pk).shared_notes == "Great wrok on ratios"


def _mentor_of_someone_else(world):
    mentor = UserFactory()
    MembershipFactory(school=world.school, user=mentor, role=Role.MENTOR)
    MentorAssignmentFactory(school=world.school, mentor=mentor, student=add_student(world))
    return mentor


def test_those_who_cannot_see_the_check_in_get_404_for_its_edit_page(client, school_a, recorded):
    former = UserFactory()  # the student's mentor until the assignment ended
    MembershipFactory(school=school_a.school, user=former, role=Role.MENTOR)
    MentorAssignmentFactory(
        school=school_a.school, mentor=former, student=recorded.student, is_primary=False, is_active=False
    )
    strangers = {
        "a mentor of other students": _mentor_of_someone_else(school_a),
        "a former mentor": former,
        "another student": add_student(school_a, section=school_a.section),
        "a teacher of other sections": school_a.user("other_teacher"),
    }
    for who, user in strangers.items():
        client.force_login(user)
        assert client.get(_detail_url(recorded)).status_code == 404, who
        assert client.get(_edit_url(recorded)).status_code == 404, who
        hijack = client.post(_edit_url(recorded), _as_posted(recorded, shared_notes="Hijacked"))
        assert hijack.status_code == 404, who
    with school_scope(school_a.school):
        assert not CheckInChange.objects.exists()


@pytest.mark.parametrize("edits", [1, 10])
def test_the_check_in_page_reads_its_history_in_a_constant_number_of_queries(
    client, school_a, recorded, edits, django_assert_max_num_queries
):
    mentor = school_a.user(Role.MENTOR)
    for n in range(edits):
        CheckInChangeFactory(check_in=recorded, field="next_steps", new_value=f"Step {n}", changed_by=mentor)
    _login(client, school_a, Role.MENTOR)
    with django_assert_max_num_queries(8):  # 7, and the read-access audit log's one INSERT
        page = client.get(_detail_url(recorded))
    assert len(page.context["check_in"].change_list) == edits


def test_a_schools_own_check_in_cadence_and_grace_decide_overdue(client, school_a):
    mentor = school_a.user(Role.MENTOR)
    today = school_today(school_a.school)
    student = add_student(school_a, given_name="Weekly")
    MentorAssignmentFactory(school=school_a.school, mentor=mentor, student=student)
    CheckInFactory(school=school_a.school, student=student, mentor=mentor, date=today - dt.timedelta(days=9))
    _login(client, school_a, Role.MENTOR)
    mentees = reverse("mentoring:mentee_list", args=["alpha"])
    assert [r.is_overdue for r in client.get(mentees).context["page"].object_list] == [False]
    with school_scope(school_a.school):  # a weekly school, no grace: nine days is overdue
        SchoolSettings.objects.create(school=school_a.school, check_in_days=7, check_in_grace_days=0)
    page = client.get(mentees)
    assert [r.is_overdue for r in page.context["page"].object_list] == [True]
    # The legend states the school's rule, not the defaults (it said 14 days and 3 days' grace).
    assert "not seen for more than 7 days" in page.content.decode()
    assert "by more than 0 days" in page.content.decode()


def test_a_habit_has_one_name_on_the_form_the_check_in_and_the_brief(client, school_a, mentee):
    """The form and the brief said "Self-direction", the saved check-in "Self direction"."""
    mentor = school_a.user(Role.MENTOR)
    CheckInFactory(school=school_a.school, student=mentee, mentor=mentor, self_direction=2)
    latest = CheckInFactory(school=school_a.school, student=mentee, mentor=mentor, self_direction=3)
    _login(client, school_a, Role.MENTOR)
    pages = [
        reverse("mentoring:check_in_new", args=["alpha", mentee.pk]),
        reverse("mentoring:check_in_detail", args=["alpha", latest.pk]),
        reverse("mentoring:brief", args=["alpha", mentee.pk]),
    ]
    for url in pages:
        body = client.get(url).content.decode()
        assert "Self-direction" in body, url
        assert "Self direction" not in body, url
