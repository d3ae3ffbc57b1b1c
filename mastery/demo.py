"""Demo data for the mastery app (``seed_demo``): question banks for the demo schools' competencies and a
history of practice answers, checks, states and ledger rows, simulated with the BKT model itself.

Works on whatever competencies each demo school has (the content seeder runs first). A school without any
gets a small "Number sense" framework so the mastery pages have something to show. Idempotent: banks are
keyed by competency, and the history is written once per school. Bulk writes only, so a school of
thousands of students stays fast (the history covers the first ``HISTORY_STUDENTS`` students).
"""

from __future__ import annotations

import datetime as dt
import random
import re
from zoneinfo import ZoneInfo

from django.utils import timezone

from mastery.bkt import DEFAULT_PARAMS, BKTParams, trace, update
from mastery.demo_content.questions import QUESTIONS
from mastery.fitting import simulate
from mastery.models import (
    CheckAttempt,
    CheckResponse,
    EvidenceEvent,
    MasteryState,
    MasteryStatus,
    PracticeAnswer,
    Question,
    QuestionBank,
)
from mastery.rules import PolicyValues
from playlists.models import Competency, CompetencyPrerequisite, Framework, Subject
from plp.tenancy.context import school_scope
from schools.demo import demo_struggles
from schools.models import Membership
from schools.roles import Role

HISTORY_STUDENTS = 60
# How the demo's simulated students answer: most a little ahead of the default model (some already know
# part of it), the few who struggle barely learning.
ORDINARY = BKTParams(p_init=0.35, p_learn=0.25)
STRUGGLING = BKTParams(p_init=0.05, p_learn=0.02)
HISTORY_COMPETENCIES = 5
# The seeded history's checks: a student whose estimate reached the school's readiness threshold (the
# product's default, mastery.rules) took one; those at 0.85 or more passed it (the demo's stand-in for a
# check's outcome: above the threshold, most pass).
READY_AT = PolicyValues().readiness_threshold
PASSED_AT = 0.85
EXTRA_QUESTIONS = 8  # sums in a math warm-up bank
# A competency without written questions of its own (mastery/demo_content): an ELA one borrows a set of its
# strand; a math one gets arithmetic warm-ups.
ELA_SETS = {"RL": "RL.6.1", "RI": "RI.6.8", "W": "W.6.1", "SL": "W.7.1", "L": "W.6.1"}
# What an older demo seeded: questions about the learning target's code, and warm-ups where written
# questions now stand. A re-run retires them (kept for past answers, no longer drawn).
OLD_META = re.compile(r"^(Which learning target has the code |Type the code of the learning target )")
OLD_WARM_UP = re.compile(
    r"^(What is \d+ \+ \d+\?|What is \d+ × \d+ ÷ 2\?|Select every number that is a multiple of 3\.)$"
)
FALLBACK = [
    ("NS.1", "Add and subtract fractions with unlike denominators"),
    ("NS.2", "Multiply and divide decimals"),
    ("NS.3", "Use ratios to describe relationships"),
    ("NS.4", "Solve one-step equations"),
]


def seed(*, result) -> None:
    for school in result.schools:
        with school_scope(school):
            competencies = list(
                Competency.objects.select_related("subject").order_by("framework_id", "position", "code")
            )
            if not competencies:
                competencies = _fallback_competencies(school)
            banks = _banks(school, competencies)
            if not PracticeAnswer.objects.exists():
                # Practised and checked: standards, not the domains that group them (a student practised
                # and was due a spaced review of "6.RP", the ratios domain, itself).
                grouping = set(Competency.objects.exclude(parent=None).values_list("parent_id", flat=True))
                # ...and standards a playlist of the school teaches: the class practised 6.NS.1, which no
                # playlist teaches, and its workshop invited students to what their work never offers.
                placed = Competency.objects.filter(content_items__placements__isnull=False)
                taught = set(placed.values_list("pk", flat=True))
                standards = [
                    c for c in competencies if c.pk not in grouping and (c.pk in taught or not taught)
                ]
                needs = _prerequisites([c.pk for c in standards])
                _history(school, _by_depth(standards, needs)[:HISTORY_COMPETENCIES], needs, banks)


def _prerequisites(ids: list[int]) -> dict[int, set[int]]:
    """Each competency's prerequisites among ``ids``."""
    needs: dict[int, set[int]] = {}
    for competency_id, prerequisite_id in CompetencyPrerequisite.objects.filter(
        competency_id__in=ids, prerequisite_id__in=ids
    ).values_list("competency_id", "prerequisite_id"):
        needs.setdefault(competency_id, set()).add(prerequisite_id)
    return needs


def _by_depth(competencies: list[Competency], needs: dict[int, set[int]]) -> list[Competency]:
    """The order a class reaches standards in: what each playlist starts with first, then what those open,
    in framework order within a depth. (By framework order alone the history ran down one chain, 6.RP.1 to
    6.RP.4, so the students who struggle, stuck on its first link, practised one competency and nothing
    else.) A prefix of it holds every prerequisite of what it holds."""
    depth: dict[int, int] = {}

    def depth_of(pk: int) -> int:
        if pk not in depth:  # frameworks have no prerequisite cycles (the import refuses them)
            depth[pk] = 1 + max((depth_of(p) for p in needs.get(pk, ())), default=-1)
        return depth[pk]

    return sorted(competencies, key=lambda c: depth_of(c.pk))


def _fallback_competencies(school) -> list[Competency]:
    subject, _ = Subject.objects.get_or_create(school=school, name="Mathematics")
    framework, _ = Framework.objects.get_or_create(
        school=school, title="Number sense (mastery demo)", defaults={"subject": subject}
    )
    Competency.objects.bulk_create(
        [
            Competency(
                school=school, framework=framework, subject=subject, code=code, title=title, position=n
            )
            for n, (code, title) in enumerate(FALLBACK)
        ],
        ignore_conflicts=True,
    )
    return list(Competency.objects.filter(framework=framework).order_by("position"))


def _questions_for(school, bank: QuestionBank, competency: Competency, n: int) -> list[Question]:
    common = {"school": school, "bank": bank}
    code = competency.code
    written = QUESTIONS.get(code)
    if written is None and competency.subject is not None and competency.subject.name != "Mathematics":
        written = QUESTIONS[ELA_SETS.get(code.split(".")[0], "W.6.1")]
    if written is not None:
        return [Question(**common, **question) for question in written]
    rng = random.Random(competency.pk)
    a, b = 3 + n % 7, 4 + n % 5
    return [
        Question(
            **common,
            kind=Question.Kind.NUMERIC,
            prompt=f"What is {a} × {b} ÷ 2?",
            numeric_answer=a * b / 2,
            tolerance=0.01,
            explanation=rf"\({a} \times {b} = {a * b}\), and half of that is \({a * b / 2:g}\).",
        ),
        Question(
            **common,
            kind=Question.Kind.MULTIPLE,
            prompt="Select every number that is a multiple of 3.",
            choices=["9", "14", "21", "25"],
            correct_choices=[0, 2],
            explanation=r"\(9 = 3 \times 3\) and \(21 = 3 \times 7\); 14 and 25 leave a remainder.",
        ),
        # More than a check asks for (5 by default): a check leaves out the questions a student practised
        # in the last week, so a bank of just a check's size would close the check to anyone who practised.
        *(
            Question(
                **common,
                kind=Question.Kind.NUMERIC,
                prompt=f"What is {x} + {y}?",
                numeric_answer=x + y,
                explanation=f"{x} + {y} = {x + y}.",
            )
            for x, y in ((rng.randint(11, 99), rng.randint(11, 99)) for _ in range(EXTRA_QUESTIONS))
        ),
    ]


def _banks(school, competencies: list[Competency]) -> dict[int, QuestionBank]:
    """A bank per competency with its questions; a re-run adds only the questions a bank lacks (by prompt)
    and retires what an older demo seeded in their place."""
    QuestionBank.objects.bulk_create(
        [QuestionBank(school=school, competency=c, title=f"{c.code} practice") for c in competencies],
        ignore_conflicts=True,
    )
    banks = {b.competency_id: b for b in QuestionBank.objects.filter(competency__in=competencies)}
    have: dict[int, set[str]] = {}
    retire = []
    for pk, bank_id, prompt, active in Question.objects.filter(bank__in=banks.values()).values_list(
        "pk", "bank_id", "prompt", "is_active"
    ):
        have.setdefault(bank_id, set()).add(prompt)
        written = bank_id in {banks[c.pk].pk for c in competencies if c.code in QUESTIONS}
        if active and (OLD_META.match(prompt) or (written and OLD_WARM_UP.match(prompt))):
            retire.append(pk)
    Question.objects.filter(pk__in=retire).update(is_active=False)
    rows = []
    for n, competency in enumerate(competencies):
        bank = banks[competency.pk]
        rows += [
            q for q in _questions_for(school, bank, competency, n) if q.prompt not in have.get(bank.pk, ())
        ]
    Question.objects.bulk_create(rows, batch_size=1000)
    return banks


def _history(
    school, competencies: list[Competency], needs: dict[int, set[int]], banks: dict[int, QuestionBank]
) -> None:
    """Simulated students answer practice questions; the strong ones pass a check, a few fail one first."""
    students = list(
        Membership.objects.filter(role=Role.STUDENT, is_active=True)
        .order_by("user__email")
        .values_list("user_id", flat=True)[:HISTORY_STUDENTS]
    )
    questions = {bank.competency_id: list(Question.objects.filter(bank=bank)) for bank in banks.values()}
    # A student starts a competency once its prerequisites are mastered, as the engine offers them:
    # student001 had mastered 6.RP.2–4 with 6.RP.1, their prerequisite, not started.
    mastered: dict[int, set[int]] = {student_id: set() for student_id in students}
    answers, states, checks = [], [], []
    for c_index, competency in enumerate(competencies):
        # Most students learn at an ordinary rate; the few who struggle (schools.demo.demo_struggles) barely
        # learn and practise longer, so their answers show it (and the engine's flags can find them).
        # Seeded by the competency's and the student's place, not by database ids: the same demo whatever
        # ids the database hands out (on PostgreSQL they move with every earlier seed).
        sequences = simulate(ORDINARY, len(students), min(6 + c_index, 9), seed=97 + c_index)
        slow = simulate(STRUGGLING, len(students), 12, seed=197 + c_index)
        for n, student_id in enumerate(students):
            sequence = slow[n] if demo_struggles(n) else sequences[n]
            not_yet = c_index >= len(competencies) - n % 3  # the class has not all got as far
            if not_yet or not needs.get(competency.pk, set()) <= mastered[student_id]:
                continue
            _, p_final = trace(sequence, DEFAULT_PARAMS)
            p = DEFAULT_PARAMS.p_init
            drawn = random.Random(student_id).choices(questions[competency.pk], k=len(sequence))
            for j, (correct, q) in enumerate(zip(sequence, drawn, strict=True)):
                answers.append((j, c_index, (student_id, competency, q, correct, p)))
                p = _next(p, correct)
            # One ready student in ten has not asked for the check yet: a class mid-term has a few
            # students ready (the dashboard's "Ready for a mastery check" was empty in every demo section:
            # each ready student had taken it at once).
            waiting = p_final >= READY_AT and (n + c_index) % 10 == 1
            state = _state(school, student_id, competency, p_final, len(sequence), waiting=waiting)
            states.append(state)
            if p_final >= READY_AT and not waiting:
                checks.append((student_id, competency, state.status == MasteryStatus.MASTERED))
            if state.status == MasteryStatus.MASTERED:
                mastered[student_id].add(competency.pk)
    # Written in the order a student practises a playlist's competencies side by side (the j-th answer
    # of each, then the next): one competency after another would put every new competency's first
    # wrong answers last, which reads as a falling trend in a student doing well.
    answers.sort(key=lambda a: (a[0], a[1]))
    _write(school, [a for _, _, a in answers], states, checks, questions)


def _state(school, student_id, competency, p_final: float, answers: int, *, waiting: bool) -> MasteryState:
    """Where a student's practice left them: ready and waiting to ask, mastered by a passed check, or still
    practising (after a failed check when they had been ready)."""
    passed = p_final >= PASSED_AT and not waiting
    if waiting:
        status = MasteryStatus.READY
    else:
        status = MasteryStatus.MASTERED if passed else MasteryStatus.PRACTICING
    return MasteryState(
        school=school,
        student_id=student_id,
        competency=competency,
        status=status,
        p_mastered=p_final,
        practice_answers=answers,
        mastered_at=timezone.now() if passed else None,
        last_failed_check_at=timezone.now() if not waiting and READY_AT <= p_final < PASSED_AT else None,
    )


def _next(p: float, correct: bool) -> float:
    return update(p, correct, DEFAULT_PARAMS)


HISTORY_SCHOOL_DAYS = 15


def _spread_over_school_days(school, rows: list[PracticeAnswer]) -> dict[dt.datetime, list[int]]:
    """Each student's answers, in their order, over the last three school weeks (weekdays before today, in
    the school's time zone, at 2 pm): a history the engine's windows, the drill-down and the policy
    sandbox can read day by day, not one burst at seeding time. One UPDATE a day; returns the answers'
    ids by their time."""
    today = timezone.localdate(timezone=ZoneInfo(school.timezone))
    days, day = [], today
    while len(days) < HISTORY_SCHOOL_DAYS:
        day -= dt.timedelta(days=1)
        if day.weekday() < 5:
            days.append(day)
    days.reverse()
    per_student: dict[int, list[int]] = {}
    for row in rows:
        per_student.setdefault(row.student_id, []).append(row.pk)
    on_day: dict[dt.date, list[int]] = {}
    for ids in per_student.values():
        for k, pk in enumerate(ids):
            on_day.setdefault(days[k * len(days) // len(ids)], []).append(pk)
    zone = ZoneInfo(school.timezone)
    by_time = {dt.datetime.combine(day, dt.time(14, 0), tzinfo=zone): ids for day, ids in on_day.items()}
    for at, ids in by_time.items():
        PracticeAnswer.objects.filter(pk__in=ids).update(answered_at=at)
    return by_time


CHECK_MINUTES = dt.timedelta(minutes=20)  # how long a demo check takes
CHECK_AFTER_PRACTICE = dt.timedelta(minutes=30)  # when it is handed in, after the last practice answer


def _check_times(
    rows: list[PracticeAnswer], answered: dict[dt.datetime, list[int]]
) -> dict[tuple, dt.datetime]:
    """When each student handed in their check on a competency: half an hour after their last practice
    answer on it (the answers' times come from :func:`_spread_over_school_days`). Dated so, the class's
    "mastered over time" grows over the demo's three weeks and the policy sandbox replays checks on the
    days they fell, not all at seeding time."""
    time_of = {pk: at for at, ids in answered.items() for pk in ids}
    last: dict[tuple, dt.datetime] = {}
    for row in rows:
        key = (row.student_id, row.competency.pk)
        last[key] = max(last.get(key, time_of[row.pk]), time_of[row.pk])
    return {key: at + CHECK_AFTER_PRACTICE for key, at in last.items()}


def _write(school, answers, states, checks, questions) -> None:
    """Demo seeding: the answers, states, checks and ledger events of a school in bulk statements, in
    dependency order. Long on purpose: each statement needs the rows the one before created."""
    rows = [
        PracticeAnswer(
            school=school,
            student_id=s,
            competency=c,
            question=q,
            response="demo",
            is_correct=ok,
            p_before=p,
            p_after=_next(p, ok),
        )
        for s, c, q, ok, p in answers
    ]
    PracticeAnswer.objects.bulk_create(rows, batch_size=2000)
    answered = _spread_over_school_days(school, rows)
    checked_at = _check_times(rows, answered)
    for state in states:  # a check is taken just after the practice that led to it, not all at seeding time
        at = checked_at.get((state.student_id, state.competency.pk))
        state.mastered_at = state.mastered_at and at
        state.last_failed_check_at = state.last_failed_check_at and at
    MasteryState.objects.bulk_create(states, batch_size=2000, ignore_conflicts=True)
    attempts = []
    for student_id, competency, passed in checks:
        at = checked_at[(student_id, competency.pk)]
        drawn = questions[competency.pk][:4]
        form = [
            {
                "id": q.pk,
                "kind": q.kind,
                "prompt": q.prompt,
                "choices": q.choices,
                "key": q.key,
                "explanation": q.explanation,
            }
            for q in drawn
        ]
        correct = len(form) if passed else len(form) // 2
        attempts.append(
            CheckAttempt(
                school=school,
                student_id=student_id,
                competency=competency,
                status=CheckAttempt.Status.GRADED,
                form=form,
                pass_threshold=0.8,
                started_at=at - CHECK_MINUTES,
                submitted_at=at,
                correct_count=correct,
                total=len(form),
                passed=passed,
            )
        )
    CheckAttempt.objects.bulk_create(attempts, batch_size=1000)
    CheckResponse.objects.bulk_create(
        [
            CheckResponse(
                school=school,
                attempt=a,
                question_id_in_form=item["id"],
                response=None,
                is_correct=n < a.correct_count,
            )
            for a in attempts
            for n, item in enumerate(a.form)
        ],
        batch_size=2000,
    )
    events = [
        EvidenceEvent(
            school=school,
            student_id=r.student_id,
            competency=r.competency,
            source="answer",
            source_id=str(r.pk),
            outcome=1.0 if r.is_correct else 0.0,
            status_before="practicing",
            status_after="practicing",
            p_before=r.p_before,
            p_after=r.p_after,
            detail={"seeded": True},
        )
        for r in rows
    ] + [
        EvidenceEvent(
            school=school,
            student_id=a.student_id,
            competency=a.competency,
            source="check",
            source_id=str(a.pk),
            outcome=a.correct_count / a.total,
            status_before="ready",
            status_after="mastered" if a.passed else "practicing",
            p_before=0.7,
            p_after=0.7,
            detail={"check_id": a.pk, "passed": a.passed, "seeded": True},
        )
        for a in attempts
    ]
    EvidenceEvent.objects.bulk_create(events, batch_size=2000)
    for at, ids in answered.items():  # the ledger's answers carry the answers' own times
        EvidenceEvent.objects.filter(source="answer", source_id__in=[str(pk) for pk in ids]).update(
            created_at=at
        )
    by_time: dict[dt.datetime, list[str]] = {}
    for a in attempts:  # and its checks the checks' (one UPDATE per school day)
        by_time.setdefault(a.submitted_at, []).append(str(a.pk))
    for at, ids in by_time.items():
        EvidenceEvent.objects.filter(source="check", source_id__in=ids).update(created_at=at)
