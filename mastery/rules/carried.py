"""Right practice answers given just before a check count as its first questions: which ones, and the
lines the student reads about them before and at the end of the check."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from mastery.rules.decisions import check_decision, passes, questions_to_pass


def check_end_line(
    right: int, wrong: int, questions: int, threshold: float, competency: str, carried: int = 0
) -> str:
    """Why a check ended (the student reads it): "4 of 4 right: passed", "2 wrong: not yet, practise X".
    ``right`` counts the ``carried`` practice answers (:func:`carried_practice`), which the line names."""
    answered = right + wrong
    passed = check_decision(right, wrong, questions, threshold)
    if passed is None:
        passed = passes(right, answered, threshold)
    early = answered < questions
    if passed:
        line = f"{right} of {answered} right"
        line += f", {_carried_words(carried)}: passed." if carried else ": passed."
        return f"{line} The check stopped there: the pass mark was reached." if early else line
    line = f"{wrong} wrong: not yet, practise {competency}."
    if early:
        to_pass = questions_to_pass(questions, threshold)
        line += f" The check stopped there: {to_pass} of {questions} right could no longer be reached."
    if carried:
        line += (
            f" Your last {carried} right practice answers counted as its first {carried} questions."
            if carried > 1
            else " Your last right practice answer counted as its first question."
        )
    return line


CARRIED_PRACTICE_MAX = 2
CARRIED_PRACTICE_WITHIN = dt.timedelta(days=3)


@dataclass(frozen=True)
class PracticeMark:
    """One practice answer on the competency, as :func:`carried_practice` needs it."""

    answer_id: int
    correct: bool
    at: dt.datetime


def carried_practice(
    answers: Sequence[PracticeMark],
    *,
    to_pass: int,
    now: dt.datetime,
    since: dt.datetime | None = None,
    already_carried: Iterable[int] = (),
    maximum: int = CARRIED_PRACTICE_MAX,
    within: dt.timedelta = CARRIED_PRACTICE_WITHIN,
) -> tuple[int, ...]:
    """The practice answers a check starting ``now`` counts as its first questions, oldest first (their ids).

    ``answers`` are the student's practice answers on the competency, in the order given. The right answers
    at the end of that sequence, in a row, carry: at most ``maximum`` (``CARRIED_PRACTICE_MAX``, 2) and at
    most ``to_pass`` − 1, so a check is never passed on practice alone — at least one question is always
    asked (a 5-question check at 0.8 carries 2 and needs 2 more right of the 3 left; a 2-question check
    carries 1). The run ends at the latest wrong answer, and at any answer that cannot carry:

    - answered at or before ``since``, the end of the student's previous check on this competency (its
      start if it never ended): what was before the last check was that check's evidence, or came before a
      failure, and is not "just before" this one;
    - already carried into another check (``already_carried``): an answer counts at most once;
    - older than ``within`` (``CARRIED_PRACTICE_WITHIN``, 3 days) before ``now``. A window, because a
      carried answer stands for what the student knows *now*: the practice that opened the check, not
      a streak left from another unit. Three calendar days keep "practised at the end of Friday's lesson,
      checked on Monday" (and any next-day lesson) and drop answers from before a week away; in the
      simulation (1.2% forgetting a school day) what is known three days later is still known.

    The carried answers are evidence once: as practice they already updated the estimate; the check only
    counts them toward its pass mark (the check's ledger row names them)."""
    limit = max(0, min(maximum, to_pass - 1))
    earliest = now - within
    used = set(already_carried)
    carried: list[int] = []
    for answer in reversed(answers):
        if len(carried) >= limit:
            break
        if (
            not answer.correct
            or answer.answer_id in used
            or (since is not None and answer.at <= since)
            or answer.at < earliest
            or answer.at > now
        ):
            break
        carried.append(answer.answer_id)
    return tuple(reversed(carried))


def _carried_words(carried: int) -> str:
    return f"the first {carried} from your practice" if carried > 1 else "the first from your practice"


def carried_line(carried: int, questions: int, to_pass: int, competency: str) -> str:
    """What the student reads before the check starts: which practice answers count, and what is left.
    Empty when none carry."""
    if not carried:
        return ""
    left, more = questions - carried, to_pass - carried
    if carried == 1:
        head = f"Your last practice answer on {competency} was right: it counts as the check's first question"
    else:
        head = (
            f"Your last {carried} practice answers on {competency} were right: they count as the check's "
            f"first {carried} questions"
        )
    return f"{head}; {left} to go, and {more} more right pass{'es' if more == 1 else ''} it."
