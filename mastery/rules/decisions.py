"""When a check is passed or decided: the pass mark on a number of questions, and a check that stops as
soon as its result is decided."""

from __future__ import annotations

import math


def passes(correct: int, total: int, threshold: float) -> bool:
    """Passed when the share correct reaches the threshold (8 of 10 at 0.8); float-safe at the boundary."""
    return total > 0 and correct >= math.ceil(threshold * total - 1e-9)


def questions_to_pass(total: int, threshold: float) -> int:
    return max(1, math.ceil(threshold * total - 1e-9))


def check_decision(right: int, wrong: int, questions: int, threshold: float) -> bool | None:
    """A check ends as soon as its result is decided: True once ``right`` reaches the pass mark on the
    check's ``questions``, False once so many are wrong that the pass mark is out of reach, None while the
    remaining questions could still go either way (4 right or 2 wrong of 5 at 0.8). The same outcome as
    grading every question (``passes``), for fewer questions: a failed check costs two or three."""
    to_pass = questions_to_pass(questions, threshold)
    if right >= to_pass:
        return True
    if wrong > questions - to_pass:
        return False
    return None
