"""Every form of the mastery staff pages that meets an error shows the page again with what was typed,
the message next to its field. (The student's practice and check forms are tested with those pages.)"""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from mastery import services
from mastery.models import Question
from plp.tenancy.context import school_scope
from tests.factories import CompetencyFactory
from tests.form_checks import assert_kept_with_error
from tests.mastery.conftest import RIGHT

PROMPT = "Which fraction equals one half?"


def url(name, **kwargs):
    return reverse(f"mastery:{name}", kwargs={"school_slug": "alpha", **kwargs})


def test_an_override_without_a_reason_keeps_the_setting_and_says_so_next_to_the_reason(
    client, school_a, competency
):
    student = school_a.user("student")
    with school_scope(school_a.school):  # evidence makes the competency the student's (student_competencies)
        question = Question.objects.filter(bank__competency=competency).first()
        services.practice_answer_submit(student=student, question=question, response=RIGHT)
    client.force_login(school_a.user("teacher"))
    target = url("student_override", student_id=student.pk, competency_id=competency.pk)
    response = client.post(target, {"mastered": "0", "reason": ""})
    assert response.status_code == 200
    assert_kept_with_error(response, name="mastered", typed="0")
    assert_kept_with_error(response, name="reason", typed="", error="This field is required.")


def test_invalidating_a_check_without_a_reason_says_so_next_to_the_reason(client, school_a, policy):
    student, competency = school_a.user("student"), policy.competency
    with school_scope(school_a.school):
        services.check_unlock(student=student, competency=competency, teacher=school_a.user("teacher"))
        attempt = services.check_request(student=student, competency=competency)
        for item in attempt.form:
            services.check_response_save(attempt=attempt, question_id=item["id"], response=RIGHT)
        services.check_submit(attempt=attempt)
    client.force_login(school_a.user("teacher"))
    response = client.post(url("attempt_invalidate", attempt_id=attempt.pk), {"reason": "  "})
    assert response.status_code == 200
    assert_kept_with_error(response, name="reason", typed="  ", error="This field is required.")


def test_a_second_bank_for_a_competency_keeps_its_title(client, school_a, bank):
    client.force_login(school_a.user("teacher"))
    data = {"competency": bank.competency_id, "title": "Fractions, again"}
    response = client.post(url("bank_list"), data)
    assert response.status_code == 200
    assert_kept_with_error(response, name="title", typed="Fractions, again")
    assert_kept_with_error(
        response,
        name="competency",
        typed=str(bank.competency_id),
        error="This competency already has a question bank.",
    )


def test_a_question_without_a_correct_choice_keeps_its_prompt_and_choices(client, school_a, bank):
    client.force_login(school_a.user("teacher"))
    data = {"kind": "single", "prompt": PROMPT, "choices_text": "1/3\n2/4\n3/5", "tolerance": "0"}
    response = client.post(url("bank_detail", bank_id=bank.pk), data)
    assert response.status_code == 200
    assert_kept_with_error(response, name="prompt", typed=PROMPT)
    assert_kept_with_error(
        response, name="choices_text", typed="1/3\n2/4\n3/5", error="Mark the correct choice(s)"
    )


def test_editing_a_question_into_an_error_keeps_the_edit(client, school_a, bank):
    with school_scope(school_a.school):
        question = bank.questions.first()
    client.force_login(school_a.user("teacher"))
    data = {"kind": "single", "prompt": PROMPT, "choices_text": "*1/3\n*2/4", "tolerance": "0"}
    response = client.post(url("question_edit", bank_id=bank.pk, question_id=question.pk), data)
    assert response.status_code == 200
    assert_kept_with_error(response, name="prompt", typed=PROMPT)
    assert_kept_with_error(response, name="choices_text", typed="*1/3\n*2/4", error="exactly one correct")


def test_a_policy_with_a_pass_mark_over_one_keeps_the_other_values(client, school_a, bank):
    client.force_login(school_a.user("teacher"))
    data = {
        "check_size": "4",
        "pass_threshold": "1.5",
        "cooldown_minutes": "45",
        "practice_before_retake": "2",
        "readiness_rule": "estimate",
        "readiness_threshold": "0.6",
    }
    response = client.post(url("bank_policy", bank_id=bank.pk), data)
    assert response.status_code == 200
    assert_kept_with_error(response, name="cooldown_minutes", typed="45")
    assert_kept_with_error(response, name="pass_threshold", typed="1.5", error="less than or equal to 1")


def test_a_bank_import_without_a_file_keeps_the_replace_choice(client, school_a, bank):
    client.force_login(school_a.user("teacher"))
    response = client.post(url("bank_import", bank_id=bank.pk), {"replace": "on"})
    assert response.status_code == 200
    assert_kept_with_error(response, name="replace", typed=True)
    assert_kept_with_error(response, name="file", typed="", error="This field is required.")
    too_big = SimpleUploadedFile("bank.json", b" " * 2_000_001, content_type="application/json")
    response = client.post(url("bank_import", bank_id=bank.pk), {"file": too_big, "replace": "on"})
    assert_kept_with_error(response, name="file", typed="", error="The file is larger than 2 MB.")


def test_a_bank_without_a_competency_keeps_its_title(client, school_a, bank):
    CompetencyFactory(framework=bank.competency.framework, code="ALPHA.FRAC.2")
    client.force_login(school_a.user("teacher"))
    response = client.post(url("bank_list"), {"competency": "", "title": "No competency"})
    assert_kept_with_error(response, name="title", typed="No competency")
    assert_kept_with_error(response, name="competency", typed="", error="This field is required.")
