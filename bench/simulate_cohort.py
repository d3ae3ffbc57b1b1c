"""Synthetic students through our policy and through a fixed playlist order; flag precision and recall.

    python bench/simulate_cohort.py [--students 200] [--competencies 60] [--runs 3]

No database: the policy core and the BKT model are pure Python (engine/simulation.py explains the world).
Prints (a) practice answers to master the framework, ours vs the fixed order, as medians over the runs
(each run a different seed), and (b) for each struggle-type flag: precision, recall and the median school
days from the onset of struggling to the flag, for flags at all and for flags that held two days in a row.
"""

import argparse
import pathlib
import statistics
import sys
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent))

from engine.simulation import compare_policies, flag_quality


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=200)
    parser.add_argument("--competencies", type=int, default=60)
    parser.add_argument("--flag-students", type=int, default=300)
    parser.add_argument("--flag-competencies", type=int, default=30)
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    started = time.perf_counter()
    comparisons = [
        compare_policies(students=args.students, competencies=args.competencies, seed=seed)
        for seed in range(7, 7 + args.runs)
    ]
    med = statistics.median
    ours = med(c.policy_median_answers for c in comparisons)
    print(f"(a) {args.students} students × {args.competencies} competencies, {args.runs} runs (medians)")
    print(
        f"    practice answers to master everything: ours {ours:.0f}"
        f", fixed order {med(c.fixed_median_answers for c in comparisons):.0f}"
        f"  → fixed / ours = {med(c.ratio for c in comparisons):.2f}×"
    )
    print(
        f"    mastery checks taken: ours {med(c.policy_median_checks for c in comparisons):.0f}"
        f", fixed order {med(c.fixed_median_checks for c in comparisons):.0f}"
    )
    print(
        f"    mastered the whole framework: ours {med(c.policy_mastered_share for c in comparisons):.0%}"
        f", fixed order {med(c.fixed_mastered_share for c in comparisons):.0%}"
    )

    print(f"(b) {args.flag_students} students ({args.days} school days, 20% struggling from a random day)")
    for persist in (1, 2):
        runs = [
            flag_quality(
                students=args.flag_students,
                competencies=args.flag_competencies,
                days=args.days,
                seed=seed,
                persist_days=persist,
            )
            for seed in range(11, 11 + args.runs)
        ]
        label = "any flag" if persist == 1 else "flags held 2 days"
        print(f"    {label}:")
        for index, kind in enumerate(["any", *(k.kind for k in runs[0].by_kind)]):
            qualities = [r.any_flag if index == 0 else r.by_kind[index - 1] for r in runs]
            delays = [q.median_delay for q in qualities if q.delays_days]
            delay = f"{med(delays):.1f} school days" if delays else "never"
            print(
                f"      {kind:<16} precision {med(q.precision for q in qualities):.2f}"
                f"  recall {med(q.recall for q in qualities):.2f}  median delay {delay}"
            )
    print(f"({time.perf_counter() - started:.0f} s)")


if __name__ == "__main__":
    main()
