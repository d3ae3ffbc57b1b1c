"""The brief's "Goals since then" holds only what happened since the last check-in, and a check-in's "Goals
reviewed" only the goals the mentor actually reviewed there."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from mentoring import services
from mentoring.models import CheckIn, CheckInGoalReview, Goal
from mentoring.selectors import week_start
from plp.tenancy.context import school_scope
from schools.access import student_access_get
from schools.roles import Role
from tests.factories import GoalFactory
from tests.support import school_today


def goals_part(client, world, student):
    response = client.get(reverse("mentoring:brief", args=["alpha", student.pk]))
    (part,) = [p for p in response.context["parts"] if p.key == "goals"]
    shown = [g.text for key in ("met", "partly", "not_met", "open", "overdue") for g in part.context[key]]
    return shown, response.content.decode()


def test_goals_since_then_are_those_due_set_or_reflected_on_after_the_last_check_in(client, school_a, mentee):
    school, mentor = school_a.school, school_a.user(Role.MENTOR)
    today = school_today(school)
    last_day = today - dt.timedelta(days=7)
    before = timezone.now() - dt.timedelta(days=8)

    def goal(text, *, due, created=before, **fields):
        made = GoalFactory(
            school=school,
            student=mentee,
            text=text,
            due_date=due,
            week_of=week_start(due) if due else None,
            **fields,
        )
        with school_scope(school):
            Goal.objects.filter(pk=made.pk).update(created_at=created)
        return made

    old_overdue = goal("Old overdue goal", due=today - dt.timedelta(days=20))
    reviewed = goal("Reviewed at the last check-in", due=last_day - dt.timedelta(days=1))
    due_that_day = goal("Due on the day of the last check-in", due=last_day)
    reflected = goal("Reflected on since", due=last_day - dt.timedelta(days=3))
    with school_scope(school):
        access = student_access_get(user=mentor, roles=frozenset({Role.MENTOR}), student_id=mentee.pk)
        services.check_in_record(
            access=access,
            actor=mentor,
            data={"date": last_day, "format": "one_on_one"},
            reviews={reviewed.pk: "partly", due_that_day.pk: "met"},
        )
        CheckIn.objects.update(created_at=timezone.now() - dt.timedelta(days=7))
        Goal.objects.filter(pk=reflected.pk).update(
            status="met", reflection="Did it", reflected_at=timezone.now() - dt.timedelta(days=2)
        )
    created_since = goal("Set since", due=today + dt.timedelta(days=2), created=timezone.now())
    long_range = GoalFactory(
        school=school,
        student=mentee,
        kind="long_range",
        text="A new long-range goal",
        week_of=None,
        due_date=None,
    )
    goal("An old long-range goal", due=None, kind="long_range")
    due_since = goal("Due since, never reflected", due=today - dt.timedelta(days=1))

    client.force_login(mentor)
    shown, body = goals_part(client, school_a, mentee)
    assert sorted(shown) == sorted([reflected.text, created_since.text, due_since.text, long_range.text])
    assert old_overdue.text not in body and reviewed.text not in body and due_that_day.text not in body
    assert "An old long-range goal" not in body
    assert "after the last check-in" in body  # the rule is stated on the page


def test_the_first_brief_lists_every_goal(client, school_a, mentee):
    today = school_today(school_a.school)
    GoalFactory(
        school=school_a.school, student=mentee, text="Long ago", due_date=today - dt.timedelta(days=60)
    )
    client.force_login(school_a.user(Role.MENTOR))
    shown, _ = goals_part(client, school_a, mentee)
    assert shown == ["Long ago"]


def test_a_check_in_records_only_the_goals_the_mentor_reviewed(client, school_a, mentee):
    today = school_today(school_a.school)
    touched = GoalFactory(school=school_a.school, student=mentee, week_of=week_start(today), text="Touched")
    kept_open = GoalFactory(
        school=school_a.school, student=mentee, week_of=week_start(today), text="Said open"
    )
    untouched = GoalFactory(
        school=school_a.school, student=mentee, week_of=week_start(today), text="Untouched"
    )
    client.force_login(school_a.user(Role.MENTOR))
    url = reverse("mentoring:check_in_new", args=["alpha", mentee.pk])
    form = client.get(url).content.decode()
    assert "Not reviewed" in form
    response = client.post(
        url,
        {
            "date": today.isoformat(),
            "format": "one_on_one",
            f"goal_{touched.pk}": "met",
            f"goal_{kept_open.pk}": "open",  # reviewed, and left open on purpose
            f"goal_{untouched.pk}": "",
        },
    )
    assert response.status_code == 302
    with school_scope(school_a.school):
        check_in = CheckIn.objects.get()
        reviewed = dict(
            CheckInGoalReview.objects.filter(check_in=check_in).values_list("goal__text", "status")
        )
        untouched.refresh_from_db()
    assert reviewed == {"Touched": "met", "Said open": "open"}
    assert untouched.status == "open"
    page = client.get(reverse("mentoring:check_in_detail", args=["alpha", check_in.pk])).content.decode()
    section = page.split("Goals reviewed")[1].split("</dd>")[0]
    assert "Touched" in section and "Said open" in section and "Untouched" not in section
