"""The level pages: who sees what, the decision forms (keeping input on error), and My work per level."""

from django.urls import reverse

from agency.models import LevelDecision, StudentLevel
from plp.tenancy.context import school_scope
from schools.roles import DISTRICT_ADMIN, Role
from tests.agency.conftest import place
from tests.factories import MembershipFactory, UserFactory
from tests.form_checks import assert_kept_with_error


def _url(name, student):
    return reverse(f"agency:{name}", args=["alpha", student.pk])


def test_the_mentor_sees_the_evidence_and_promotes_with_a_reason(client, school_a, mentee):
    place(school_a, mentee, 1)
    client.force_login(school_a.user(Role.MENTOR))
    page = client.get(_url("student_level", mentee))
    assert page.status_code == 200
    body = page.content.decode()
    assert "The evidence suggests" in body and "Habits of success" in body and "Guided" in body
    response = client.post(_url("level_change", mentee), {"to_rank": "2", "reason": "Ready for choice."})
    assert response.status_code == 302
    with school_scope(school_a.school):
        assert StudentLevel.objects.get(student=mentee).rank == 2
        assert LevelDecision.objects.filter(
            student=mentee, kind="promoted", reason="Ready for choice."
        ).exists()


def test_a_refused_change_keeps_the_reason_typed(client, school_a, mentee):
    place(school_a, mentee, 2)
    client.force_login(school_a.user(Role.MENTOR))
    response = client.post(_url("level_change", mentee), {"to_rank": "2", "reason": "Still choosing."})
    assert response.status_code == 400
    assert_kept_with_error(response, name="reason", typed="Still choosing.")
    assert_kept_with_error(response, name="to_rank", typed="2", error="is at Choosing already")
    blank = client.post(_url("level_change", mentee), {"to_rank": "3", "reason": ""})
    assert_kept_with_error(blank, name="to_rank", typed="3")
    assert_kept_with_error(blank, name="reason", typed="", error="This field is required")


def test_the_teacher_and_admins_decide_too_but_not_a_teacher_of_another_section(client, school_a, mentee):
    for role in (Role.TEACHER, Role.SCHOOL_ADMIN, DISTRICT_ADMIN):
        client.force_login(school_a.user(role))
        assert client.get(_url("student_level", mentee)).status_code == 200
    client.force_login(school_a.user("other_teacher"))
    assert client.get(_url("student_level", mentee)).status_code == 404
    assert client.post(_url("level_change", mentee), {"to_rank": "1", "reason": "x"}).status_code == 404


def test_a_student_sees_their_own_level_only(client, school_a, mentee):
    other = UserFactory()
    MembershipFactory(school=school_a.school, user=other, role=Role.STUDENT)
    client.force_login(mentee)
    own = client.get(reverse("agency:my_level", args=["alpha"]))
    assert own.status_code == 200 and "My level" in own.content.decode()
    assert client.get(_url("student_level", mentee)).status_code == 302  # their own: to "My level"
    assert client.get(_url("student_level", other)).status_code == 404
    assert (
        client.post(_url("level_change", mentee), {"to_rank": "3", "reason": "I say so"}).status_code == 403
    )
    assert client.post(_url("suggestion_decline", mentee), {"decline_reason": "x"}).status_code == 403


def test_the_student_page_says_what_earns_the_next_level(client, school_a, mentee):
    place(school_a, mentee, 1)
    client.force_login(mentee)
    body = client.get(reverse("agency:my_level", args=["alpha"])).content.decode()
    assert "What earns Choosing" in body
    assert "an average of 3 or more in check-ins" in body
    assert "Placed for the test." in body  # the why of each change


def test_pace_target_form_keeps_input_and_is_refused_below_self_directed(client, school_a, mentee):
    place(school_a, mentee, 3)
    client.force_login(mentee)
    url = reverse("agency:my_level", args=["alpha"])
    bad = client.post(url, {"pace_target": "99"})
    assert bad.status_code == 400
    assert_kept_with_error(bad, name="pace_target", typed="99", error="less than or equal to 50")
    assert client.post(url, {"pace_target": "6"}).status_code == 302
    assert (
        "Your pace target: 6 items a week"
        in client.get(reverse("agency:my_work", args=["alpha"])).content.decode()
    )


def test_my_work_follows_the_level(client, school_a, mentee, playlist):
    client.force_login(mentee)
    url = reverse("agency:my_work", args=["alpha"])
    place(school_a, mentee, 1)
    guided = client.get(url).content.decode()
    assert "Next up: assigned to you" in guided and "Confirm and start" in guided
    assert "Choose this" not in guided
    place(school_a, mentee, 2)
    choosing = client.get(url).content.decode()
    assert "Next up: pick one" in choosing and choosing.count("Choose this") == 3
    place(school_a, mentee, 3)
    free = client.get(url).content.decode()
    assert "You may work in any order" in free


def test_opening_an_item_the_level_does_not_offer_says_why(client, school_a, mentee, playlist):
    place(school_a, mentee, 1)
    client.force_login(mentee)
    with school_scope(school_a.school):
        second = playlist.playlist_items.order_by("position")[1]
    response = client.get(
        reverse("playlists:student_item", args=["alpha", playlist.pk, second.item_id]), follow=True
    )
    html = response.content.decode()
    assert "At Guided, the platform assigns your next item" in html
    assert "What earns Choosing is on My level." in html  # the student reads it there, not via the mentor


def test_the_ladder_page_is_for_school_admins(client, school_a):
    url = reverse("agency:ladder", args=["alpha"])
    client.force_login(school_a.user(Role.TEACHER))
    assert client.get(url).status_code == 403
    client.force_login(school_a.user(Role.SCHOOL_ADMIN))
    assert "Self-directed" in client.get(url).content.decode()
    bad = client.post(url, {"start_rank": "1", "weeks": "40"})
    assert bad.status_code == 400
    assert_kept_with_error(bad, name="weeks", typed="40", error="less than or equal to 12")
    assert client.post(url, {"start_rank": "1", "weeks": "6"}).status_code == 302


def test_the_dashboard_and_the_brief_show_the_level(client, school_a, mentee):
    place(school_a, mentee, 2)
    client.force_login(school_a.user(Role.TEACHER))
    drill = client.get(reverse("dashboard:student", args=["alpha", mentee.pk])).content.decode()
    assert 'Self-direction level: <strong class="level-name">Choosing</strong>' in drill
    section = client.get(reverse("agency:section_levels", args=["alpha", school_a.section.pk]))
    assert section.status_code == 200 and "<strong>Choosing</strong> (1)" in section.content.decode()
    assert (
        "Self-direction levels"
        in client.get(reverse("dashboard:section", args=["alpha", school_a.section.pk])).content.decode()
    )
    client.force_login(school_a.user("other_teacher"))
    assert (
        client.get(reverse("agency:section_levels", args=["alpha", school_a.section.pk])).status_code == 404
    )
    client.force_login(mentee)
    assert (
        client.get(reverse("agency:section_levels", args=["alpha", school_a.section.pk])).status_code == 404
    )
    client.force_login(school_a.user(Role.MENTOR))
    brief = client.get(reverse("mentoring:brief", args=["alpha", mentee.pk])).content.decode()
    assert "Self-direction level" in brief and 'Level: <strong class="level-name">Choosing</strong>' in brief
    mentees = client.get(reverse("mentoring:mentee_list", args=["alpha"])).content.decode()
    assert ">Choosing<" in mentees


def test_section_levels_take_the_same_queries_for_1_and_30_students(
    client, school_a, django_assert_max_num_queries
):
    from tests.support import add_student

    client.force_login(school_a.user(Role.TEACHER))
    url = reverse("agency:section_levels", args=["alpha", school_a.section.pk])
    with django_assert_max_num_queries(30) as one:
        client.get(url)
    for n in range(30):
        add_student(school_a, section=school_a.section, given_name=f"Kid{n}")
    with django_assert_max_num_queries(len(one.captured_queries)):
        assert client.get(url).content.decode().count("agency/students/") == 31


def test_the_goals_page_offers_only_the_goals_the_level_lets_the_student_set(client, school_a, mentee):
    url = reverse("mentoring:my_goals", args=["alpha"])
    client.force_login(mentee)
    place(school_a, mentee, 1)
    guided = client.get(url).content.decode()
    assert "your mentor sets the week&#x27;s goals with you" in guided and 'value="weekly"' not in guided
    forged = client.post(url, {"action": "weekly", "goal_1": "Read a book"})
    assert forged.status_code == 200 and "your mentor sets the week&#x27;s goals" in forged.content.decode()
    place(school_a, mentee, 2)
    choosing = client.get(url).content.decode()
    assert 'value="weekly"' in choosing and "long-range goals you set with your mentor" in choosing
    refused = client.post(url, {"action": "long_range", "text": "Finish algebra"})
    assert refused.status_code == 200 and 'value="long_range"' not in refused.content.decode()
    with school_scope(school_a.school):
        from mentoring.models import Goal

        assert not Goal.objects.filter(student=mentee).exists()
    client.force_login(school_a.user(Role.MENTOR))  # the mentor sets them, whatever the level
    assert (
        'value="weekly"' in client.get(reverse("mentoring:goals", args=["alpha", mentee.pk])).content.decode()
    )


def test_a_guided_students_goals_page_never_claims_a_week_is_full_when_the_level_hid_the_form(
    client, school_a, mentee
):
    """The form is hidden because the mentor sets the goals at Guided, not because the week has its three:
    the page says the one rule, not "This week has its 3 goals" over one goal."""
    from mentoring.models import Goal
    from mentoring.selectors import week_start
    from tests.factories import GoalFactory
    from tests.support import school_today

    place(school_a, mentee, 1)
    GoalFactory(school=school_a.school, student=mentee, kind=Goal.Kind.WEEKLY,
                week_of=week_start(school_today(school_a.school)), status="open")  # fmt: skip
    client.force_login(mentee)
    page = client.get(reverse("mentoring:my_goals", args=["alpha"])).content.decode()
    assert "your mentor sets the week&#x27;s goals with you" in page
    assert "has its 3 goals" not in page


def test_the_api_refuses_finishing_an_item_the_level_does_not_offer_with_the_reason(
    school_a, mentee, playlist
):
    from rest_framework.test import APIClient

    place(school_a, mentee, 1)
    with school_scope(school_a.school):
        first, second = [p.item_id for p in playlist.playlist_items.order_by("position")[:2]]
    client = APIClient()
    client.force_login(mentee)
    url = "/api/v1/s/alpha/playlists/progress/"
    refused = client.post(url, {"playlist": playlist.pk, "item": second}, format="json")
    assert refused.status_code == 403
    assert "At Guided, the platform assigns your next item" in refused.json()["detail"]
    assert client.post(url, {"playlist": playlist.pk, "item": first}, format="json").status_code == 201


def test_the_level_page_takes_the_same_queries_whatever_the_history(
    client, school_a, mentee, playlist, django_assert_max_num_queries
):
    from tests.factories import CheckInFactory, GoalFactory

    client.force_login(school_a.user(Role.MENTOR))
    url = _url("student_level", mentee)
    place(school_a, mentee, 1)
    with django_assert_max_num_queries(60) as one:
        client.get(url)
    for n in range(2, 4):
        place(school_a, mentee, n, reason=f"Step {n}.")
    for _ in range(10):
        CheckInFactory(
            school=school_a.school, student=mentee, mentor=school_a.user(Role.MENTOR), self_direction=3
        )
        GoalFactory(school=school_a.school, student=mentee, kind="weekly", status="met")
    with django_assert_max_num_queries(len(one.captured_queries)):
        assert "Step 3." in client.get(url).content.decode()


def test_a_mentor_sees_their_mentees_levels_only(client, school_a, mentee):
    other_mentor = UserFactory()
    MembershipFactory(school=school_a.school, user=other_mentor, role=Role.MENTOR)
    client.force_login(other_mentor)
    assert client.get(_url("student_level", mentee)).status_code == 404
    assert client.post(_url("level_change", mentee), {"to_rank": "1", "reason": "x"}).status_code == 404
    client.force_login(school_a.user(Role.MENTOR))
    assert client.get(_url("student_level", mentee)).status_code == 200


def _rungs_post(rows):
    data = {"action": "rungs", "rung-TOTAL_FORMS": str(len(rows)), "rung-INITIAL_FORMS": "3",
            "rung-MIN_NUM_FORMS": "0", "rung-MAX_NUM_FORMS": "6"}  # fmt: skip
    for n, (name, picks, goals, checks) in enumerate(rows):
        fields = {
            "name": name,
            "description": f"About {name}",
            "picks": picks,
            "goals": goals,
            "checks": checks,
        }
        data.update({f"rung-{n}-{key}": value for key, value in fields.items()})
    return data


def test_a_school_admin_sets_the_schools_own_ladder_and_students_keep_their_place(client, school_a, mentee):
    place(school_a, mentee, 3)
    client.force_login(school_a.user(Role.SCHOOL_ADMIN))
    url = reverse("agency:ladder", args=["alpha"])
    dup = _rungs_post(
        [("Starting", "assigned", "mentor", "approval"), ("starting", "free", "own", "when_ready")]
    )
    refused = client.post(url, dup)
    assert refused.status_code == 400 and "Give each level its own name." in refused.content.decode()
    assert_kept_with_error(refused, name="rung-1-name", typed="starting")
    rows = [
        ("Starting out", "assigned", "mentor", "approval"),
        ("Choosing", "top_three", "this_week", "approval"),
        ("Planning", "top_three", "own", "approval"),
        ("Leading", "free", "own", "when_ready"),
    ]
    assert client.post(url, _rungs_post(rows)).status_code == 302
    with school_scope(school_a.school):
        from agency.selectors import level_of

        level = level_of(student=mentee)
        assert [r.name for r in level.rungs] == ["Starting out", "Choosing", "Planning", "Leading"]
        assert level.rung.name == "Planning"  # rank 3 kept
    assert "Leading" in client.get(url).content.decode()
