"""Benchmark of the BKT fitting (mastery/fitting.py): EM on simulated students with known parameters.

    .venv/bin/python bench/fit_bkt.py

Prints, per data-set size, the median fit time of 3 runs, the largest parameter error and the held-out
log-loss/AUC. Pure Python: no database needed.
"""

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from mastery.bkt import BKTParams
from mastery.fitting import fit_and_evaluate, simulate

TRUE = BKTParams(p_init=0.3, p_learn=0.12, p_guess=0.2, p_slip=0.1)


def main() -> None:
    print("students answers  fit_s(median)  max|param error|  heldout_logloss  heldout_auc")
    for students, answers in ((100, 10), (500, 20), (2000, 20), (5000, 30)):
        sequences = dict(enumerate(simulate(TRUE, students, answers, seed=3)))
        times = []
        for _ in range(3):
            started = time.perf_counter()
            evaluation = fit_and_evaluate(sequences)
            times.append(time.perf_counter() - started)
        p = evaluation.fit.params
        error = max(abs(getattr(p, n) - getattr(TRUE, n)) for n in ("p_init", "p_learn", "p_guess", "p_slip"))
        print(
            f"{students:8d} {answers:7d}  {statistics.median(times):13.3f}  {error:16.3f}  "
            f"{evaluation.log_loss:15.3f}  {evaluation.auc:11.3f}"
        )


if __name__ == "__main__":
    main()
