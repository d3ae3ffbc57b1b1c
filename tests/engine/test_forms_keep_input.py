"""The pin/veto form keeps the chosen item, the kind and the reason on error, the message next to its
field."""

from django.urls import reverse

from schools.roles import Role
from tests.form_checks import assert_kept_with_error


def test_a_veto_without_a_reason_keeps_the_item_and_the_kind(client, learning_a, school_a):
    intro = learning_a.items[0]
    client.force_login(school_a.user(Role.TEACHER))
    page = reverse("engine:student_next_up", args=["alpha", learning_a.student.pk])
    response = client.post(page, {"item": intro.pk, "kind": "veto", "reason": ""})
    assert response.status_code == 400
    assert_kept_with_error(response, name="item", typed=str(intro.pk))
    assert_kept_with_error(response, name="kind", typed="veto")
    assert_kept_with_error(response, name="reason", typed="", error="This field is required.")


def test_a_reason_too_long_is_kept_with_the_limit_next_to_it(client, learning_a, school_a):
    intro = learning_a.items[0]
    client.force_login(school_a.user(Role.TEACHER))
    page = reverse("engine:student_next_up", args=["alpha", learning_a.student.pk])
    reason = "Sports day on Friday. " * 15
    response = client.post(page, {"item": intro.pk, "kind": "pin", "reason": reason})
    assert_kept_with_error(response, name="reason", typed=reason, error="at most 300 characters")
