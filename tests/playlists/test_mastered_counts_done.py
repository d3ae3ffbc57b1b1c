"""Progress by demonstrated mastery, not seat time: an assigned item whose competencies the student has all
mastered counts as done (engine/policy/pace.py ``done_with_mastery``) on every page that counts their work
(the playlist page, My work, the teacher's progress page, the dashboard, the agency weeks); an item with
one competency not mastered, or with none, still counts only when marked done."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from agency import services as agency_services
from agency.selectors.weeks import week_history
from dashboard.selectors.grid import section_dashboard
from mastery.models import MasteryState, MasteryStatus
from plp.tenancy.context import school_scope
from schools.roles import Role
from tests.agency.conftest import access_of, make_mentee, place
from tests.dashboard.conftest import make_state
from tests.factories import CompetencyFactory, EnrollmentFactory, ItemProgressFactory, UserFactory
from tests.playlists.conftest import build_playlist


def _client(client, user):
    client.force_login(user)
    return client


def url(name, **kwargs):
    return reverse(name, kwargs={"school_slug": "alpha", **kwargs})


@pytest.fixture
def aligned(school_a):
    """Ratios (3 required items, a "choose 2 of 4" board: 5 units): item 1 works on RP.1, item 2 on RP.1
    and RP.2, item 3 on nothing, the board's first choice on RP.1; the student mastered RP.1 only."""
    ratios = build_playlist(school_a, board_items=4, choose=2)
    rp1 = CompetencyFactory(framework__school=school_a.school, code="RP.1")
    rp2 = CompetencyFactory(framework=rp1.framework, code="RP.2", position=2)
    with school_scope(school_a.school):
        ratios.placements[0].item.competencies.add(rp1)
        ratios.placements[1].item.competencies.add(rp1, rp2)
        ratios.board_placements[0].item.competencies.add(rp1)
    make_state(school_a.school, school_a.user(Role.STUDENT), rp1, MasteryStatus.MASTERED, 0.97)
    make_state(school_a.school, school_a.user(Role.STUDENT), rp2, MasteryStatus.PRACTICING, 0.4)
    return ratios


def _rows(body: str) -> list[str]:
    return body.split('<li class="item-row">')[1:]


def test_the_playlist_page_shows_an_item_on_mastered_competencies_as_done_and_why(client, school_a, aligned):
    body = (
        _client(client, school_a.user(Role.STUDENT))
        .get(url("playlists:student_playlist", playlist_id=aligned.playlist.pk))
        .content.decode()
    )
    rows = _rows(body)
    assert "✓ Mastered (RP.1)" in rows[0]
    assert "Not started" in rows[1] and "Mastered" not in rows[1]  # RP.2 is not mastered
    assert "Not started" in rows[2]  # no competency: only marking it done counts
    assert "✓ Mastered (RP.1)" in rows[3]  # the board's first choice
    assert "2 of 5 done" in body  # item 1, and 1 of the board's 2
    assert "choose 2 of 4 — 1 done" in body


def test_an_item_marked_done_says_done_not_mastered(client, school_a, aligned):
    ItemProgressFactory(item=aligned.placements[0].item, student=school_a.user(Role.STUDENT), status="done")
    body = (
        _client(client, school_a.user(Role.STUDENT))
        .get(url("playlists:student_playlist", playlist_id=aligned.playlist.pk))
        .content.decode()
    )
    assert "✓ Done" in _rows(body)[0] and "2 of 5 done" in body


def test_my_work_counts_it_and_next_up_is_the_first_item_still_to_do(client, school_a, aligned):
    body = _client(client, school_a.user(Role.STUDENT)).get(url("agency:my_work")).content.decode()
    assert "2 of 5 done" in body
    assert "choose 2 of 4 — 1 done" in body
    next_up = body.split("Next up")[1]
    assert "Ratios item 2" in next_up and "Ratios item 1" not in next_up.split("Ratios item 2")[0]


def test_the_teacher_progress_page_and_the_dashboard_count_it(client, school_a, aligned):
    student = school_a.user(Role.STUDENT)
    body = (
        _client(client, school_a.user(Role.TEACHER))
        .get(url("playlists:playlist_detail", playlist_id=aligned.playlist.pk))
        .content.decode()
    )
    assert student.get_full_name() in body and "2 of 5" in body
    with school_scope(school_a.school):
        dashboard = section_dashboard(section=school_a.section, today=timezone.localdate())
    (row,) = [r for r in dashboard.rows if r.student == student]
    assert (row.done_units, row.needed_units) == (2, 5)


def test_the_agency_weeks_count_it_from_the_week_it_was_mastered(school_a, aligned):
    """All of Ratios counted done by mastery last week: on pace then, and this week; the week before the
    mastery, nothing done some days into the plan, behind (whatever the weekday today)."""
    student = school_a.user(Role.STUDENT)
    today = timezone.localdate()
    with school_scope(school_a.school):
        for placement in aligned.placements[1:] + aligned.board_placements[1:2]:
            placement.item.competencies.set([aligned.placements[0].item.competencies.get()])
        aligned.playlist.assignments.update(start_date=today - dt.timedelta(days=16), target_date=today)
        MasteryState.objects.filter(student=student, status=MasteryStatus.MASTERED).update(
            mastered_at=timezone.now() - dt.timedelta(days=7)
        )
        weeks = week_history(student=student, today=today, weeks=3)
    assert [w.on_pace for w in weeks] == [False, True, True]


def test_my_work_counts_the_items_done_by_mastery_this_week_against_the_pace_target(
    client, school_a, aligned
):
    """Ratios item 1 and the board's first choice count as done since RP.1 was mastered (the playlist page
    says so): this week, when it was mastered this week, with item 3 marked done today; an item marked done
    last week, or a mastery of last week, is not this week's."""
    student = make_mentee(school_a)
    place(school_a, student, 3)
    with school_scope(school_a.school):
        agency_services.pace_target_set(
            access=access_of(school_a, Role.STUDENT, student), actor=student, items_per_week=4
        )
    now = timezone.now()
    ItemProgressFactory(item=aligned.placements[2].item, student=student, status="done", completed_at=now)
    last_week = now - dt.timedelta(days=8)
    ItemProgressFactory(item=aligned.board_placements[3].item, student=student, completed_at=last_week)
    client.force_login(student)
    body = client.get(url("agency:my_work")).content.decode()
    assert "Your pace target: 4 items a week — 3 done this week." in body
    with school_scope(school_a.school):
        MasteryState.objects.filter(student=student, status=MasteryStatus.MASTERED).update(
            mastered_at=last_week
        )
    body = client.get(url("agency:my_work")).content.decode()
    assert "Your pace target: 4 items a week — 1 done this week." in body


def test_the_pages_keep_their_query_counts_with_many_students_items_and_masteries(
    client, school_a, aligned, django_assert_max_num_queries
):
    student, teacher = school_a.user(Role.STUDENT), school_a.user(Role.TEACHER)
    pages = [
        (student, url("playlists:student_playlist", playlist_id=aligned.playlist.pk)),
        (student, url("agency:my_work")),
        (teacher, url("playlists:playlist_detail", playlist_id=aligned.playlist.pk)),
    ]
    counts = []
    for user, page in pages:
        _client(client, user)
        with django_assert_max_num_queries(40) as one:
            assert client.get(page).status_code == 200
        counts.append(len(one.captured_queries))
    more = build_playlist(school_a, title="More", required=6, board_items=3)
    for n, placement in enumerate(more.placements):
        competency = CompetencyFactory(framework__school=school_a.school, code=f"M.{n}")
        with school_scope(school_a.school):
            placement.item.competencies.add(competency)
        make_state(school_a.school, student, competency, MasteryStatus.MASTERED, 0.96)
        learner = UserFactory()
        EnrollmentFactory(section=school_a.section, user=learner, role="student")
        make_state(school_a.school, learner, competency, MasteryStatus.MASTERED, 0.96)
    for (user, page), count in zip(pages, counts, strict=True):
        _client(client, user)
        with django_assert_max_num_queries(count):
            assert client.get(page).status_code == 200
