"""What the policy knows of one student (a snapshot read in a few bulk queries), and the thresholds."""

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum

from engine.policy.attention import ENTER_SCORE, EXIT_SCORE
from schools import policy_defaults as school


class Progress(StrEnum):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    DONE = "done"


class MasteryLevel(StrEnum):
    NOT_STARTED = "not_started"
    PRACTICING = "practicing"
    READY = "ready_for_check"
    MASTERED = "mastered"


@dataclass(frozen=True, slots=True)
class ItemView:
    """One item of an assigned playlist, with this student's progress on it."""

    item_id: int
    position: int
    title: str = ""
    required: bool = True
    competency_ids: tuple[int, ...] = ()
    interest_tags: frozenset[str] = frozenset()
    kind: str = "reading"
    minutes: int = 0
    progress: Progress = Progress.NOT_STARTED
    choice_group: str = ""  # items sharing a group form a "choose k of n" board
    choice_needed: int = 0  # k: how many of the group the student must finish


@dataclass(frozen=True, slots=True)
class PlaylistView:
    """An assigned playlist and its pacing plan (assignment date → target date)."""

    playlist_id: int
    title: str
    items: tuple[ItemView, ...]
    assigned_on: dt.date | None = None
    target_date: dt.date | None = None
    is_focus: bool = False  # the student chose it as their focus this week
    tier: str = "power"
    due_label: str = ""  # the target date as people read it (plp.timefmt's one day format)
    section_id: int | None = None  # the section it is assigned through (None: to the student alone)


@dataclass(frozen=True, slots=True)
class CompetencyView:
    """The student's mastery of one competency, and the graph around it."""

    competency_id: int
    code: str
    level: MasteryLevel = MasteryLevel.NOT_STARTED
    p_mastered: float = 0.0  # the BKT estimate
    p_learn: float = 0.15  # BKT learn rate: expected gain of one more practice opportunity
    prerequisite_ids: frozenset[int] = frozenset()
    practice_answers_unmastered: int = 0  # answers since work began, while still unmastered
    practice_correct_unmastered: int = 0
    failed_checks_in_a_row: int = 0
    mastered_on: dt.date | None = None
    last_reviewed_on: dt.date | None = None
    # Mastery's verdict on a check (``mastery.eligibility``: the competency's own threshold, practice after a
    # failed check, the cooldown, a teacher's unlock), carried as data: the policy never re-derives it.
    check_open: bool = False  # the student can ask for a check now
    check_reasons: tuple[str, ...] = ()  # when not: why, and when it opens, in the competency page's words
    check_opens_at: dt.datetime | None = None  # a running cooldown ends then
    # Right practice answers in a row still to give before the open check counts all the practice it may as
    # its first questions (``mastery.rules.carry_into``, read by ``mastery.eligibility``); 0: none short.
    check_carry_short: int = 0
    # A teacher unlocked the check (``Eligibility.unlocked``): "take it now", so no practice goes before it.
    check_unlocked: bool = False


@dataclass(frozen=True, slots=True)
class GoalView:
    goal_id: int
    title: str
    due_on: dt.date
    is_open: bool  # not yet reflected on (met / partly / not met)


@dataclass(frozen=True, slots=True)
class CheckInView:
    """The student's last mentor check-in, and the follow-up date the mentor set."""

    last_on: dt.date | None = None
    follow_up_on: dt.date | None = None
    has_mentor: bool = False
    mentored_since: dt.date | None = None  # when their mentoring began: a first check-in is due from then


@dataclass(frozen=True, slots=True)
class TeacherDirective:
    """A teacher pinned an item for the student, or vetoed one; the engine obeys and keeps the reason."""

    item_id: int
    pinned: bool  # False: vetoed
    reason: str
    by: str = ""


@dataclass(frozen=True, slots=True)
class StudentSnapshot:
    student_id: int
    today: dt.date
    playlists: tuple[PlaylistView, ...] = ()
    competencies: dict[int, CompetencyView] = field(default_factory=dict)
    interests: frozenset[str] = frozenset()
    directives: tuple[TeacherDirective, ...] = ()
    last_active_on: dt.date | None = None
    started_on: dt.date | None = None  # first day the student had work assigned
    recent_results: tuple[bool, ...] = ()  # the last answers, oldest first (True: correct)
    goals: tuple[GoalView, ...] = ()
    check_in: CheckInView = CheckInView()
    done_on: dict[int, dt.date] = field(default_factory=dict)  # item id → the day it was done


@dataclass(frozen=True, slots=True)
class Thresholds:
    """Per-school flag and recommendation thresholds, as the policy reads them (a school's own: its
    ``engine.SchoolThresholds`` and ``schools.SchoolSettings`` rows, put together by
    ``engine/school_policy.py``). The defaults and where they come from:

    - ``wheel_spin_answers`` = 10: Beck & Gong (2013), "Wheel-spinning: students who fail to master a
      skill" — ten practice opportunities without mastery identifies most students who will not master;
      ``wheel_spin_accuracy`` = 0.6: …and with at most 60% right, so a slow but learning student is spared.
    - ``failed_checks`` = 2: Summit's practice of a teacher conversation after a second failed assessment.
    - ``inactive_school_days`` = 3: early-warning systems flag a few consecutive school days of no activity
      (Balfanz & Byrnes' attendance research: absence predicts disengagement within a week).
    - ``pace_margin``, ``check_in_days``, ``check_in_grace_days``: the school's own settings, which apps
      below the engine read too (``schools.SchoolSettings``): their defaults and where they come from are
      written once, in ``schools/policy_defaults.py`` (0.10, 14 and 3).
    - ``falling_drop`` = 0.30 over ``falling_window`` = 15 answers: from, say, 80% to 50% correct; shorter
      windows fire on noise when a student moves to a new competency (bench/simulate_cohort.py).
    - ``learning_p_mastered`` = 0.85: an estimate this high means practice is working, so many answers are
      not wheel-spinning (BKT's usual mastery threshold is 0.95, Corbett & Anderson 1995). It is not the
      readiness for a check: that is each competency's own policy, decided by mastery and carried in
      ``CompetencyView.check_open``.
    - ``review_after_days`` = 14: the first spaced review two weeks after mastery; each later interval
      grows by the days already kept (``next_item.forgetting``). Cepeda et al. (2008) put the best gap at
      10–20% of the retention interval: 11–22 days for a 16-week term. In the simulated class (70 students,
      seeds 201–202) 10 and 14 kept 85% of certified competencies, 21 kept 83%, for about the same answers
      (bench/README.md, 2026-12-03, issue 15 part 5).
    - ``pace_recent_school_days`` = 10: a student behind pace is "catching up" when their rate of required
      work over the last two school weeks would finish what they are behind on by its target date (two
      weeks: long enough to span a sick day or a week of another subject's project, short enough to see
      a student who has stopped).
    - ``attention_enter_score`` = 0.26, ``attention_exit_score`` = 0.26: the "needs attention" detector
      (engine/policy/attention.py) opens a student's entry when its score reaches 0.26 and keeps it open
      until the score falls below 0.26 (no gain was found in a lower exit score). Chosen out of sample in
      the simulated class together with the detector's model (slow prior 0.10, cap 1.0 nat on the
      slowest competency and 2.0 on the others, a prerequisite's wrong reviews as evidence of a block,
      "slow or blocked" as one posterior, disengagement prior 0.02): tuned on seeds 101–106
      (``bench/simulate_cohort.py --tune``: among the pairs meeting issue 15's goals with a margin, the
      best recall in the first four weeks), reported on seeds 201–203 (bench/README.md, 2026-12-04, sixth
      session; 0.28 and 0.28 before, 0.36 and 0.36 before that, 0.50 and 0.35 first). Both stay above what
      one competency's slow evidence alone can score (``attention.one_competency_score``: 0.232).
    """

    wheel_spin_answers: int = 10
    wheel_spin_accuracy: float = 0.6
    failed_checks: int = 2
    inactive_school_days: int = 3
    pace_margin: float = school.PACE_MARGIN
    check_in_days: int = school.CHECK_IN_DAYS
    falling_window: int = 15
    falling_drop: float = 0.30
    learning_p_mastered: float = 0.85
    review_after_days: int = 14
    max_recommendations: int = 5
    pace_recent_school_days: int = 10
    check_in_grace_days: int = school.CHECK_IN_GRACE_DAYS
    attention_enter_score: float = ENTER_SCORE
    attention_exit_score: float = EXIT_SCORE


DEFAULTS = Thresholds()
