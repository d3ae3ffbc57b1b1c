import dataclasses
import datetime as dt

from engine.policy.next_item import locked_items, recommend
from engine.policy.snapshot import MasteryLevel, Progress, TeacherDirective, Thresholds
from tests.engine.builders import TODAY, competency, item, playlist, snapshot

MASTERED = MasteryLevel.MASTERED
DONE = Progress.DONE


def ids(recommendations):
    return [r.item_id for r in recommendations if r.kind == "item"]


def test_never_an_item_whose_prerequisites_are_unmastered():
    fractions = competency(2, prerequisite_ids=frozenset({1}))
    state = snapshot(
        playlist(1, item(10, competency_ids=(2,)), item(11, competency_ids=(1,))),
        competencies=[competency(1, code="6.RP.1"), fractions],
    )
    assert ids(recommend(state)) == [11]
    (locked,) = locked_items(state)
    assert locked.item_id == 10
    assert locked.missing_codes == ("6.RP.1",)


def test_an_unknown_prerequisite_counts_as_unmastered():
    state = snapshot(
        playlist(1, item(10, competency_ids=(2,))),
        competencies=[competency(2, prerequisite_ids=frozenset({99}))],
    )
    assert recommend(state) == []
    assert locked_items(state)[0].missing_codes == ("#99",)


def test_a_mastered_prerequisite_unlocks_the_item():
    state = snapshot(
        playlist(1, item(10, competency_ids=(2,))),
        competencies=[competency(1, MASTERED), competency(2, prerequisite_ids=frozenset({1}))],
    )
    assert ids(recommend(state)) == [10]


def test_an_item_of_a_mastered_competency_is_open_even_when_its_prerequisite_is_not_mastered():
    """The student passed RP.2's check (or a teacher marked it mastered) without RP.1: RP.2's items stay
    open (though, RP.2 mastered, item 10 counts as done and is not suggested); RP.3's item, which needs RP.2,
    is open too."""
    state = snapshot(
        playlist(1, item(10, competency_ids=(2,)), item(11, competency_ids=(3,))),
        competencies=[
            competency(1, code="RP.1"),
            competency(2, MASTERED, code="RP.2", prerequisite_ids=frozenset({1})),
            competency(3, code="RP.3", prerequisite_ids=frozenset({2})),
        ],
    )
    assert locked_items(state) == []
    assert ids(recommend(state)) == [11]  # 10 is open but counts as done: all its competencies are mastered


def test_an_item_that_works_on_its_own_prerequisite_is_not_locked_by_it():
    state = snapshot(
        playlist(1, item(10, competency_ids=(1, 2))),
        competencies=[
            competency(1, code="RP.1"),
            competency(2, code="RP.2", prerequisite_ids=frozenset({1})),
        ],
    )
    assert locked_items(state) == []
    assert ids(recommend(state)) == [10]


def test_done_items_are_not_recommended_and_playlist_order_breaks_ties():
    state = snapshot(playlist(1, item(1, progress=DONE), item(2), item(3)))
    assert ids(recommend(state)) == [2, 3]


def test_the_playlist_most_behind_its_plan_comes_first():
    start = TODAY - dt.timedelta(days=10)
    on_track = playlist(
        1, item(1, progress=DONE), item(2), assigned_on=start, target_date=TODAY + dt.timedelta(10)
    )
    behind = playlist(2, item(3), item(4), assigned_on=start, target_date=TODAY + dt.timedelta(days=2))
    recommendations = recommend(snapshot(on_track, behind))
    assert ids(recommendations)[:2] == [3, 4]
    assert "behind its plan" in recommendations[0].reason


def test_the_students_focus_outranks_an_unhurried_playlist():
    state = snapshot(playlist(1, item(1)), playlist(2, item(2), is_focus=True, title="Ratios"))
    first = recommend(state)[0]
    assert first.item_id == 2
    assert first.reason.startswith("Focus this week: Ratios")  # titles and codes keep their case


def test_required_items_come_before_optional_ones():
    state = snapshot(playlist(1, item(1, required=False), item(2)))
    assert ids(recommend(state)) == [2, 1]


def test_higher_expected_gain_wins_between_unmastered_competencies():
    state = snapshot(
        playlist(1, item(1, competency_ids=(1,)), item(2, competency_ids=(2,))),
        competencies=[competency(1, p_mastered=0.8), competency(2, p_mastered=0.1)],
    )
    assert ids(recommend(state)) == [2, 1]


def test_interest_tags_break_ties():
    state = snapshot(
        playlist(1, item(1, interest_tags=frozenset({"art"})), item(2, interest_tags=frozenset({"sports"}))),
        interests=frozenset({"sports"}),
    )
    recommendations = recommend(state)
    assert ids(recommendations) == [2, 1]
    assert "interest in sports" in recommendations[0].reason


def test_a_completed_choice_board_asks_for_nothing_more():
    board = dict(choice_group="pick", choice_needed=1)
    state = snapshot(playlist(1, item(1, **board, progress=DONE), item(2, **board), item(3)))
    assert ids(recommend(state)) == [3]


def test_an_open_choice_board_offers_its_items_after_required_work():
    board = dict(choice_group="pick", choice_needed=2)
    state = snapshot(playlist(1, item(1, **board), item(2, **board), item(3)))
    recommendations = recommend(state)
    assert ids(recommendations) == [3, 1, 2]
    assert "a choice" in recommendations[1].reason


def test_a_teachers_pin_comes_first_with_its_reason_and_a_veto_removes_the_item():
    state = snapshot(
        playlist(1, item(1), item(2), item(3)),
        directives=(
            TeacherDirective(3, pinned=True, reason="do this before Friday's seminar", by="Ms Okoye"),
            TeacherDirective(1, pinned=False, reason="video is broken"),
        ),
    )
    recommendations = recommend(state)
    assert ids(recommendations) == [3, 2]
    assert recommendations[0].pinned
    assert recommendations[0].reason == "Pinned by Ms Okoye: do this before Friday's seminar"


def test_a_check_is_suggested_first_when_mastery_says_it_is_open():
    state = snapshot(
        playlist(1, item(1, competency_ids=(1,))),
        competencies=[competency(1, p_mastered=0.72, code="7.RP.2", check_open=True)],
    )
    first, second = recommend(state)
    assert (first.kind, first.competency_id) == ("check", 1)
    # The suggestion names its competency (competency_id): every page shows the code beside the reason, so the
    # reason does not repeat it ("6.RP.1 mastery check 6.RP.1 mastery check: ..." on My work).
    assert first.reason == "The mastery check is open now."
    assert second.item_id == 1


def test_practice_comes_just_before_an_open_check_short_of_the_practice_answers_it_may_count():
    """A check that would count one right practice answer where it may count two: one more practice answer
    on it first (a right one is a question of the check done; a wrong one says the check was early)."""
    state = snapshot(
        playlist(
            1,
            item(1, competency_ids=(2,), kind="exercise"),
            item(4, competency_ids=(1,)),  # a reading on it: no practice answer to give there
            item(2, competency_ids=(1,), kind="exercise"),
            item(3, competency_ids=(1,), kind="exercise"),
        ),
        competencies=[
            competency(1, p_mastered=0.72, code="7.RP.2", check_open=True, check_carry_short=1),
            competency(2, p_mastered=0.10, code="7.RP.3"),
        ],
    )
    first, second, third = recommend(state)[:3]
    assert (first.kind, first.item_id, first.competency_id) == ("item", 2, 1)
    assert first.reason == (
        "Practise 7.RP.2 before its check: one more right practice answer and the check counts it among its "
        "first questions."
    )
    assert (second.kind, second.competency_id) == ("check", 1)
    assert third.item_id == 1  # the warm-up item is not offered twice
    assert 2 not in ids(recommend(state)[1:])
    two_short = snapshot(
        playlist(1, item(2, competency_ids=(1,), kind="exercise")),
        competencies=[competency(1, p_mastered=0.72, code="7.RP.2", check_open=True, check_carry_short=2)],
    )
    assert recommend(two_short)[0].reason.startswith("Practise 7.RP.2 before its check: 2 right practice")


def test_the_check_comes_first_when_it_counts_all_it_may_or_nothing_open_works_on_it():
    full = snapshot(
        playlist(1, item(1, competency_ids=(1,))),
        competencies=[competency(1, p_mastered=0.9, code="7.RP.2", check_open=True, check_carry_short=0)],
    )
    assert recommend(full)[0].kind == "check"
    nothing_to_practise = snapshot(
        playlist(1, item(1, competency_ids=(2,), kind="exercise"), item(3, competency_ids=(1,))),
        competencies=[
            competency(1, p_mastered=0.72, code="7.RP.2", check_open=True, check_carry_short=1),
            competency(2, code="7.RP.3"),
        ],
    )
    assert recommend(nothing_to_practise)[0].kind == "check"  # item 3 is a reading


def test_a_check_a_teacher_unlocked_comes_first_with_no_practice_before_it():
    """The same check, short of the two right practice answers it may count: opened by the estimate,
    practice comes first; unlocked by a teacher, who means "take it now", the check does."""
    shape = playlist(1, item(2, competency_ids=(1,), kind="exercise"), item(3, competency_ids=(1,)))
    by_estimate = competency(1, p_mastered=0.72, code="7.RP.2", check_open=True, check_carry_short=2)
    assert recommend(snapshot(shape, competencies=[by_estimate]))[0].reason.startswith("Practise 7.RP.2")
    unlocked = dataclasses.replace(by_estimate, p_mastered=0.3, check_unlocked=True)
    listed = recommend(snapshot(shape, competencies=[unlocked]))
    assert (listed[0].kind, listed[0].competency_id) == ("check", 1)
    assert listed[0].reason == "A teacher unlocked the mastery check: take it now."
    assert not any(r.reason.startswith("Practise") for r in listed)
    assert ids(listed) == [2, 3]  # the exercise is still there, after the check, as ordinary work


def test_a_check_a_teacher_unlocked_comes_after_their_pins_and_before_the_days_review_and_other_checks():
    state = snapshot(
        playlist(1, item(2, competency_ids=(1,), kind="exercise"), item(3, competency_ids=(2,))),
        competencies=[
            competency(
                1, p_mastered=0.3, code="7.RP.2", check_open=True, check_carry_short=2, check_unlocked=True
            ),
            competency(2, p_mastered=0.95, code="7.RP.3", check_open=True),  # open by its estimate
            competency(3, MASTERED, code="6.RP.1", mastered_on=TODAY - dt.timedelta(days=60)),  # a review due
        ],
    )
    listed = recommend(state)
    assert [(r.kind, r.competency_id or r.item_id) for r in listed[:2]] == [("check", 1), ("review", 3)]
    assert ("check", 2) in [(r.kind, r.competency_id) for r in listed]  # the other check, later
    pinned = dataclasses.replace(
        state, directives=(TeacherDirective(3, pinned=True, reason="Before Friday"),)
    )
    first, second = recommend(pinned)[:2]
    assert first.pinned and first.item_id == 3
    assert (second.kind, second.competency_id) == ("check", 1)


def test_after_a_failed_check_the_way_back_is_suggested_with_the_pages_words_after_the_next_item():
    waiting = ("Answer 5 more practice questions first.", "Your next try opens at Dec 3, 2026, 09:30.")
    state = snapshot(
        playlist(1, item(1, competency_ids=(1,))),
        competencies=[
            competency(1, p_mastered=0.95, code="7.RP.2", failed_checks_in_a_row=1, check_reasons=waiting)
        ],
    )
    first, second = recommend(state)
    assert first.item_id == 1
    assert (second.kind, second.competency_id) == ("check", 1)
    assert second.reason == " ".join(waiting)


def test_no_check_is_suggested_unless_mastery_says_it_is_open_now():
    # The estimate alone never suggests a check: mastery's verdict (carried in the snapshot) does.
    state = snapshot(competencies=[competency(1, p_mastered=0.99), competency(2, MASTERED, p_mastered=0.99)])
    assert recommend(state, Thresholds()) == []


def test_one_due_spaced_review_a_day_comes_first():
    long_ago = TODAY - dt.timedelta(days=30)
    state = snapshot(
        playlist(1, item(1), item(2)),
        competencies=[competency(5, MASTERED, mastered_on=long_ago, code="6.RP.1", p_mastered=0.95)],
    )
    kinds = [(r.kind, r.item_id or r.competency_id) for r in recommend(state)]
    assert kinds == [("review", 5), ("item", 1), ("item", 2)]


def test_once_a_review_is_done_today_the_next_due_one_waits_behind_the_first_item():
    long_ago = TODAY - dt.timedelta(days=60)
    state = snapshot(
        playlist(1, item(1), item(2)),
        competencies=[
            competency(5, MASTERED, mastered_on=long_ago, last_reviewed_on=TODAY, p_mastered=0.95),
            competency(6, MASTERED, mastered_on=long_ago, p_mastered=0.95),
        ],
    )
    kinds = [(r.kind, r.item_id or r.competency_id) for r in recommend(state)]
    assert kinds == [("item", 1), ("review", 6), ("item", 2)]


def test_a_review_answered_wrong_goes_on_until_the_estimate_recovers():
    long_ago = TODAY - dt.timedelta(days=60)
    slipped = competency(5, MASTERED, mastered_on=long_ago, last_reviewed_on=TODAY, p_mastered=0.7)
    state = snapshot(playlist(1, item(1)), competencies=[slipped])
    assert recommend(state)[0].competency_id == 5
    recovered = competency(5, MASTERED, mastered_on=long_ago, last_reviewed_on=TODAY, p_mastered=0.93)
    assert recommend(snapshot(playlist(1, item(1)), competencies=[recovered]))[0].item_id == 1


def test_reviews_put_prerequisites_of_open_work_first_then_the_most_forgotten():
    today = TODAY
    old, older = today - dt.timedelta(days=20), today - dt.timedelta(days=40)
    state = snapshot(
        competencies=[
            competency(1, MASTERED, mastered_on=old, code="NEEDED", p_mastered=0.95),
            competency(2, MASTERED, mastered_on=older, code="OLDEST", p_mastered=0.95),
            competency(3, MASTERED, mastered_on=old - dt.timedelta(days=1), code="OLDER", p_mastered=0.95),
            competency(4, prerequisite_ids=frozenset({1})),
        ]
    )
    reviews = [r for r in recommend(state, Thresholds(review_after_days=14)) if r.kind == "review"]
    assert [r.competency_id for r in reviews] == [1, 2]  # the first, then the others behind items
    assert "builds on it" in reviews[0].reason


def test_intervals_expand_after_each_review_kept():
    """Mastered 40 days ago and reviewed 20 days ago: it held 20 days, so the next interval is 14 + 20."""
    state = snapshot(
        competencies=[
            competency(
                5,
                MASTERED,
                mastered_on=TODAY - dt.timedelta(days=40),
                last_reviewed_on=TODAY - dt.timedelta(days=20),
                p_mastered=0.95,
            )
        ]
    )
    assert recommend(state, Thresholds(review_after_days=14)) == []
    later = snapshot(competencies=list(state.competencies.values()), today=TODAY + dt.timedelta(days=14))
    assert recommend(later, Thresholds(review_after_days=14))[0].kind == "review"


def test_a_recent_review_is_not_due_again():
    recent = TODAY - dt.timedelta(days=3)
    state = snapshot(
        competencies=[
            competency(
                5,
                MASTERED,
                mastered_on=TODAY - dt.timedelta(days=90),
                last_reviewed_on=recent,
                p_mastered=0.95,
            )
        ]
    )
    assert recommend(state) == []


def test_the_list_is_capped():
    state = snapshot(playlist(1, *(item(n) for n in range(1, 20))))
    assert len(recommend(state, Thresholds(max_recommendations=3))) == 3


def test_every_recommendation_says_why():
    state = snapshot(
        playlist(1, item(1), item(2, required=False), target_date=TODAY + dt.timedelta(days=5)),
        competencies=[competency(3, p_mastered=0.95)],
    )
    assert all(r.reason.endswith(".") and len(r.reason) > 10 for r in recommend(state))


def test_wheel_spinning_sends_the_student_back_to_a_mastered_prerequisite_once_a_day():
    yesterday = TODAY - dt.timedelta(days=1)
    spinning = competency(2, prerequisite_ids=frozenset({1}), practice_answers_unmastered=12, code="7.RP.2")
    state = snapshot(
        playlist(1, item(1, competency_ids=(2,))),
        competencies=[competency(1, MASTERED, code="7.RP.1", last_reviewed_on=yesterday), spinning],
    )
    first = recommend(state)[0]
    assert (first.kind, first.competency_id) == ("review", 1)
    assert first.reason == "Many misses on 7.RP.2: go back over 7.RP.1, which comes before it."
    reviewed = snapshot(
        playlist(1, item(1, competency_ids=(2,))),
        competencies=[competency(1, MASTERED, code="7.RP.1", last_reviewed_on=TODAY), spinning],
    )
    assert recommend(reviewed)[0].kind == "item"


def test_reasons_read_right_to_the_teacher_on_the_drill_down_as_well_as_to_the_student():
    """The same stored reason shows on My work and on the teacher's drill-down: no "your" in it."""
    state = snapshot(
        playlist(
            1,
            item(1, competency_ids=(1,), interest_tags=frozenset({"sports"})),
            item(2, competency_ids=(1,), required=False),
            item(3),
            title="Ratios",
            is_focus=True,
            target_date=TODAY,
            due_label="Nov 18, 2026",
        ),
        playlist(2, item(4), title="Fractions", target_date=TODAY, due_label="Nov 18, 2026"),
        competencies=[
            competency(1, code="7.RP.2", prerequisite_ids=frozenset({2}), practice_answers_unmastered=12),
            competency(2, MASTERED, code="7.RP.1"),
            competency(3, code="7.RP.3", check_open=True),
        ],
        interests=frozenset({"sports"}),
        directives=(TeacherDirective(item_id=3, pinned=True, reason="before Friday"),),
    )
    reasons = [r.reason for r in recommend(state, Thresholds(max_recommendations=10))]
    assert len(reasons) >= 5
    assert not [
        reason for reason in reasons if {"you", "your"} & set(reason.lower().replace(":", " ").split())
    ]


def test_an_item_on_competencies_all_mastered_is_never_suggested_even_in_a_focus_playlist_behind_plan():
    """student001 in the demo: 6.RP.1–6.RP.4 mastered, "Ratios" their focus and (by items marked done)
    behind plan. Its items on mastered competencies count as done; Next up leads with what builds
    something: Ratios' item on an unmastered competency, then the other playlist's."""
    ratios = playlist(
        1, item(10, competency_ids=(1,)), item(11, competency_ids=(1, 2)), item(12, competency_ids=(2, 3)),
        title="Ratios", is_focus=True,
        assigned_on=TODAY - dt.timedelta(days=20), target_date=TODAY + dt.timedelta(days=1),
    )  # fmt: skip
    equations = playlist(2, item(20, competency_ids=(4,)), title="Equations")
    state = snapshot(
        ratios,
        equations,
        competencies=[competency(1, MASTERED), competency(2, MASTERED), competency(3), competency(4)],
    )
    assert ids(recommend(state)) == [12, 20]


def test_a_choice_board_is_complete_when_its_k_are_on_mastered_competencies():
    board = dict(choice_group="b", choice_needed=1)
    state = snapshot(
        playlist(1, item(10, competency_ids=(1,), **board), item(11, competency_ids=(2,), **board)),
        competencies=[competency(1, MASTERED), competency(2)],
    )
    assert ids(recommend(state)) == []
