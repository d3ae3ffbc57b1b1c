"""``seed_demo`` gains question banks and a history of answers and checks (mastery/demo.py)."""

from io import StringIO

from django.core.management import call_command

from mastery.models import CheckAttempt, EvidenceEvent, MasteryState, PracticeAnswer, Question, QuestionBank
from playlists.models import Competency
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
