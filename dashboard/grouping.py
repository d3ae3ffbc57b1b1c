"""Small-group suggestions (pure Python, no Django): students stuck on the same competency, grouped, with
the items they could work on together.

"Stuck" means not mastered and either practicing with a low estimate, or flagged about that competency.
A group needs at least two students: one student alone is a one-on-one, not a group.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

LOW_ESTIMATE = 0.5
MIN_GROUP = 2
MAX_GROUP = 6
MAX_ITEMS = 3


@dataclass(frozen=True)
class CellView:
    """What grouping needs of one student × competency mastery state."""

    student_id: int
    competency_id: int
    status: str  # not_started / practicing / ready / mastered
    p_mastered: float


@dataclass(frozen=True)
class Group:
    competency_id: int
    student_ids: tuple[int, ...]
    item_ids: tuple[int, ...]
    flagged_ids: tuple[int, ...]

    @property
    def size(self) -> int:
        return len(self.student_ids)


def is_stuck(cell: CellView, *, flagged: bool) -> bool:
    if cell.status == "mastered":
        return False
    if flagged:
        return True
    return cell.status == "practicing" and cell.p_mastered < LOW_ESTIMATE


def small_groups(
    cells: Iterable[CellView],
    *,
    flagged: set[tuple[int, int]],
    items_by_competency: Mapping[int, list[int]],
    done_by_student: Mapping[int, set[int]],
) -> list[Group]:
    """Groups of 2–6 stuck students per competency, biggest first; each with up to three items that none
    of its students has done yet (in playlist order), else the competency's first items.

    ``flagged`` holds (student_id, competency_id) pairs with a live flag about that competency. A
    competency with more stuck students than fit one group is split into groups of the lowest estimates
    first, so each group is at a similar level.
    """
    stuck: dict[int, list[CellView]] = {}
    for cell in cells:
        is_flagged = (cell.student_id, cell.competency_id) in flagged
        if is_stuck(cell, flagged=is_flagged):
            stuck.setdefault(cell.competency_id, []).append(cell)
    groups: list[Group] = []
    for competency_id, members in stuck.items():
        if len(members) < MIN_GROUP:
            continue
        members.sort(key=lambda c: (c.p_mastered, c.student_id))
        chunks = [members[i : i + MAX_GROUP] for i in range(0, len(members), MAX_GROUP)]
        if len(chunks) > 1 and len(chunks[-1]) < MIN_GROUP:
            chunks[-2].extend(chunks.pop())  # a lone leftover joins the previous group
        for chunk in chunks:
            student_ids = tuple(c.student_id for c in chunk)
            items = items_by_competency.get(competency_id, [])
            fresh = [i for i in items if not any(i in done_by_student.get(s, set()) for s in student_ids)]
            groups.append(
                Group(
                    competency_id=competency_id,
                    student_ids=student_ids,
                    item_ids=tuple((fresh or items)[:MAX_ITEMS]),
                    flagged_ids=tuple(s for s in student_ids if (s, competency_id) in flagged),
                )
            )
    groups.sort(key=lambda g: (-g.size, -len(g.flagged_ids), g.competency_id))
    return groups
