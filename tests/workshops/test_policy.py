"""The pure workshop rules (no database), and the ledger replay of workshop attendance."""

import datetime as dt

from mastery.bkt import DEFAULT_PARAMS, taught
from mastery.rules import Event, replay
from workshops import policy

T = dt.time


def test_half_open_intervals_touch_without_overlapping():
    assert policy.overlaps(T(10), T(11), T(10, 30), T(12))
    assert not policy.overlaps(T(10), T(11), T(11), T(12))
    assert policy.overlaps(T(10), T(12), T(10, 30), T(11))  # one inside the other


def test_block_overlap_ignores_the_block_itself_and_other_days():
    blocks = [policy.BlockView(1, 0, T(10), T(11)), policy.BlockView(2, 1, T(10), T(11))]
    assert policy.block_overlap(blocks, weekday=0, starts=T(10, 30), ends=T(12)).block_id == 1
    assert policy.block_overlap(blocks, weekday=0, starts=T(10, 30), ends=T(12), exclude_id=1) is None
    assert policy.block_overlap(blocks, weekday=2, starts=T(10), ends=T(11)) is None


def test_a_slot_must_be_on_the_blocks_day_and_inside_it():
    block = policy.BlockView(1, 0, T(10), T(11, 30))
    monday = dt.date(2026, 12, 7)
    assert policy.slot_problem(block, day=monday, starts=T(10), ends=T(11, 30)) == ""
    assert "a Tuesday" in policy.slot_problem(
        block, day=monday + dt.timedelta(days=1), starts=T(10), ends=T(11)
    )
    assert "inside its block" in policy.slot_problem(block, day=monday, starts=T(9, 45), ends=T(10, 30))
    assert "ends after it starts" in policy.slot_problem(block, day=monday, starts=T(11), ends=T(10, 30))


def test_the_right_level_is_unmastered_with_prerequisites_met():
    assert policy.signup_refusal(policy.Level(mastered=False), code="F.1") == ""
    assert "already mastered F.1" in policy.signup_refusal(policy.Level(mastered=True), code="F.1")
    missing = policy.Level(mastered=False, missing_prerequisites=("W.1", "W.2"))
    assert "needs W.1, W.2 first" in policy.signup_refusal(missing, code="F.1")


def test_the_invitation_reason_says_what_the_evidence_shows():
    assert "stuck on F.1" in policy.invitation_reason(
        code="F.1", status="practicing", p_mastered=0.3, flagged=True
    )
    assert "not landing yet (estimate 30%)" in policy.invitation_reason(
        code="F.1", status="practicing", p_mastered=0.3, flagged=False
    )
    assert "not practised F.1" in policy.invitation_reason(
        code="F.1", status="not_started", p_mastered=None, flagged=False
    )
    assert "picked you" in policy.invitation_reason(code="F.1", status="ready", p_mastered=0.8, flagged=False)


def test_the_replay_counts_a_workshop_attended_once_as_a_lesson_and_an_absence_not_at_all():
    present = {"present": True, "score_key": "workshop-seat:1"}
    _, p, has_evidence = replay([Event("workshop", 1.0, present)], DEFAULT_PARAMS)
    assert has_evidence and p == taught(DEFAULT_PARAMS.p_init, DEFAULT_PARAMS)
    absent = {"present": False, "score_key": "workshop-seat:2"}
    assert replay([Event("workshop", 0.0, absent)], DEFAULT_PARAMS)[1:] == (DEFAULT_PARAMS.p_init, False)
    # A correction of the same seat supersedes the first mark: one lesson, not two.
    corrected = [Event("workshop", 0.0, {**present, "present": False}), Event("workshop", 1.0, present)]
    assert replay(corrected, DEFAULT_PARAMS)[1] == p
    mastered, _, _ = replay([Event("workshop", 1.0, present)] * 1, DEFAULT_PARAMS)
    assert mastered is False  # time with a teacher is never proof of mastery


def test_the_workshop_rules_import_nothing_but_the_standard_library():
    import ast
    import sys
    from pathlib import Path

    tree = ast.parse(Path(policy.__file__).read_text())
    imported = {
        name.split(".")[0]
        for node in ast.walk(tree)
        for name in (
            [a.name for a in node.names] if isinstance(node, ast.Import)
            else [node.module or ""] if isinstance(node, ast.ImportFrom) else []
        )
    }  # fmt: skip
    assert imported <= set(sys.stdlib_module_names) | {"__future__"}, imported
