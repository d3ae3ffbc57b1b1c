"""The section page is cached by the row: each kind of write that changes what a student's row shows
rebuilds that row (and their line above the grid) and no other; a change every row shows rebuilds them all;
the poll answers 204 while nothing changed and otherwise with the changed rows only; the cached page goes
only to callers allowed to see the section, whose CSRF token travels in the htmx header, compressed once."""

import datetime as dt
import gzip
import re
from dataclasses import dataclass

import pytest
from django.test import Client

from dashboard.rendering import RENDERS
from engine.models import Flag, FlagStatus
from engine.services import flag_acknowledge, flag_resolve, students_recompute
from mastery import services as mastery
from playlists.models import Competency, ContentItem, PlaylistAssignment
from playlists.services import item_complete
from plp.tenancy.context import school_scope
from schools.models import Enrollment, Membership, SchoolSettings, Section
from schools.roles import Role
from tests.dashboard.conftest import make_attention_entry, make_flag, zoe_needs_attention
from tests.dashboard.test_views import url
from tests.engine.conftest import build_learning_world
from tests.factories import (
    EnrollmentFactory,
    MasteryPolicyFactory,
    MembershipFactory,
    SectionFactory,
    UserFactory,
)

WRONG, RIGHT = 0, 1


@dataclass
class Class:
    world: object  # the learning world: competencies, items, questions
    students: list  # the school's student, Zoe, Adam
    zoe_flag: Flag


@pytest.fixture
def klass(school_a) -> Class:
    world = build_learning_world(school_a)
    students = [world.student]
    for name in ("Zoe", "Adam"):
        user = UserFactory(given_name=name, family_name="Pupil")
        MembershipFactory(school=school_a.school, user=user, role=Role.STUDENT)
        EnrollmentFactory(school=school_a.school, section=school_a.section, user=user, role="student")
        students.append(user)
    flag = make_flag(school_a.school, students[1], kind="inactive", summary="No activity this week")
    return Class(world, students, flag)


def _row(body: str, student) -> str:
    """A student's grid row and their line above the grid (if any)."""
    row = re.search(rf'<tr id="student-{student.pk}">.*?</tr>', body).group(0)
    line = re.search(rf'<li [^>]*id="attention-{student.pk}">.*?</li>', body, re.S)
    return row + (line.group(0) if line else "")


def _line(body: str, student) -> str:
    return re.search(rf'<li [^>]*id="attention-{student.pk}">.*?</li>', body, re.S).group(0)


def _check_passed(klass, student):
    competency = klass.world.competencies[0]
    MasteryPolicyFactory(competency=competency, check_size=3, readiness_rule="teacher_unlock")
    teacher = UserFactory()
    mastery.check_unlock(student=student, competency=competency, teacher=teacher)
    attempt = mastery.check_request(student=student, competency=competency)
    for item in attempt.form:
        mastery.check_response_save(attempt=attempt, question_id=item["id"], response=RIGHT)
    mastery.check_submit(attempt=attempt)


def _wrong_answers_then(klass, student):
    """Ten wrong answers (their own learning events), then, measured, the recompute that flags them."""
    question = klass.world.questions[klass.world.competencies[0].pk]
    for _ in range(10):
        mastery.practice_answer_submit(student=student, question=question, response=WRONG)
    return lambda: students_recompute(student_ids=[student.pk])


# Each kind of write, done to Zoe through the service that does it. Some need a setup before the page
# is cached: a callable returned by ``prepare`` is the write measured.
WRITES = {
    "a practice answer": lambda k, z: mastery.practice_answer_submit(
        student=z, question=k.world.questions[k.world.competencies[1].pk], response=RIGHT
    ),
    "a check result": lambda k, z: _check_passed(k, z),
    "an item done": lambda k, z: item_complete(student=z, item=k.world.items[0]),
    "a flag acknowledged": lambda k, z: flag_acknowledge(flag=k.zoe_flag, by=UserFactory(), note="On it"),
    "a flag resolved": lambda k, z: flag_resolve(flag=k.zoe_flag, by=UserFactory(), note="Talked"),
    "a flag raised": lambda k, z: make_flag(k.world.school, z, kind="overdue_goals", summary="Goals"),
    "a recompute that flags": "prepare",
}


@pytest.mark.parametrize("write", list(WRITES))
def test_a_write_rebuilds_that_students_row_only_and_the_poll_brings_only_that_row(
    client, school_a, klass, write
):
    zoe, others = klass.students[1], [klass.students[0], klass.students[2]]
    measured = WRITES[write]
    if measured == "prepare":
        with school_scope(school_a.school):
            measured_call = _wrong_answers_then(klass, zoe)
        measured = lambda k, z: measured_call()  # noqa: E731
    client.force_login(school_a.user(Role.TEACHER))
    page = url("section", school_a, section_id=school_a.section.pk)
    grid = url("section_grid", school_a, section_id=school_a.section.pk)
    before = client.get(page).content.decode()
    digest = re.search(r'data-digest="([0-9a-f]+)"', before).group(1)
    assert client.get(grid, {"digest": digest}).status_code == 204  # nothing changed yet
    renders = dict(RENDERS)
    with school_scope(school_a.school):
        measured(klass, zoe)
    polled = client.get(grid, {"digest": digest}).content.decode()
    assert RENDERS["rows"] - renders["rows"] == 1  # Zoe's row, nobody else's
    assert RENDERS["attention"] - renders["attention"] <= 1
    assert f'<template><tr hx-swap-oob=true id="student-{zoe.pk}">' in polled
    assert not any(f'id="student-{other.pk}"' in polled for other in others)
    assert 'id="grid-poll"' in polled and digest not in polled  # the poller, with the new digest
    after = client.get(page).content.decode()
    assert RENDERS["rows"] - renders["rows"] == 1  # the page is put together from the cached rows
    assert _row(after, zoe) != _row(before, zoe)
    assert all(_row(after, other) == _row(before, other) for other in others)


def _save(instance, **values):
    for name, value in values.items():
        setattr(instance, name, value)
    instance.save()


# Changes every row (or the page around them) shows, made with save() as the services make them.
SECTION_WIDE = {
    "the section renamed": (
        lambda k, s: _save(Section.objects.get(pk=s.section.pk), name="Math 7B"),
        "Math 7B",
    ),
    "a competency's code": (
        lambda k, s: _save(Competency.objects.get(pk=k.world.competencies[1].pk), code="RP.9"),
        ">RP.9<",
    ),
    "an item retitled": (
        lambda k, s: _save(ContentItem.objects.get(pk=k.world.items[0].pk), title="Ratio tables"),
        None,
    ),
    "an item's competencies": (lambda k, s: k.world.items[0].competencies.add(k.world.competencies[2]), None),
    "a plan's dates": (
        lambda k, s: _save(
            PlaylistAssignment.objects.get(section=s.section),
            target_date=PlaylistAssignment.objects.get(section=s.section).target_date + dt.timedelta(days=30),
        ),
        None,
    ),
    "the school's pace tolerance": (
        lambda k, s: SchoolSettings.objects.create(school=s.school, pace_margin=0.3),
        None,
    ),
}


@pytest.mark.parametrize("change", list(SECTION_WIDE))
def test_a_change_every_row_shows_rebuilds_every_row(client, school_a, klass, change):
    write, shows = SECTION_WIDE[change]
    client.force_login(school_a.user(Role.TEACHER))
    page = url("section", school_a, section_id=school_a.section.pk)
    before = client.get(page).content.decode()
    renders = RENDERS["rows"]
    with school_scope(school_a.school):
        write(klass, school_a)
    after = client.get(page).content.decode()
    assert RENDERS["rows"] - renders == 3
    assert after != before
    if shows:
        assert shows in after and shows not in before


def test_a_renamed_student_and_a_student_leaving_change_the_page(client, school_a, klass):
    zoe, adam = klass.students[1], klass.students[2]
    client.force_login(school_a.user(Role.TEACHER))
    page = url("section", school_a, section_id=school_a.section.pk)
    client.get(page)
    _save(zoe, given_name="Zoey")
    assert "Zoey Pupil" in client.get(page).content.decode()
    with school_scope(school_a.school):
        _save(Enrollment.objects.get(user=adam, section=school_a.section), is_active=False)
    assert f'id="student-{adam.pk}"' not in client.get(page).content.decode()


def test_an_unchanged_page_is_served_without_rendering_a_row(client, school_a, klass):
    client.force_login(school_a.user(Role.TEACHER))
    page = url("section", school_a, section_id=school_a.section.pk)
    first = client.get(page).content.decode()
    renders = dict(RENDERS)
    second = client.get(page).content.decode()
    assert renders == RENDERS
    any_token = re.compile(r"[A-Za-z0-9]{64}")
    assert any_token.sub("", first) == any_token.sub("", second)


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
    assert first.get(page).status_code == 200  # builds and caches the rows and the page

    second = Client(enforce_csrf_checks=True)
    second.force_login(second_teacher)
    second.get(page)  # the session's first request sets its CSRF cookie
    renders = dict(RENDERS)
    with django_assert_max_num_queries(7):  # session, user, school, roles, the section, its roster
        body = second.get(page).content.decode()
    assert renders == RENDERS
    assert "csrfmiddlewaretoken" not in body.split('id="attention"')[1]  # the rows hold no token
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
    # The page after it: the handled rule flag leaves Zoe's line (her entry stays), on the next load.
    zoe = classroom.students[1]
    assert _line(second.get(page).content.decode(), zoe) != _line(body, zoe)


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


def test_a_new_attention_entry_reorders_the_list_and_the_poll_swaps_it_whole(client, school_a, classroom):
    page = url("section", school_a, section_id=school_a.section.pk)
    grid = url("section_grid", school_a, section_id=school_a.section.pk)
    client.force_login(school_a.user(Role.TEACHER))
    body = client.get(page).content.decode()
    digest = re.search(r'data-digest="([0-9a-f]+)"', body).group(1)
    line = f'id="attention-{classroom.students[2].pk}"'
    assert line not in body
    make_attention_entry(
        school_a.school, classroom.students[2], score=0.8, summary="Absent most days",
        reasons=["Absent 6 of the last 8 school days."], action="Call home.",
    )  # fmt: skip
    polled = client.get(grid, {"digest": digest}).content.decode()
    assert 'id="attention" aria-labelledby="attention-heading" hx-swap-oob="true"' in polled
    assert line in polled and "Absent most days" in polled
    assert line in client.get(page).content.decode()


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


def test_a_section_with_students_but_no_playlist_has_a_page(client, school_a):
    student = school_a.user(Role.STUDENT)
    bare = SectionFactory(school=school_a.school, term=school_a.term, name="No plans yet")
    EnrollmentFactory(school=school_a.school, section=bare, user=school_a.user(Role.TEACHER), role="teacher")
    EnrollmentFactory(school=school_a.school, section=bare, user=student, role="student")
    client.force_login(school_a.user(Role.TEACHER))
    response = client.get(url("section", school_a, section_id=bare.pk))
    assert response.status_code == 200 and f'id="student-{student.pk}"' in response.content.decode()


def test_the_page_and_the_poll_are_compressed_once_with_gzip(client, school_a, classroom):
    zoe_needs_attention(school_a, classroom)
    page = url("section", school_a, section_id=school_a.section.pk)
    client.force_login(school_a.user(Role.TEACHER))
    plain = client.get(page)
    assert "Content-Encoding" not in plain
    packed = client.get(page, HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert packed["Content-Encoding"] == "gzip" and "Accept-Encoding" in packed["Vary"]
    text = gzip.decompress(packed.content).decode()
    any_token = re.compile(r"[A-Za-z0-9]{64}")
    assert any_token.sub("", text) == any_token.sub("", plain.content.decode())
    assert len(packed.content) < len(plain.content) / 3
    grid = client.get(
        url("section_grid", school_a, section_id=school_a.section.pk), HTTP_ACCEPT_ENCODING="gzip"
    )
    polled = gzip.decompress(grid.content).decode()  # "Needs attention" (out of band), then the grid
    assert polled.lstrip().startswith('<section class="card attention" id="attention"')
    assert '\n<div id="grid" hx-swap-oob="true">' in polled


def test_a_version_the_cache_dropped_rebuilds_that_row_never_serves_it_stale(client, school_a, klass):
    from django.core.cache import cache

    zoe = klass.students[1]
    client.force_login(school_a.user(Role.TEACHER))
    page = url("section", school_a, section_id=school_a.section.pk)
    before = client.get(page).content.decode()
    cache.delete(f"dash:v:student:{zoe.pk}")  # evicted: the next read gives her a fresh token
    with school_scope(school_a.school):  # a write with no bump (a raw update), to show the row is rebuilt
        Flag.objects.filter(pk=klass.zoe_flag.pk).update(severity="low")
    renders = RENDERS["rows"]
    after = client.get(page).content.decode()
    assert RENDERS["rows"] - renders == 1
    assert '<span class="badge">High</span>' in _row(before, zoe)
    assert '<span class="badge">Low</span>' in _row(after, zoe)


@pytest.mark.parametrize("how", ["deactivated", "deleted"])
def test_a_teacher_no_longer_teaching_the_section_gets_404_at_once_though_the_page_is_cached(
    client, school_a, klass, how
):
    """The section's authorization is cached per school version: every save and delete of an enrolment
    bumps it, so losing the section takes effect on the next request, page and poll alike."""
    teacher = school_a.user(Role.TEACHER)
    client.force_login(teacher)
    page = url("section", school_a, section_id=school_a.section.pk)
    poll = url("section_grid", school_a, section_id=school_a.section.pk)
    assert client.get(page).status_code == 200
    assert client.get(page).status_code == 200  # served from the cache
    with school_scope(school_a.school):
        enrollment = Enrollment.objects.get(user=teacher, section=school_a.section)
        if how == "deleted":
            enrollment.delete()
        else:
            _save(enrollment, is_active=False)
    assert client.get(page).status_code == 404
    assert client.get(poll).status_code == 404


def test_a_removed_membership_refuses_the_cached_page_and_the_poll_at_once(client, school_a, klass):
    teacher = school_a.user(Role.TEACHER)
    client.force_login(teacher)
    page = url("section", school_a, section_id=school_a.section.pk)
    poll = url("section_grid", school_a, section_id=school_a.section.pk)
    digest = re.search(r"digest=([0-9a-f]+)", client.get(page).content.decode()).group(1)
    assert client.get(poll, {"digest": digest}).status_code == 204
    with school_scope(school_a.school):
        for membership in Membership.objects.filter(user=teacher):
            _save(membership, is_active=False)
    assert client.get(page).status_code == 404
    assert client.get(poll, {"digest": digest}).status_code == 404


def test_a_rename_reorders_the_cached_roster_at_once(client, school_a, klass):
    """The roster's order is cached under the names' version, which a rename bumps."""
    zoe, adam = klass.students[1], klass.students[2]
    client.force_login(school_a.user(Role.TEACHER))
    page = url("section", school_a, section_id=school_a.section.pk)
    body = client.get(page).content.decode()
    assert body.index(f'id="student-{adam.pk}"') < body.index(f'id="student-{zoe.pk}"')
    _save(zoe, family_name="Aardvark")
    body = client.get(page).content.decode()
    assert body.index(f'id="student-{zoe.pk}"') < body.index(f'id="student-{adam.pk}"')


def test_an_unchanged_page_and_poll_cost_the_user_and_the_membership_check_only(
    client, school_a, klass, django_assert_max_num_queries
):
    """Served from the cache: the session's user and the tenancy middleware's membership check (both
    read on every request, so a sign-out everywhere or a removed membership takes effect at once)."""
    client.force_login(school_a.user(Role.TEACHER))
    page = url("section", school_a, section_id=school_a.section.pk)
    poll = url("section_grid", school_a, section_id=school_a.section.pk)
    digest = re.search(r"digest=([0-9a-f]+)", client.get(page).content.decode()).group(1)
    with django_assert_max_num_queries(2):
        assert client.get(page).status_code == 200
    with django_assert_max_num_queries(2):
        assert client.get(poll, {"digest": digest}).status_code == 204
