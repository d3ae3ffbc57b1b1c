import csv
import io
import re

import pytest
from django.urls import reverse

from engine.models import Flag
from mastery.models import MasteryStatus
from plp.tenancy.context import school_scope
from schools.roles import DISTRICT_ADMIN, Role
from tests.dashboard.conftest import make_attention_entry, make_flag, make_state, zoe_needs_attention


def url(name, world, **kwargs):
    return reverse(f"dashboard:{name}", kwargs={"school_slug": world.school.slug, **kwargs})


def test_teacher_sees_heatmap_pace_flags_ready_list_and_groups(client, school_a, classroom):
    zoe_needs_attention(school_a, classroom)
    client.force_login(school_a.user(Role.TEACHER))
    response = client.get(url("section", school_a, section_id=school_a.section.pk))
    assert response.status_code == 200
    body = response.content.decode()
    for comp in classroom.competencies:
        assert comp.code in body
    row = body.split(f'id="student-{classroom.students[0].pk}"')[1].split("</tr>")[0]
    # One short cell each: the state as a class (the stylesheet draws its symbol and names it), the
    # estimate as visible text, in column order; no per-cell tooltip text.
    assert "<td class=sm>97<td class=sr>85<td>" in row
    zoe = body.split(f'id="student-{classroom.students[1].pk}"')[1].split("</tr>")[0]
    assert "<td class=sp>30<" in zoe
    assert "Acknowledge" in body and "Resolve" in body  # in place, on the "Needs attention" row
    assert "3 failed checks in a row" not in body  # the flag's card opens on demand
    ready = body.split('id="ready-heading"')[1].split("</section>")[0]
    assert str(classroom.students[0]) in ready and "RP.2" in ready
    groups = body.split('id="groups-heading"')[1].split("</section>")[0]
    assert "RP.2" in groups and "Zoe" in groups and "Adam" in groups and "Ratio item 2" in groups
    assert "On track" in body or "Behind" in body or "Ahead" in body
    assert "<svg" in body and "Competencies mastered" in body


def test_teacher_opening_another_teachers_section_by_id_gets_404(client, school_a):
    client.force_login(school_a.user(Role.TEACHER))
    for name in ("section", "section_grid", "section_csv", "section_flags"):
        assert client.get(url(name, school_a, section_id=school_a.other_section.pk)).status_code == 404


def test_section_of_another_school_is_404_even_for_admins(client, school_a, school_b):
    client.force_login(school_a.user(Role.SCHOOL_ADMIN))
    assert client.get(url("section", school_a, section_id=school_b.section.pk)).status_code == 404


def test_school_admin_and_district_admin_open_any_section(client, school_a):
    for role in (Role.SCHOOL_ADMIN, DISTRICT_ADMIN):
        client.force_login(school_a.user(role))
        assert client.get(url("section", school_a, section_id=school_a.other_section.pk)).status_code == 200


def test_students_and_mentors_may_not_open_dashboards(client, school_a):
    for role in (Role.STUDENT, Role.MENTOR):
        client.force_login(school_a.user(role))
        assert client.get(url("section", school_a, section_id=school_a.section.pk)).status_code == 404
        assert client.get(url("section_flags", school_a, section_id=school_a.section.pk)).status_code == 404
        assert client.get(url("index", school_a)).status_code == 403


@pytest.mark.parametrize(
    "query",
    [
        "sort=bogus",
        "pace=zzz",
        "competency=abc",
        "competency=999999",
        "flagged=maybe",
        "name=%00x",
        "page=-1",
    ],
)
def test_bad_filter_values_fall_back_to_the_default(client, school_a, classroom, query):
    client.force_login(school_a.user(Role.TEACHER))
    response = client.get(url("section", school_a, section_id=school_a.section.pk) + "?" + query)
    assert response.status_code == (400 if "%00" in query else 200)  # NUL bytes: refused, never a 500


def _row_order(body, students):
    return sorted(students, key=lambda s: body.index(f'id="student-{s.pk}"'))


def test_sort_and_filter_by_flag_competency_and_name(client, school_a, classroom):
    client.force_login(school_a.user(Role.TEACHER))
    base = url("section_grid", school_a, section_id=school_a.section.pk)
    body = client.get(base + "?flagged=on").content.decode()
    assert f'id="student-{classroom.students[1].pk}"' in body
    assert f'id="student-{classroom.students[0].pk}"' not in body
    comp = classroom.competencies[0]
    body = client.get(base + f"?competency={comp.pk}").content.decode()
    assert f'id="student-{classroom.students[0].pk}"' not in body  # mastered RP.1
    body = client.get(base + f"?sort=competency&competency={classroom.competencies[1].pk}").content.decode()
    zoe, adam = classroom.students[1], classroom.students[2]
    assert _row_order(body, [zoe, adam]) == [adam, zoe]  # 0.25 before 0.3
    body = client.get(base + "?name=zoe").content.decode()
    assert f'id="student-{zoe.pk}"' in body and f'id="student-{adam.pk}"' not in body


def test_polling_answers_204_while_nothing_changed_and_the_grid_once_it_did(client, school_a, classroom):
    client.force_login(school_a.user(Role.TEACHER))
    grid = url("section_grid", school_a, section_id=school_a.section.pk)
    first = client.get(grid, HTTP_HX_REQUEST="true")
    assert first.status_code == 200
    digest = first.content.decode().split('data-digest="')[1].split('"')[0]
    unchanged = client.get(grid + f"?digest={digest}", HTTP_HX_REQUEST="true")
    assert unchanged.status_code == 204 and unchanged.content == b""
    make_flag(school_a.school, classroom.students[2], kind="inactive", summary="Inactive for 5 days")
    changed = client.get(grid + f"?digest={digest}", HTTP_HX_REQUEST="true")
    assert (
        changed.status_code == 200 and f'id="student-{classroom.students[2].pk}"' in changed.content.decode()
    )
    assert "<html" not in changed.content.decode()  # the partial only
    make_state(
        school_a.school, classroom.students[2], classroom.competencies[2], MasteryStatus.PRACTICING, 0.4
    )
    new_digest = changed.content.decode().split('data-digest="')[1].split('"')[0]
    assert client.get(grid + f"?digest={new_digest}").status_code == 200


def test_acknowledge_then_resolve_a_flag_in_place(client, school_a, classroom):
    client.force_login(school_a.user(Role.TEACHER))
    flag = classroom.flag
    response = client.post(
        url("flag_acknowledge", school_a, flag_id=flag.pk), {"note": "On it"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200 and response["HX-Trigger"] == "dashboardChanged"
    assert "Acknowledged" in response.content.decode() and "<html" not in response.content.decode()
    response = client.post(
        url("flag_resolve", school_a, flag_id=flag.pk), {"note": ""}, HTTP_HX_REQUEST="true"
    )
    assert "Say how it was resolved" in response.content.decode() and "HX-Trigger" not in response
    response = client.post(
        url("flag_resolve", school_a, flag_id=flag.pk), {"note": "Talked after class"}, HTTP_HX_REQUEST="true"
    )
    assert "Resolved" in response.content.decode()
    with school_scope(school_a.school):
        flag.refresh_from_db()
    assert flag.status == "resolved" and flag.note == "Talked after class"
    assert flag.handled_by == school_a.user(Role.TEACHER)
    body = client.get(url("section", school_a, section_id=school_a.section.pk)).content.decode()
    assert "3 failed checks in a row" not in body


def test_flag_forms_work_without_javascript(client, school_a, classroom):
    client.force_login(school_a.user(Role.TEACHER))
    back = url("section", school_a, section_id=school_a.section.pk)
    response = client.post(url("flag_acknowledge", school_a, flag_id=classroom.flag.pk), {"next": back})
    assert response.status_code == 302 and response["Location"] == back
    response = client.post(
        url("flag_resolve", school_a, flag_id=classroom.flag.pk), {"note": "", "next": "https://evil.test/"}
    )
    assert response.status_code == 400
    response = client.post(
        url("flag_resolve", school_a, flag_id=classroom.flag.pk), {"note": "ok", "next": "https://evil.test/"}
    )
    assert response.status_code == 302 and response["Location"] == url("index", school_a)


def test_teacher_cannot_handle_a_flag_of_another_teachers_student(client, school_a):
    other_student = school_a.user(Role.MENTOR)  # not in the teacher's section
    flag = make_flag(school_a.school, other_student)
    client.force_login(school_a.user(Role.TEACHER))
    assert client.post(url("flag_acknowledge", school_a, flag_id=flag.pk)).status_code == 404
    with school_scope(school_a.school):
        assert Flag.objects.get(pk=flag.pk).status == "open"


def test_csv_export_is_streamed_and_defuses_formulas(client, school_a, classroom):
    from tests.factories import EnrollmentFactory, MembershipFactory, UserFactory

    evil = UserFactory(given_name="=HYPERLINK(1)", family_name="", email="evil@alpha.example.test")
    MembershipFactory(school=school_a.school, user=evil, role=Role.STUDENT)
    EnrollmentFactory(school=school_a.school, section=school_a.section, user=evil, role="student")
    client.force_login(school_a.user(Role.TEACHER))
    response = client.get(url("section_csv", school_a, section_id=school_a.section.pk))
    assert response.status_code == 200 and response.streaming
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][:3] == ["student", "email", "pace"] and "RP.1" in rows[0]
    assert [r[0] for r in rows if "HYPERLINK" in r[0]] == ["'=HYPERLINK(1)"]
    assert len(rows) == 1 + 4


def test_index_lists_only_the_teachers_sections(client, school_a):
    client.force_login(school_a.user(Role.TEACHER))
    body = client.get(url("index", school_a)).content.decode()
    assert school_a.section.name in body and school_a.other_section.name not in body


HUGE = "9" * 25


@pytest.mark.parametrize(
    "path",
    [
        f"sections/{HUGE}/",
        f"sections/{HUGE}/grid/?digest=abc",
        f"sections/{HUGE}/export.csv",
        f"students/{HUGE}/",
        "sections/0/grid/?digest=" + "%00",
        f"flags/{HUGE}/resolve/",
    ],
)
def test_bad_ids_are_404_never_500(client, school_a, path):
    client.force_login(school_a.user(Role.TEACHER))
    response = client.get(f"/s/{school_a.school.slug}/dashboard/{path}")
    assert response.status_code in (400, 404)


def _severity(flag, severity):
    with school_scope(flag.school):
        Flag.objects.filter(pk=flag.pk).update(severity=severity)


def test_a_section_dashboard_lists_the_flags_about_it_and_about_the_student_not_another_sections(
    client, school_a, classroom
):
    from tests.factories import CompetencyFactory

    school, zoe = school_a.school, classroom.students[1]
    elsewhere = CompetencyFactory(framework__school=school, code="SCI.9")
    shown = [
        make_flag(school, zoe, kind="inactive", summary="No activity for 4 school days"),
        make_flag(school, zoe, kind="behind_pace", subject=f"section:{school_a.section.pk}", summary="Here"),
    ]
    other = school_a.other_section.pk
    hidden = [
        make_flag(school, zoe, kind="wheel_spinning", subject=f"competency:{elsewhere.pk}", summary="Spin"),
        make_flag(school, zoe, kind="behind_pace", subject=f"section:{other}", summary="There"),
        make_flag(school, zoe, kind="behind_pace", subject="playlist:999999", summary="Someone else's"),
    ]
    client.force_login(school_a.user(Role.TEACHER))
    body = client.get(url("section", school_a, section_id=school_a.section.pk)).content.decode()
    # The flags' cards open on demand, from the dashboard's own flags.
    cards = client.get(url("section_flags", school_a, section_id=school_a.section.pk)).content.decode()
    for flag in [classroom.flag, *shown]:
        assert f'id="flag-{flag.pk}"' in cards
    for flag in hidden:
        assert f'id="flag-{flag.pk}"' not in cards + body and flag.summary not in cards + body
    zoe_row = body.split(f'id="student-{zoe.pk}"')[1].split("</tr>")[0]
    assert "⚑ 3" in zoe_row


def _entry(school, student, *, score, summary, reasons, action):
    return make_attention_entry(school, student, score=score, summary=summary, reasons=reasons, action=action)


def test_needs_attention_lists_the_detectors_entries_by_score_with_the_rule_flags_as_evidence(
    client, school_a, classroom
):
    # Changed with issue 15: the list is the detector's entries, not every student with an open rule flag.
    school = school_a.school
    first, zoe, adam = classroom.students  # Zoe has the classroom's high failed-checks flag
    _severity(make_flag(school, adam, kind="inactive", summary="No activity"), "medium")
    _severity(make_flag(school, adam, kind="overdue_goals", summary="Goals"), "low")
    _severity(make_flag(school, first, kind="overdue_goals", summary="Goals"), "low")
    for competency in (classroom.competencies[0], classroom.competencies[2]):  # RP.1 and RP.3
        spinning = make_flag(school, zoe, kind="wheel_spinning", subject=f"competency:{competency.pk}")
        with school_scope(school):
            Flag.objects.filter(pk=spinning.pk).update(
                severity="medium", evidence={"competency": competency.code}
            )
    handled = make_flag(school, first, kind="inactive", summary="Seen to")
    with school_scope(school):
        Flag.objects.filter(pk=handled.pk).update(status="acknowledged")
    _entry(
        school, adam, score=0.97, summary="Disengaged: fewer school days worked, less done",
        reasons=["Worked on 1 of the last 5 school days."], action="Talk with the student today.",
    )  # fmt: skip
    _entry(
        school, zoe, score=0.72, summary="Blocked on RP.1", reasons=["14 answers on RP.1 (3 right)."],
        action="Work through RP.1 with the student.",
    )  # fmt: skip
    client.force_login(school_a.user(Role.TEACHER))
    body = client.get(url("section", school_a, section_id=school_a.section.pk)).content.decode()
    attention = body.split('id="attention-heading"')[1].split("</section>")[0]
    assert body.index('id="attention-heading"') < body.index('class="grid-filters"') < body.index('"heatmap"')
    assert body.count('id="attention-heading"') == 1
    listed, watched = attention.split("</ol>", 1)  # the watched students have a list of their own
    entries = listed.split("<li")[1:]
    assert [str(s) in e for e, s in zip(entries, (adam, zoe), strict=True)] == [True] * 2  # by score
    assert "Disengaged: fewer school days worked, less done · Inactive · Overdue weekly goals" in entries[0]
    assert "(2 rule flags)" in entries[0] and "Worked on 1 of the last 5 school days." in entries[0]
    assert "Talk with the student today." in entries[0] and f"/students/{adam.pk}/" in entries[0]
    assert "Blocked on RP.1 · Repeated failed checks · Wheel-spinning (RP.1, RP.3)" in entries[1]
    assert "Work through RP.1 with the student." in entries[1] and "(3 rule flags)" in entries[1]
    assert "2 of 3 students" in attention
    # Only rule flags, no entry: under Watch, not in the list.
    assert str(first) not in listed and "Watch" in watched and str(first) in watched
    assert "Overdue weekly goals" in watched.split(str(first))[1]
    # A polled grid brings the list along, swapped in place above the filters (out of band).
    grid = client.get(url("section_grid", school_a, section_id=school_a.section.pk), HTTP_HX_REQUEST="true")
    polled = grid.content.decode()
    assert 'id="attention" aria-labelledby="attention-heading" hx-swap-oob="true"' in polled
    assert polled.index('hx-swap-oob="true"') < polled.index('id="grid"')


def test_a_calm_class_says_nobody_needs_attention(client, school_a, classroom):
    with school_scope(school_a.school):
        Flag.objects.all().delete()
    client.force_login(school_a.user(Role.TEACHER))
    body = client.get(url("section", school_a, section_id=school_a.section.pk)).content.decode()
    assert "Nobody needs you urgently" in body.split('id="attention-heading"')[1].split("</section>")[0]


def test_the_entrys_flag_card_reads_its_reasons_as_words_not_a_list(client, school_a, classroom):
    school = school_a.school
    zoe = classroom.students[1]
    flag = _entry(
        school, zoe, score=0.8, summary="Learning slowly across competencies",
        reasons=["Across 3 competencies, answers stay wrong longer.", "Failed the RP.1 mastery check."],
        action="Sit with the student this week.",
    )  # fmt: skip
    client.force_login(school_a.user(Role.TEACHER))
    details = url("section_flags", school_a, section_id=school_a.section.pk) + f"?student={zoe.pk}"
    body = client.get(details, HTTP_HX_REQUEST="true").content.decode()  # the cards open on demand
    card = body.split(f'id="flag-{flag.pk}"')[1].split("</li>")[0]
    assert "Across 3 competencies, answers stay wrong longer. · Failed the RP.1 mastery check." in card
    assert "[&#x27;" not in card and "['" not in card


def test_a_students_flag_details_open_on_demand_with_only_their_flags(client, school_a, classroom):
    first, _zoe, _adam = classroom.students  # Zoe has the classroom's failed-checks flag
    mine = make_flag(school_a.school, first, kind="inactive", summary="No activity for 4 school days")
    make_attention_entry(
        school_a.school, first, score=0.8, summary="Absent most days",
        reasons=["Absent 6 of the last 8 school days."], action="Call home.",
    )  # fmt: skip
    client.force_login(school_a.user(Role.TEACHER))
    body = client.get(url("section", school_a, section_id=school_a.section.pk)).content.decode()
    details = url("section_flags", school_a, section_id=school_a.section.pk) + f"?student={first.pk}"
    assert f'hx-get="{details}"' in body and "No activity for 4 school days" not in body
    cards = client.get(details, HTTP_HX_REQUEST="true").content.decode()
    assert f'id="flag-{mine.pk}"' in cards and f'id="flag-{classroom.flag.pk}"' not in cards
    # Without htmx, the link in the details is a page of its own; a bad id is a 404, never a 500.
    assert "<html" in client.get(details).content.decode()
    assert client.get(details.replace(str(first.pk), "x")).status_code == 404


def test_a_needs_attention_row_resolves_in_place(client, school_a, classroom):
    entry = zoe_needs_attention(school_a, classroom)
    client.force_login(school_a.user(Role.TEACHER))
    body = client.get(url("section", school_a, section_id=school_a.section.pk)).content.decode()
    resolve = url("flag_resolve", school_a, flag_id=entry.pk)
    row = body.split(f'id="attention-{classroom.flag.student_id}"')[1].split("</li>")[0]
    assert f'hx-post="{resolve}"' in row
    # Resolving needs a note: the error comes back in the row's form, with what was typed kept.
    refused = client.post(resolve, {"in": "attention", "note": "  "}, HTTP_HX_REQUEST="true")
    assert (
        "Say how it was resolved" in refused.content.decode()
        and 'aria-invalid="true"' in refused.content.decode()
    )
    response = client.post(resolve, {"in": "attention", "note": "Talked it through"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and response["HX-Trigger"] == "dashboardChanged"
    assert "Resolved" in response.content.decode() and "<form" not in response.content.decode()
    after = client.get(url("section", school_a, section_id=school_a.section.pk)).content.decode()
    row = after.split(f'id="attention-{classroom.flag.student_id}"')[1].split("</li>")[0]
    assert f'hx-post="{resolve}"' not in row  # the resolved entry left; her rule flag keeps her under Watch


def test_a_needs_attention_line_acts_on_its_entry_and_leaves_each_rule_flag_to_its_details(
    client, school_a, classroom
):
    entry = zoe_needs_attention(school_a, classroom)
    client.force_login(school_a.user(Role.TEACHER))
    page = url("section", school_a, section_id=school_a.section.pk)
    zoe = classroom.students[1]
    line = re.search(rf'<li [^>]*id="attention-{zoe.pk}">.*?</li>', client.get(page).content.decode(), re.S)
    # One Note / Acknowledge / Resolve on the line: the entry's. Her failed-checks rule flag is named among
    # the reasons and has its own card, with its own actions, under Details.
    assert line.group(0).count('class="attention-actions"') == 1
    assert f'id="attention-note-{entry.pk}"' in line.group(0)
    assert f'id="attention-note-{classroom.flag.pk}"' not in line.group(0)
    assert "Repeated failed checks" in line.group(0)
    cards = client.get(url("section_flags", school_a, section_id=school_a.section.pk), {"student": zoe.pk})
    assert f'id="note-{classroom.flag.pk}"' in cards.content.decode()


def test_a_watched_line_acts_on_each_rule_flag_named_by_its_kind(client, school_a, classroom):
    client.force_login(school_a.user(Role.TEACHER))
    body = client.get(url("section", school_a, section_id=school_a.section.pk)).content.decode()
    line = re.search(rf'<li [^>]*id="attention-{classroom.flag.student_id}">.*?</li>', body, re.S).group(0)
    assert line.count('class="attention-actions"') == 1
    label = re.search(rf'<label for="attention-note-{classroom.flag.pk}">(.*?)</label>', line, re.S).group(1)
    # The kind is visible (a sighted teacher sees which flag the note is on); the name is for screen readers.
    assert re.sub(r'<span class="visually-hidden">.*?</span>', "", label).count("Repeated failed checks") == 1
