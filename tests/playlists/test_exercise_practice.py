"""Exercise items open mastery practice, and practising from an exercise counts as work on the item."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from playlists.models import ContentItem, ItemProgress
from plp.tenancy.context import school_scope
from tests.factories import (
    CompetencyFactory,
    ContentItemFactory,
    PlaylistAssignmentFactory,
    PlaylistItemFactory,
    QuestionBankFactory,
    QuestionFactory,
)


@pytest.fixture
def exercise(school_a):
    """An exercise aligned to two competencies (one with a bank), in a playlist assigned to the section."""
    school = school_a.school
    fractions = CompetencyFactory(framework__school=school, code="ALPHA.FRAC.1", title="Add fractions")
    decimals = CompetencyFactory(framework=fractions.framework, code="ALPHA.DEC.1", title="Read decimals")
    question = QuestionFactory(bank=QuestionBankFactory(competency=fractions))
    item = ContentItemFactory(school=school, title="Fraction drills", kind=ContentItem.Kind.EXERCISE, body="")
    with school_scope(school):
        item.competencies.set([fractions, decimals])
    placement = PlaylistItemFactory(playlist__school=school, item=item, position=1)
    PlaylistAssignmentFactory(playlist=placement.playlist, section=school_a.section)
    return placement, fractions, decimals, question


def _progress(school_a, student):
    with school_scope(school_a.school):
        return list(ItemProgress.objects.filter(student=student).values_list("status", flat=True))


def test_an_exercise_page_links_to_practice_for_each_of_its_competencies(client, school_a, exercise):
    placement, fractions, decimals, _ = exercise
    client.force_login(school_a.user("student"))
    page_url = reverse("playlists:student_item", args=["alpha", placement.playlist_id, placement.item_id])
    page = client.get(page_url).content.decode()
    for competency in (fractions, decimals):
        practice = reverse("mastery:practice", args=["alpha", competency.pk])
        assert f'href="{practice}?item={placement.item_id}"' in page
        assert f"Practise {competency.code}" in page


def test_answering_practice_from_an_exercise_puts_the_item_in_progress_and_keeps_the_link(
    client, school_a, exercise
):
    placement, fractions, _, question = exercise
    student = school_a.user("student")
    client.force_login(student)
    practice = reverse("mastery:practice", args=["alpha", fractions.pk])
    form = client.get(f"{practice}?item={placement.item_id}").content.decode()
    assert f'name="item_id" value="{placement.item_id}"' in form
    assert _progress(school_a, student) == []

    result = client.post(practice, {"question_id": question.pk, "answer": "1", "item_id": placement.item_id})

    assert result.status_code == 200
    assert f"item={placement.item_id}" in result.content.decode()  # "Next question" stays on the exercise
    assert _progress(school_a, student) == ["in_progress"]  # started, not done: the student marks it done


def test_practice_without_an_exercise_or_with_a_foreign_item_id_records_no_item_progress(
    client, school_a, school_b, exercise
):
    _, fractions, _, question = exercise
    student = school_a.user("student")
    unassigned = ContentItemFactory(school=school_a.school, kind=ContentItem.Kind.EXERCISE, body="")
    with school_scope(school_a.school):
        unassigned.competencies.set([fractions])
    foreign = ContentItemFactory(school=school_b.school, kind="exercise", body="")
    client.force_login(student)
    practice = reverse("mastery:practice", args=["alpha", fractions.pk])
    for item_id in ("", unassigned.pk, foreign.pk, "nope", "\x00"):
        response = client.post(practice, {"question_id": question.pk, "answer": "1", "item_id": item_id})
        assert response.status_code == 200
    assert _progress(school_a, student) == []


def test_a_practice_answer_through_the_api_with_its_exercise_item_starts_the_item(school_a, exercise):
    placement, _, _, question = exercise
    student = school_a.user("student")
    client = APIClient()
    client.force_authenticate(student)
    url = reverse("api:mastery_answer_list", args=["alpha"])

    response = client.post(
        url, {"question": question.pk, "response": 1, "item": placement.item_id}, format="json"
    )

    assert response.status_code == 201
    assert _progress(school_a, student) == ["in_progress"]
