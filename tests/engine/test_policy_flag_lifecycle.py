from engine.policy.flag_lifecycle import Change, FlagStatus, StoredFlag, reconcile
from engine.policy.flags import FlagFinding

SPIN = ("wheel_spinning", "competency:1")


def finding(kind="wheel_spinning", subject="competency:1"):
    return FlagFinding(kind, subject, "medium", "summary", "action", {"answers": 10})


def changes(stored, findings):
    return [(c.change, c.key) for c in reconcile(stored, findings)]


def test_a_new_condition_raises_a_flag_once():
    assert changes({}, [finding(), finding()]) == [(Change.RAISE, SPIN)]


def test_a_live_flag_that_still_holds_is_refreshed_not_duplicated():
    for status in (FlagStatus.OPEN, FlagStatus.ACKNOWLEDGED):
        assert changes({SPIN: StoredFlag(status)}, [finding()]) == [(Change.REFRESH, SPIN)]


def test_a_live_flag_clears_itself_when_its_condition_clears():
    for status in (FlagStatus.OPEN, FlagStatus.ACKNOWLEDGED):
        assert changes({SPIN: StoredFlag(status)}, []) == [(Change.CLEAR, SPIN)]


def test_a_cleared_flag_reopens_when_the_condition_returns():
    assert changes({SPIN: StoredFlag(FlagStatus.CLEARED)}, [finding()]) == [(Change.REOPEN, SPIN)]
    assert changes({SPIN: StoredFlag(FlagStatus.CLEARED)}, []) == []


def test_a_resolved_flag_stays_resolved_while_the_condition_holds():
    assert changes({SPIN: StoredFlag(FlagStatus.RESOLVED)}, [finding()]) == [(Change.REFRESH, SPIN)]


def test_a_resolved_flag_reopens_only_after_the_condition_cleared_and_returned():
    resolved = {SPIN: StoredFlag(FlagStatus.RESOLVED)}
    assert changes(resolved, []) == [(Change.NOTE_CLEARED, SPIN)]
    noted = {SPIN: StoredFlag(FlagStatus.RESOLVED, condition_cleared=True)}
    assert changes(noted, []) == []
    assert changes(noted, [finding()]) == [(Change.REOPEN, SPIN)]


def test_flags_of_different_kinds_or_subjects_are_independent():
    stored = {SPIN: StoredFlag(FlagStatus.OPEN)}
    other = finding(subject="competency:2")
    assert changes(stored, [other]) == [
        (Change.RAISE, ("wheel_spinning", "competency:2")),
        (Change.CLEAR, SPIN),
    ]
