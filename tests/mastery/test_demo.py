"""``seed_demo`` gains question banks and a history of answers and checks (mastery/demo.py)."""

from io import StringIO

from django.core.management import call_command

from mastery.models import CheckAttempt, EvidenceEvent, MasteryState, PracticeAnswer, Question, QuestionBank
from playlists.models import Competency, CompetencyPrerequisite
from plp.tenancy.context import school_scope
from schools.models import School


def _counts():
    counts = {}
    for school in School.objects.order_by("slug"):
        with school_scope(school):
            counts[school.slug] = [
                m.objects.count()
                for m in (QuestionBank, Question, PracticeAnswer, CheckAttempt, MasteryState, EvidenceEvent)
            ]
    return counts


def test_seed_demo_gives_every_competency_a_bank_and_a_history_once(db):
    call_command("seed_demo", "--students", "30", stdout=StringIO())
    for school in School.objects.all():
        with school_scope(school):
            assert QuestionBank.objects.count() == Competency.objects.count() > 0
            assert {q.kind for q in Question.objects.all()} == {"single", "multiple", "numeric", "short_text"}
            for question in Question.objects.all():
                question.full_clean()  # the seeded questions are valid ones
            assert PracticeAnswer.objects.count() > 100
            assert CheckAttempt.objects.filter(passed=True).exists()
            assert MasteryState.objects.filter(status="mastered").exists()
            assert EvidenceEvent.objects.filter(source="check").count() == CheckAttempt.objects.count()
    first = _counts()
    call_command("seed_demo", "--students", "30", stdout=StringIO())
    assert _counts() == first


def test_the_seeded_history_can_be_fitted(db):
    call_command("seed_demo", "--students", "60", stdout=StringIO())
    out = StringIO()
    call_command("fit_mastery_model", "cedar-ridge", stdout=out)
    assert "AUC=" in out.getvalue()


def test_seeded_mastery_says_when_it_was_mastered(db):
    """The teacher's drill-down showed "Mastered on —" beside every seeded ★ Mastered competency."""
    call_command("seed_demo", "--students", "30", stdout=StringIO())
    for school in School.objects.all():
        with school_scope(school):
            mastered = MasteryState.objects.filter(status="mastered")
            assert mastered.exists()
            assert not mastered.filter(mastered_at__isnull=True).exists()


def test_seeded_checks_fall_on_the_school_days_after_their_practice(db):
    """Every seeded check was dated at seeding time: the class's "mastered over time" was one point and the
    policy sandbox replayed every check on today. Each is handed in after its last practice answer now."""
    call_command("seed_demo", "--students", "30", stdout=StringIO())
    school = School.objects.get(slug="cedar-ridge")
    with school_scope(school):
        last_answer = {}
        for student, competency, at in PracticeAnswer.objects.values_list(
            "student", "competency", "answered_at"
        ):
            last_answer[student, competency] = max(at, last_answer.get((student, competency), at))
        days = set()
        for check in CheckAttempt.objects.all():
            assert check.started_at < check.submitted_at
            assert check.submitted_at > last_answer[check.student_id, check.competency_id]
            event = EvidenceEvent.objects.get(source="check", source_id=str(check.pk))
            assert event.created_at == check.submitted_at
            days.add(check.submitted_at.date())
        assert len(days) >= 5  # over the demo's three school weeks, not all on one day
        for state in MasteryState.objects.filter(status="mastered"):
            assert state.mastered_at in {
                c.submitted_at
                for c in CheckAttempt.objects.filter(
                    student=state.student_id, competency=state.competency_id, passed=True
                )
            }


def test_the_seeded_history_is_on_standards_not_on_the_domains_that_group_them(db):
    """The policy sandbox, replaying the demo, told students to review "6.RP", the ratios domain: the seeded
    history had practice, checks and masteries on it."""
    call_command("seed_demo", "--students", "30", stdout=StringIO())
    for school in School.objects.all():
        with school_scope(school):
            assert PracticeAnswer.objects.exists()
            assert not PracticeAnswer.objects.filter(competency__children__isnull=False).exists()
            assert not MasteryState.objects.filter(competency__children__isnull=False).exists()


def test_a_few_seeded_students_are_ready_for_a_check_they_have_not_asked_for(db):
    """Every demo section's "Ready for a mastery check" was empty: each seeded student who reached readiness
    had taken the check at once. A class mid-term has a few students ready, with no check taken yet."""
    call_command("seed_demo", "--students", "30", stdout=StringIO())
    with school_scope(School.objects.get(slug="cedar-ridge")):
        ready = MasteryState.objects.filter(status="ready")
        assert 1 <= ready.count() <= MasteryState.objects.count() // 5
        for state in ready:
            assert state.mastered_at is None and state.last_failed_check_at is None
            assert not CheckAttempt.objects.filter(
                student=state.student_id, competency=state.competency_id
            ).exists()


def test_no_seeded_student_has_practised_a_competency_before_mastering_its_prerequisites(db):
    """student001's mastery page showed 6.RP.2, 6.RP.3 and 6.RP.4 mastered and 6.RP.1, the first link of
    that chain, not started: the demo broke the order the engine offers competencies in."""
    call_command("seed_demo", "--students", "30", stdout=StringIO())
    for school in School.objects.all():
        with school_scope(school):
            states = MasteryState.objects.values_list("student", "competency")
            mastered = set(states.filter(status="mastered"))
            needs = {}
            for competency, prerequisite in CompetencyPrerequisite.objects.values_list(
                "competency", "prerequisite"
            ):
                needs.setdefault(competency, set()).add(prerequisite)
            started = states.exclude(status="not_started")
            assert started
            for student, competency in started:
                assert all((student, p) in mastered for p in needs.get(competency, ())), (student, competency)
