"""Pins a teacher can trust: a pin on a locked item is refused with what it needs first, a pin that stops
working later says so, and pins and vetoes are one click from the student's drill-down."""

from django.urls import reverse
from rest_framework.test import APIClient

from engine import services
from engine.models import ItemDirective, StudentRecommendation
from mastery.models import MasteryState, MasteryStatus
from plp.tenancy.context import school_scope
from schools.roles import Role
from tests.factories import ItemProgressFactory


def client_for(user):
    client = APIClient()
    client.force_login(user)
    return client


def next_up_url(world):
    return reverse("engine:student_next_up", args=["alpha", world.student.pk])


def drilldown_url(world):
    return reverse("dashboard:student", args=["alpha", world.student.pk])


def test_a_pin_on_a_locked_item_is_refused_with_what_it_needs_first(learning_a, school_a):
    unit_rates = learning_a.items[1]  # its competency ALPHA.2 needs ALPHA.1, not mastered
    response = client_for(school_a.user(Role.TEACHER)).post(
        next_up_url(learning_a), {"item": unit_rates.pk, "kind": "pin", "reason": "Do it now"}
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "locked" in body and "ALPHA.1" in body
    assert 'value="Do it now"' in body  # the reason typed is kept
    with school_scope(learning_a.school):
        assert not ItemDirective.objects.exists()


def test_the_api_refuses_a_pin_on_a_locked_item_too(learning_a, school_a):
    base = f"/api/v1/s/alpha/engine/students/{learning_a.student.pk}/directives/"
    response = client_for(school_a.user(Role.TEACHER)).post(
        base, {"item": learning_a.items[1].pk, "kind": "pin", "reason": "now"}
    )
    assert response.status_code == 400
    assert "ALPHA.1" in str(response.json()["item"])


def test_a_veto_on_a_locked_item_is_accepted(learning_a, school_a):
    response = client_for(school_a.user(Role.TEACHER)).post(
        next_up_url(learning_a), {"item": learning_a.items[1].pk, "kind": "veto", "reason": "Not this one"}
    )
    assert response.status_code == 302


def test_the_pin_form_marks_locked_items_and_the_page_states_the_rule(learning_a, school_a):
    body = client_for(school_a.user(Role.TEACHER)).get(next_up_url(learning_a)).content.decode()
    assert "Unit rates (Ratios) — locked, needs ALPHA.1 first" in body
    assert "A pin on a locked item is refused" in body


def test_a_pin_that_became_locked_is_shown_as_not_in_effect_with_its_reason(learning_a, school_a):
    teacher = school_a.user(Role.TEACHER)
    school, student = learning_a.school, learning_a.student
    with school_scope(school):
        MasteryState.objects.create(
            school=school,
            student=student,
            competency=learning_a.competencies[0],
            status=MasteryStatus.MASTERED,
        )
        services.directive_add(student=student, item=learning_a.items[1], kind="pin", reason="Go", by=teacher)
        # The mastery of the prerequisite is withdrawn afterwards (an override, an invalidated check).
        MasteryState.objects.filter(student=student).update(status=MasteryStatus.PRACTICING)
        services.students_recompute(student_ids=[student.pk])
        assert not StudentRecommendation.objects.filter(student=student, item=learning_a.items[1]).exists()
    for url in (next_up_url(learning_a), drilldown_url(learning_a)):
        body = client_for(teacher).get(url).content.decode()
        assert "Not in effect: locked, needs ALPHA.1 first" in body, url


def test_a_pin_on_an_item_done_since_is_shown_as_not_in_effect(learning_a, school_a):
    teacher = school_a.user(Role.TEACHER)
    with school_scope(learning_a.school):
        services.directive_add(
            student=learning_a.student, item=learning_a.items[2], kind="pin", reason="Go", by=teacher
        )
    ItemProgressFactory(
        school=learning_a.school, student=learning_a.student, item=learning_a.items[2], status="done"
    )
    body = client_for(teacher).get(next_up_url(learning_a)).content.decode()
    assert "Not in effect: done already" in body


def test_a_pin_on_an_item_whose_competencies_were_mastered_since_is_shown_as_not_in_effect(
    learning_a, school_a
):
    """Mastered, the item counts as done and the engine never suggests it: the teacher is told why."""
    teacher = school_a.user(Role.TEACHER)
    school, student = learning_a.school, learning_a.student
    with school_scope(school):
        services.directive_add(student=student, item=learning_a.items[2], kind="pin", reason="Go", by=teacher)
        MasteryState.objects.create(
            school=school,
            student=student,
            competency=learning_a.competencies[2],
            status=MasteryStatus.MASTERED,
        )
        services.students_recompute(student_ids=[student.pk])
        assert not StudentRecommendation.objects.filter(student=student, item=learning_a.items[2]).exists()
    body = client_for(teacher).get(next_up_url(learning_a)).content.decode()
    assert "Not in effect: counted done: ALPHA.3 mastered already" in body


def test_the_drilldown_lists_pins_and_vetoes_and_links_to_the_pin_page(learning_a, school_a):
    teacher = school_a.user(Role.TEACHER)
    with school_scope(learning_a.school):
        services.directive_add(
            student=learning_a.student, item=learning_a.items[2], kind="pin", reason="Sports day", by=teacher
        )
    body = client_for(teacher).get(drilldown_url(learning_a)).content.decode()
    section = body.split('id="directives-heading"')[1].split("</section>")[0]
    assert "Sports stats" in section and "Sports day" in section and "In effect" in section
    assert f'href="{next_up_url(learning_a)}"' in section
    assert "Pin or veto an item" in section


def test_a_mentor_sees_the_pins_on_the_drilldown_but_is_not_offered_to_pin(learning_a, school_a):
    from tests.factories import MentorAssignmentFactory

    mentor = school_a.user(Role.MENTOR)
    MentorAssignmentFactory(school=school_a.school, mentor=mentor, student=learning_a.student)
    body = client_for(mentor).get(drilldown_url(learning_a)).content.decode()
    section = body.split('id="directives-heading"')[1].split("</section>")[0]
    assert "No pins or vetoes" in section
    assert "Pin or veto an item" not in section
    assert f'href="{next_up_url(learning_a)}"' in section  # reading the engine's choices is allowed


def test_the_drilldown_query_count_does_not_grow_with_pins(
    learning_a, school_a, django_assert_max_num_queries
):
    from tests.factories import ContentItemFactory, PlaylistItemFactory

    teacher = client_for(school_a.user(Role.TEACHER))
    with school_scope(learning_a.school):
        services.directive_add(
            student=learning_a.student,
            item=learning_a.items[2],
            kind="pin",
            reason="r",
            by=school_a.user(Role.TEACHER),
        )
    teacher.get(drilldown_url(learning_a))
    with django_assert_max_num_queries(60) as one:
        teacher.get(drilldown_url(learning_a))
    with school_scope(learning_a.school):
        for n in range(6):
            item = ContentItemFactory(school=learning_a.school, title=f"Extra {n}")
            PlaylistItemFactory(playlist=learning_a.playlist, item=item, position=10 + n)
            services.directive_add(
                student=learning_a.student, item=item, kind="pin", reason="r", by=school_a.user(Role.TEACHER)
            )
    with django_assert_max_num_queries(len(one.captured_queries)):
        body = teacher.get(drilldown_url(learning_a)).content.decode()
    assert body.count("In effect") == 7


def test_the_api_says_which_pins_are_not_in_effect(learning_a, school_a):
    teacher = school_a.user(Role.TEACHER)
    with school_scope(learning_a.school):
        services.directive_add(
            student=learning_a.student, item=learning_a.items[2], kind="pin", reason="Go", by=teacher
        )
    ItemProgressFactory(
        school=learning_a.school, student=learning_a.student, item=learning_a.items[2], status="done"
    )
    body = client_for(teacher).get(f"/api/v1/s/alpha/engine/students/{learning_a.student.pk}/").json()
    assert [d["not_in_effect"] for d in body["directives"]] == ["done already"]
