"""The section page is rendered once per stamp and served from the cache: the stamp moves with everything
the page shows, the cached page goes only to callers allowed to see the section, and each caller gets
their own CSRF token in it."""

import datetime as dt
import gzip
import re
import zlib

import pytest
from django.test import Client
from django.utils import timezone

from accounts.models import User
from dashboard.page_cache import adler32_combine
from dashboard.selectors import section_stamp
from engine.models import Flag, FlagStatus, SchoolThresholds
from mastery.models import MasteryState, MasteryStatus
from playlists.models import (
    ChoiceBoard,
    Competency,
    ContentItem,
    ItemProgress,
    Playlist,
    PlaylistAssignment,
    PlaylistItem,
)
from plp.tenancy.context import school_scope
from schools.models import Enrollment, Section, Term
from schools.roles import Role
from tests.dashboard.conftest import make_attention_entry, make_flag, make_state, zoe_needs_attention
from tests.dashboard.test_views import url
from tests.factories import (
    ChoiceBoardFactory,
    EnrollmentFactory,
    MembershipFactory,
    SectionFactory,
    UserFactory,
)

TODAY = dt.date(2026, 11, 23)


def stamp_of(world, user=None, roles=frozenset({Role.TEACHER}), section=None, today=TODAY):
    with school_scope(world.school):
        return section_stamp(
            user=user or world.user(Role.TEACHER),
            roles=roles,
            section_id=(section or world.section).pk,
            today=today,
        )


def _done(world, student, item):
    with school_scope(world.school):
        ItemProgress.objects.create(school=world.school, student=student, item=item, status="done")


CHANGES = {
    "an item done": lambda w, c: _done(w, c.students[2], c.items[0]),
    "a mastery estimate": lambda w, c: (
        MasteryState.objects.unscoped()
        .filter(student=c.students[1], competency=c.competencies[1])
        .get()
        .save()
    ),
    "a new mastery state": lambda w, c: make_state(
        w.school, c.students[2], c.competencies[0], MasteryStatus.PRACTICING, 0.2
    ),
    "a flag raised": lambda w, c: make_flag(w.school, c.students[2], kind="inactive"),
    "a flag resolved": lambda w, c: (
        Flag.objects.unscoped()
        .filter(pk=c.flag.pk)
        .update(status=FlagStatus.RESOLVED, updated_at=timezone.now())
    ),
    "a student leaving": lambda w, c: (
        Enrollment.objects.unscoped().filter(user=c.students[2], section=w.section).update(is_active=False)
    ),
    "a plan's dates": lambda w, c: (
        PlaylistAssignment.objects.unscoped()
        .filter(section=w.section)
        .update(target_date=TODAY + dt.timedelta(days=99))
    ),
    "an item's competencies": lambda w, c: c.items[0].competencies.add(c.competencies[2]),
    "a student renamed": lambda w, c: User.objects.filter(pk=c.students[1].pk).update(given_name="Zoey"),
    "a student's email": lambda w, c: User.objects.filter(pk=c.students[1].pk).update(email="zoey@a.test"),
    "a competency retitled": lambda w, c: (
        Competency.objects.unscoped().filter(pk=c.competencies[1].pk).update(title="Unit rates")
    ),
    "a competency's code": lambda w, c: (
        Competency.objects.unscoped().filter(pk=c.competencies[1].pk).update(code="RP.9")
    ),
    "an item retitled": lambda w, c: (
        ContentItem.objects.unscoped().filter(pk=c.items[1].pk).update(title="Ratio tables")
    ),
    "the section renamed": lambda w, c: (
        Section.objects.unscoped().filter(pk=w.section.pk).update(name="Math 7B")
    ),
    "the term renamed": lambda w, c: (
        Term.objects.unscoped().filter(pk=w.section.term_id).update(name="Spring")
    ),
    "items put on a choice board": lambda w, c: _on_a_choice_board(w, c, choose=2),
    # The pace cell explains itself naming the playlist, judged with the school's own tolerance.
    "a playlist retitled": lambda w, c: (
        Playlist.objects.unscoped()
        .filter(pk=PlaylistItem.objects.unscoped().get(item=c.items[0]).playlist_id)
        .update(title="Ratios, again")
    ),
    "the school's pace tolerance": lambda w, c: SchoolThresholds.objects.unscoped().create(
        school=w.school, pace_margin=0.3
    ),
}


def _on_a_choice_board(world, classroom, *, choose):
    playlist = PlaylistItem.objects.unscoped().get(item=classroom.items[0]).playlist
    board = ChoiceBoardFactory(playlist=playlist, choose=choose)
    PlaylistItem.objects.unscoped().filter(item__in=classroom.items[:2]).update(choice_board=board)
    return board


def test_the_stamp_moves_when_a_choice_board_asks_for_another_number_of_items(school_a, classroom):
    board = _on_a_choice_board(school_a, classroom, choose=1)
    before = stamp_of(school_a)
    ChoiceBoard.objects.unscoped().filter(pk=board.pk).update(choose=2)
    assert stamp_of(school_a) != before


@pytest.mark.parametrize("change", list(CHANGES))
def test_the_stamp_moves_with_what_the_page_shows(school_a, classroom, change):
    before = stamp_of(school_a)
    assert stamp_of(school_a) == before  # nothing changed: the same stamp
    CHANGES[change](school_a, classroom)
    assert stamp_of(school_a) != before


def test_the_stamp_moves_with_the_day_pace_does(school_a, classroom):
    assert stamp_of(school_a) != stamp_of(school_a, today=TODAY + dt.timedelta(days=1))


def test_another_schools_changes_do_not_move_the_stamp(school_a, school_b, classroom):
    before = stamp_of(school_a)
    with school_scope(school_b.school):
        student_b = school_b.user(Role.STUDENT)
    make_flag(school_b.school, student_b, kind="inactive")
    assert stamp_of(school_a) == before


def test_no_stamp_for_a_section_the_caller_may_not_see(school_a, classroom):
    outsider = UserFactory()
    MembershipFactory(school=school_a.school, user=outsider, role=Role.TEACHER)
    assert stamp_of(school_a, user=outsider) is None  # a teacher, not of this section
    assert stamp_of(school_a, roles=frozenset({Role.STUDENT})) is None
    assert stamp_of(school_a, user=outsider, roles=frozenset({Role.SCHOOL_ADMIN})) is not None


def test_no_stamp_for_a_section_without_students(school_a):
    empty = SectionFactory(school=school_a.school, term=school_a.term, name="Empty")
    EnrollmentFactory(school=school_a.school, section=empty, user=school_a.user(Role.TEACHER), role="teacher")
    assert stamp_of(school_a, section=empty) is None


def _htmx_token(body: str) -> str:
    """The caller's CSRF token as the page gives it to htmx (base.html's hx-headers, outside the cache)."""
    return re.search(r'"X-CSRFToken": "([^"]+)"', body).group(1)


def test_a_second_teacher_gets_the_cached_page_and_its_buttons_work_for_them(
    school_a, classroom, django_assert_max_num_queries
):
    zoe_needs_attention(school_a, classroom)
    second_teacher = UserFactory()
    MembershipFactory(school=school_a.school, user=second_teacher, role=Role.TEACHER)
    EnrollmentFactory(school=school_a.school, section=school_a.section, user=second_teacher, role="teacher")
    page = url("section", school_a, section_id=school_a.section.pk)

    first = Client(enforce_csrf_checks=True)
    first.force_login(school_a.user(Role.TEACHER))
    assert first.get(page).status_code == 200  # builds and caches the page

    second = Client(enforce_csrf_checks=True)
    second.force_login(second_teacher)
    second.get(page)  # the session's first request sets its CSRF cookie
    with django_assert_max_num_queries(7):  # no grid built: session, user, school, roles, stamp
        body = second.get(page).content.decode()
    assert (
        "csrf-" not in body
    )  # no placeholder left: the cached body holds no token (the shell's own forms do)
    assert body.count(f'id="attention-{classroom.flag.student_id}"') == 1
    acknowledge = url("flag_acknowledge", school_a, flag_id=classroom.flag.pk)
    in_row = {"in": "attention", "note": ""}
    forged = second.post(acknowledge, in_row, HTTP_HX_REQUEST="true", HTTP_X_CSRFTOKEN="x" * 64)
    assert forged.status_code == 403
    response = second.post(acknowledge, in_row, HTTP_HX_REQUEST="true", HTTP_X_CSRFTOKEN=_htmx_token(body))
    assert response.status_code == 200 and response["HX-Trigger"] == "dashboardChanged"
    row = response.content.decode()
    assert row.startswith('<p class="attention-done"') and "Acknowledged" in row
    classroom.flag.refresh_from_db()
    assert classroom.flag.status == FlagStatus.ACKNOWLEDGED and classroom.flag.handled_by == second_teacher


def test_the_page_renders_no_flag_card_and_the_cards_come_on_demand_returning_to_the_section(
    client, school_a, classroom
):
    page = url("section", school_a, section_id=school_a.section.pk)
    client.force_login(school_a.user(Role.TEACHER))
    first = client.get(page, {"sort": "name"})
    second = client.get(page, {"sort": "pace", "pace": "behind"})
    rendered = [t.name for t in first.templates + second.templates]
    assert "dashboard/_flag.html" not in rendered
    assert "3 failed checks in a row" not in first.content.decode() + second.content.decode()
    cards = client.get(url("section_flags", school_a, section_id=school_a.section.pk), HTTP_HX_REQUEST="true")
    text = cards.content.decode()
    assert "3 failed checks in a row" in text and f'name="next" value="{page}"' in text
    assert "<html" not in text  # a partial for htmx; without htmx, a page of its own


def test_a_teacher_of_another_section_gets_404_even_once_the_page_is_cached(client, school_a, classroom):
    page = url("section", school_a, section_id=school_a.section.pk)
    client.force_login(school_a.user(Role.TEACHER))
    assert client.get(page).status_code == 200
    other = UserFactory()
    MembershipFactory(school=school_a.school, user=other, role=Role.TEACHER)
    client.force_login(other)
    assert client.get(page).status_code == 404
    assert client.get(url("section_grid", school_a, section_id=school_a.section.pk)).status_code == 404


def test_the_page_after_a_change_is_rebuilt_not_served_stale(client, school_a, classroom):
    page = url("section", school_a, section_id=school_a.section.pk)
    client.force_login(school_a.user(Role.TEACHER))
    row = f'id="attention-{classroom.students[2].pk}"'
    assert row not in client.get(page).content.decode()
    make_attention_entry(
        school_a.school, classroom.students[2], score=0.8, summary="Absent most days",
        reasons=["Absent 6 of the last 8 school days."], action="Call home.",
    )  # fmt: skip
    assert row in client.get(page).content.decode()


def test_each_sort_and_filter_is_its_own_cached_page(
    client, school_a, classroom, django_assert_max_num_queries
):
    page = url("section", school_a, section_id=school_a.section.pk)
    client.force_login(school_a.user(Role.TEACHER))
    everyone = client.get(page).content.decode()
    zoe_only = client.get(page + "?name=zoe").content.decode()
    assert f'id="student-{classroom.students[2].pk}"' in everyone
    assert f'id="student-{classroom.students[2].pk}"' not in zoe_only
    # The same filters in another order are the same page.
    a = client.get(page + "?sort=name&name=zoe").content.decode()
    with django_assert_max_num_queries(7):  # served from the cache: no grid built
        b = client.get(page + "?name=zoe&sort=name").content.decode()
    any_token = re.compile(r"[A-Za-z0-9]{64}")
    assert any_token.sub("", a) == any_token.sub("", b)


def test_a_section_with_students_but_no_playlist_has_a_stamp_and_a_page(client, school_a):
    student = school_a.user(Role.STUDENT)
    bare = SectionFactory(school=school_a.school, term=school_a.term, name="No plans yet")
    EnrollmentFactory(school=school_a.school, section=bare, user=school_a.user(Role.TEACHER), role="teacher")
    EnrollmentFactory(school=school_a.school, section=bare, user=student, role="student")
    assert stamp_of(school_a, section=bare) is not None
    client.force_login(school_a.user(Role.TEACHER))
    response = client.get(url("section", school_a, section_id=bare.pk))
    assert response.status_code == 200 and f'id="student-{student.pk}"' in response.content.decode()


@pytest.mark.parametrize("cut", [0, 1, 5551, 65520, 65521, 200_000])
def test_adler32_of_pieces_combines_like_the_whole(cut):
    data = bytes(range(256)) * 1000
    first, second = data[:cut], data[cut:]
    combined = adler32_combine(zlib.adler32(first), zlib.adler32(second), len(second))
    assert combined == zlib.adler32(data)


def test_browsers_get_the_spliced_deflate_page_the_same_as_plain_text(client, school_a, classroom):
    zoe_needs_attention(school_a, classroom)
    page = url("section", school_a, section_id=school_a.section.pk)
    client.force_login(school_a.user(Role.TEACHER))
    plain = client.get(page)
    spliced = client.get(page, HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert spliced["Content-Encoding"] == "deflate" and "Accept-Encoding" in spliced["Vary"]
    text = zlib.decompress(spliced.content).decode()  # a valid zlib stream: checksum verified
    any_token = re.compile(r"[A-Za-z0-9]{64}")
    assert any_token.sub("", text) == any_token.sub("", plain.content.decode())
    assert f'id="attention-{classroom.flag.student_id}"' in text and "csrf-" not in text
    gzip_only = client.get(page, HTTP_ACCEPT_ENCODING="gzip")
    assert gzip_only["Content-Encoding"] == "gzip"
    assert any_token.sub("", gzip.decompress(gzip_only.content).decode()) == any_token.sub("", text)
    grid = client.get(
        url("section_grid", school_a, section_id=school_a.section.pk), HTTP_ACCEPT_ENCODING="deflate"
    )
    polled = zlib.decompress(grid.content).decode()  # "Needs attention" (out of band), then the grid
    assert polled.lstrip().startswith('<section class="card attention" id="attention"')
    assert '\n<div id="grid"' in polled
