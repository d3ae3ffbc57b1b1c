"""Our EM (mastery/fitting.py) against pyBKT (Badrinath, Wang & Pardos 2021), the reference BKT library, on
the same simulated answers: the four parameters must agree within 0.05.

pyBKT is a dev extra only (pyproject.toml); its fit is pure Python and random-restarted, so the data set is
kept small enough for a test and large enough that both land on the same maximum.
"""

import pandas as pd
import pytest
from pyBKT.models import Model

from mastery.bkt import BKTParams
from mastery.fitting import fit, simulate

CASES = (
    BKTParams(p_init=0.3, p_learn=0.12, p_guess=0.2, p_slip=0.1),
    BKTParams(p_init=0.1, p_learn=0.3, p_guess=0.15, p_slip=0.06),
)


def _pybkt(sequences: list[list[bool]]) -> dict[str, float]:
    rows = [
        {"order_id": n, "user_id": student, "skill_name": "S", "correct": int(correct)}
        for n, (student, correct) in enumerate(
            (student, correct) for student, seq in enumerate(sequences) for correct in seq
        )
    ]
    model = Model(seed=42, num_fits=2, parallel=False)
    model.fit(data=pd.DataFrame(rows))
    values = model.params()["value"]
    return {name: float(values[("S", name, "default")]) for name in ("prior", "learns", "guesses", "slips")}


@pytest.mark.parametrize("truth", CASES, ids=["slow-learnt", "quick-learnt"])
def test_our_em_and_pybkt_agree_within_005(truth):
    sequences = simulate(truth, 300, 12, seed=17)
    ours = fit(sequences).params
    theirs = _pybkt(sequences)
    assert ours.p_init == pytest.approx(theirs["prior"], abs=0.05)
    assert ours.p_learn == pytest.approx(theirs["learns"], abs=0.05)
    assert ours.p_guess == pytest.approx(theirs["guesses"], abs=0.05)
    assert ours.p_slip == pytest.approx(theirs["slips"], abs=0.05)
    # and both recover the truth that generated the answers; screening for stuck students changes nothing
    assert ours.p_learn == pytest.approx(truth.p_learn, abs=0.05)
    screened = fit(sequences, screen_stuck=True).params
    assert screened.p_learn == pytest.approx(theirs["learns"], abs=0.05)
    assert screened.p_init == pytest.approx(theirs["prior"], abs=0.05)
