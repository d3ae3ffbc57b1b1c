from dashboard.grouping import CellView, small_groups


def cell(student, competency, status="practicing", p=0.3):
    return CellView(student, competency, status, p)


def test_students_stuck_on_the_same_competency_are_grouped_with_items_none_of_them_did():
    groups = small_groups(
        [cell(1, 10), cell(2, 10, p=0.2), cell(3, 10, status="mastered", p=0.99), cell(4, 11)],
        flagged=set(),
        items_by_competency={10: [100, 101, 102, 103], 11: [110]},
        done_by_student={1: {100}, 3: {101}},
    )
    assert len(groups) == 1
    group = groups[0]
    assert group.competency_id == 10
    assert group.student_ids == (2, 1)  # lowest estimate first
    assert group.item_ids == (101, 102, 103)  # 100 is done by student 1; student 3 is not in the group


def test_a_student_alone_on_a_competency_is_no_group():
    assert small_groups([cell(1, 10)], flagged=set(), items_by_competency={}, done_by_student={}) == []


def test_a_high_estimate_is_not_stuck_unless_flagged():
    cells = [cell(1, 10, p=0.8), cell(2, 10, p=0.8)]
    assert small_groups(cells, flagged=set(), items_by_competency={}, done_by_student={}) == []
    groups = small_groups(cells, flagged={(1, 10), (2, 10)}, items_by_competency={}, done_by_student={})
    assert groups[0].student_ids == (1, 2) and groups[0].flagged_ids == (1, 2)


def test_a_flagged_student_not_started_is_stuck_but_a_mastered_one_never():
    cells = [cell(1, 10, status="not_started", p=0.1), cell(2, 10, status="mastered", p=0.99), cell(3, 10)]
    groups = small_groups(cells, flagged={(1, 10), (2, 10)}, items_by_competency={}, done_by_student={})
    assert groups[0].student_ids == (1, 3)


def test_big_crowds_split_into_groups_of_at_most_six_and_no_one_is_left_alone():
    cells = [cell(s, 10, p=s / 100) for s in range(13)]
    groups = small_groups(cells, flagged=set(), items_by_competency={10: [1]}, done_by_student={})
    assert [g.size for g in groups] == [7, 6] or [g.size for g in groups] == [6, 7]
    assert sorted(s for g in groups for s in g.student_ids) == list(range(13))


def test_when_every_item_is_done_by_someone_the_first_items_are_suggested():
    groups = small_groups(
        [cell(1, 10), cell(2, 10)],
        flagged=set(),
        items_by_competency={10: [5, 6, 7, 8]},
        done_by_student={1: {5, 6}, 2: {7, 8}},
    )
    assert groups[0].item_ids == (5, 6, 7)


def test_groups_with_more_students_come_first():
    cells = [cell(1, 10), cell(2, 10), cell(3, 11), cell(4, 11), cell(5, 11)]
    groups = small_groups(cells, flagged=set(), items_by_competency={}, done_by_student={})
    assert [g.competency_id for g in groups] == [11, 10]
