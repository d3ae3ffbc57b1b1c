"""The policy sandbox on real data: a what-if replays the school's stored answers in the task (its progress
stored), writes nothing live until a school admin applies it through ``thresholds_update``; teachers try
what-ifs on their own sections only; students, mentors and other schools see nothing; reads stay bulk."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from engine import sandbox, tasks
from engine.models import (
    DEFAULT_THRESHOLDS,
    Flag,
    SandboxChange,
    SandboxRun,
    SchoolThresholds,
    StudentEngineState,
    StudentRecommendation,
)
from engine.sandbox import sandbox_run_execute
from mastery.models import PracticeAnswer
from plp.tenancy.context import school_scope
from schools.models import Enrollment
from schools.roles import DISTRICT_ADMIN, Role
from tests.engine.test_attention_recompute import (  # noqa: F401 (a fixture)
    classroom_days,
    ordinary_day,
    work,
)
from tests.factories import (
    CheckInFactory,
    EnrollmentFactory,
    MembershipFactory,
    MentorAssignmentFactory,
    UserFactory,
)

LOWER = {"field": "attention_enter_score", "value": "0.12", "weeks": "4", "section": ""}


def _client(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def stuck_class(learning_a, classroom_days):  # noqa: F811
    """Six ordinary classmates and the world's student, who gets every answer on C2 wrong all month."""
    days, peers = classroom_days
    c2 = learning_a.competencies[1]
    for on in days:
        work(learning_a, learning_a.student, on, [(c2, False)] * 8)
    return days, peers


def _run(world, client, data=LOWER, user=None) -> SandboxRun:
    user = user or world.user(Role.SCHOOL_ADMIN)
    response = _client(client, user).post(reverse("engine:sandbox", args=["alpha"]), data)
    assert response.status_code == 302, (
        response.content.decode().split("<main")[-1].split("</form>")[0][-1500:]
    )
    run_id = int(response["Location"].rstrip("/").split("/")[-1])
    # The task itself, in-process (with a broker Celery is not eager): it enters the school's scope.
    tasks.sandbox_replay(school_id=world.school.pk, run_id=run_id)
    with school_scope(world.school):
        return SandboxRun.objects.get(pk=run_id)


def _live(world):
    with school_scope(world.school):
        return (
            list(SchoolThresholds.objects.values_list("pk", "attention_enter_score")),
            sorted(Flag.objects.values_list("pk", "status")),
            sorted(StudentRecommendation.objects.values_list("pk", "reason")),
        )


def test_a_what_if_replays_in_the_task_writes_nothing_live_and_applies_through_the_settings(
    school_a, stuck_class, client, django_capture_on_commit_callbacks
):
    before = _live(school_a)
    with django_capture_on_commit_callbacks(execute=False) as queued:
        run = _run(school_a, client)
    assert [c for c in queued if "sandbox_run_start" in c.__qualname__]  # the replay, queued after commit
    assert run.status == SandboxRun.Status.DONE and run.progress == 100
    assert run.students_total == 7 and run.students_done == 7 and run.school_days >= 15
    assert (run.value_before, run.value_after) == (DEFAULT_THRESHOLDS.attention_enter_score, 0.12)
    assert run.flagged_after >= run.flagged_before >= 1
    with school_scope(school_a.school):
        changes = {c.student_id: c for c in SandboxChange.objects.filter(run=run)}
    student = school_a.user(Role.STUDENT)
    assert student.pk in changes  # flagged earlier under the lower threshold
    change = changes[student.pk]
    assert change.attention_before == "Not flagged" and change.flagged_days_after > change.flagged_days_before
    assert _live(school_a) == before  # nothing live was written

    page = client.get(reverse("engine:sandbox_run", args=["alpha", run.pk]))
    body = page.content.decode()
    assert page.status_code == 200 and "would have changed" in body and student.get_full_name() in body
    assert "Apply the change" in body

    response = client.post(reverse("engine:sandbox_run", args=["alpha", run.pk]))
    assert response.status_code == 302
    with school_scope(school_a.school):
        applied = SchoolThresholds.objects.get()
        # Below the default score that keeps an entry open (0.26), which follows it down.
        assert (applied.attention_enter_score, applied.attention_exit_score) == (0.12, 0.12)
        assert StudentEngineState.objects.filter(student=student, dirty_since__isnull=False).exists()
        run.refresh_from_db()
    assert run.applied_by == school_a.user(Role.SCHOOL_ADMIN) and run.applied_at is not None
    again = client.post(reverse("engine:sandbox_run", args=["alpha", run.pk]))
    assert again.status_code == 400 and "already applied" in again.content.decode()


def test_a_stale_what_if_is_not_applied(school_a, stuck_class, client):
    run = _run(school_a, client)
    with school_scope(school_a.school):
        SchoolThresholds.objects.create(school=school_a.school, attention_enter_score=0.6)
    response = client.post(reverse("engine:sandbox_run", args=["alpha", run.pk]))
    assert response.status_code == 400 and "run it again" in response.content.decode()
    with school_scope(school_a.school):
        assert SchoolThresholds.objects.get().attention_enter_score == 0.6


def test_a_change_to_the_same_value_changes_no_student(school_a, stuck_class, client):
    run = _run(school_a, client, {**LOWER, "value": str(DEFAULT_THRESHOLDS.attention_enter_score)})
    assert run.status == SandboxRun.Status.DONE
    assert (run.attention_changed, run.next_up_changed) == (0, 0)
    assert run.flagged_before == run.flagged_after
    with school_scope(school_a.school):
        assert not SandboxChange.objects.filter(run=run).exists()


def test_a_what_if_that_changes_nobody_says_what_the_setting_decides_and_that_no_student_was_there(
    school_a, stuck_class, client
):
    """The demo's what-ifs on the estimate that counts as learning reported a bare 0: the page says what the
    setting decides (not when a check opens) and that no student was where it decides anything."""
    run = _run(school_a, client, {**LOWER, "field": "learning_p_mastered", "value": "0.5"})
    assert (run.attention_changed, run.next_up_changed) == (0, 0)  # no mastered prerequisite to go back to
    body = client.get(reverse("engine:sandbox_run", args=["alpha", run.pk])).content.decode()
    assert "This setting decides when an estimate counts as learning" in body
    assert "It does not open mastery checks: each competency&#x27;s mastery policy does." in body
    assert "no student was where this setting decides anything, between 0.85 and 0.50." in body


def test_every_setting_a_what_if_offers_says_what_it_decides():
    from engine.sandbox import DECIDES, FIELDS

    assert DECIDES.keys() == FIELDS.keys()


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"value": "lots"}, "value", "number"),
        ({"value": "1.5"}, "value", "less than or equal to 1"),
        ({"value": "0.2", "field": "attention_exit_score"}, "value", ""),  # fine: exit ≤ enter
        ({"value": "0.9", "field": "attention_exit_score"}, "value", "at most the score that opens it"),
        ({"weeks": "13"}, "weeks", "less than or equal to 12"),
        ({"field": "max_recommendations"}, "field", "Select a valid choice"),
        ({"field": "wheel_spin_answers", "value": "2.5"}, "value", "integer"),
    ],
)
def test_bad_input_gets_field_errors_and_no_run(school_a, client, data, field, message):
    response = _client(client, school_a.user(Role.SCHOOL_ADMIN)).post(
        reverse("engine:sandbox", args=["alpha"]), {**LOWER, **data}
    )
    if not message:
        assert response.status_code == 302
        return
    assert response.status_code == 400
    assert message in response.content.decode()
    with school_scope(school_a.school):
        assert not SandboxRun.objects.exists()


def test_a_teacher_tries_what_ifs_on_their_own_sections_only_and_cannot_apply(school_a, stuck_class, client):
    teacher = school_a.user(Role.TEACHER)
    url = reverse("engine:sandbox", args=["alpha"])
    page = _client(client, teacher).get(url)
    body = page.content.decode()
    assert page.status_code == 200 and school_a.section.name in body
    assert school_a.other_section.name not in body and "The whole school" not in body
    assert client.post(url, LOWER).status_code == 400  # the whole school: not theirs
    assert client.post(url, {**LOWER, "section": school_a.other_section.pk}).status_code == 400
    with school_scope(school_a.school):
        outsider = UserFactory()
        MembershipFactory(school=school_a.school, user=outsider, role=Role.STUDENT)
        EnrollmentFactory(section=school_a.other_section, user=outsider)
    run = _run(school_a, client, {**LOWER, "section": school_a.section.pk}, user=teacher)
    with school_scope(school_a.school):
        section_students = Enrollment.objects.filter(section=school_a.section, role="student").count()
    assert run.students_total == section_students == 7  # not the other section's student
    response = client.get(reverse("engine:sandbox_run", args=["alpha", run.pk]))
    assert response.status_code == 200 and "A school admin applies" in response.content.decode()
    assert client.post(reverse("engine:sandbox_run", args=["alpha", run.pk])).status_code == 403
    with school_scope(school_a.school):
        assert not SchoolThresholds.objects.exists()
    other = _client(client, school_a.user("other_teacher"))
    assert other.get(reverse("engine:sandbox_run", args=["alpha", run.pk])).status_code == 404


@pytest.mark.parametrize("role", [Role.STUDENT, Role.MENTOR])
def test_students_and_mentors_get_403_on_the_sandbox_and_404_on_a_run(school_a, stuck_class, client, role):
    run = _run(school_a, client)
    visitor = _client(client, school_a.user(role))
    assert visitor.get(reverse("engine:sandbox", args=["alpha"])).status_code == 403
    assert visitor.post(reverse("engine:sandbox", args=["alpha"]), LOWER).status_code == 403
    for name in ("engine:sandbox_run", "engine:sandbox_progress"):
        assert visitor.get(reverse(name, args=["alpha", run.pk])).status_code == 404
    assert visitor.post(reverse("engine:sandbox_run", args=["alpha", run.pk])).status_code == 404


def test_another_schools_admin_gets_404(school_a, school_b, stuck_class, client):
    run = _run(school_a, client)
    stranger = _client(client, school_b.user(Role.SCHOOL_ADMIN))
    assert stranger.get(reverse("engine:sandbox_run", args=["bravo", run.pk])).status_code == 404
    assert stranger.get(reverse("engine:sandbox_run", args=["alpha", run.pk])).status_code == 404
    assert stranger.post(reverse("engine:sandbox_run", args=["bravo", run.pk])).status_code == 404
    district = _client(client, school_a.user(DISTRICT_ADMIN))
    assert district.get(reverse("engine:sandbox_run", args=["alpha", run.pk])).status_code == 200


def test_the_progress_bar_polls_until_the_replay_is_done(
    school_a, stuck_class, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        response = _client(client, school_a.user(Role.SCHOOL_ADMIN)).post(
            reverse("engine:sandbox", args=["alpha"]), LOWER
        )
    url = response["Location"]
    run_id = int(url.rstrip("/").split("/")[-1])
    page = client.get(url).content.decode()
    assert 'hx-trigger="every 1s"' in page and "<progress" in page
    progress = client.get(reverse("engine:sandbox_progress", args=["alpha", run_id]))
    assert progress.status_code == 200 and 'value="0"' in progress.content.decode()
    with school_scope(school_a.school):
        sandbox_run_execute(run_id=run_id, chunk_size=3)  # three chunks
        run = SandboxRun.objects.get(pk=run_id)
    assert run.students_done == run.students_total == 7
    done = client.get(reverse("engine:sandbox_progress", args=["alpha", run_id]))
    assert done.status_code == 204 and done["HX-Refresh"] == "true"


def _more_students(school, world, count, days):
    """Students who worked yesterday, each mentored and checked in with (the replay reads check-ins and
    mentor assignments too)."""
    section = school.section
    for _ in range(count):
        peer = UserFactory()
        MembershipFactory(school=world.school, user=peer, role="student")
        EnrollmentFactory(section=section, user=peer)
        with school_scope(world.school):
            MentorAssignmentFactory(school=world.school, mentor=school.user(Role.MENTOR), student=peer)
            CheckInFactory(school=world.school, student=peer, mentor=school.user(Role.MENTOR), date=days[0])
        work(
            world,
            peer,
            timezone.localdate() - timezone.timedelta(days=1),
            [(world.competencies[0], True)] * 3,
        )


def test_the_task_reads_and_the_pages_stay_constant_as_students_grow(
    school_a, learning_a, stuck_class, client, django_capture_on_commit_callbacks
):
    def measure():
        with django_capture_on_commit_callbacks(execute=False):
            response = _client(client, school_a.user(Role.SCHOOL_ADMIN)).post(
                reverse("engine:sandbox", args=["alpha"]), {**LOWER, "value": "0.99"}
            )
        run_id = int(response["Location"].rstrip("/").split("/")[-1])
        with school_scope(school_a.school), CaptureQueriesContext(connection) as task:
            sandbox_run_execute(run_id=run_id)
        with CaptureQueriesContext(connection) as page:
            assert client.get(response["Location"]).status_code == 200
        with CaptureQueriesContext(connection) as home:
            assert client.get(reverse("engine:sandbox", args=["alpha"])).status_code == 200
        with school_scope(school_a.school):
            changed = SandboxChange.objects.filter(run_id=run_id).count()
        return len(task), len(page), len(home), changed

    with school_scope(school_a.school):  # one mentored student, checked in with, to begin with
        mentor, student = school_a.user(Role.MENTOR), school_a.user(Role.STUDENT)
        MentorAssignmentFactory(school=school_a.school, mentor=mentor, student=student)
        CheckInFactory(school=school_a.school, student=student, mentor=mentor, date=stuck_class[0][0])
    small = measure()
    _more_students(school_a, learning_a, 8, stuck_class[0][-10:])
    large = measure()
    assert large[3] > small[3]  # more students changed: the pages list more rows
    # The task's first run also reads the school days (then cached for the day): at most as many after.
    assert large[0] <= small[0], f"task queries: {small[0]} → {large[0]}"
    assert large[1:3] == small[1:3], f"queries (run page, sandbox page): {small[1:3]} → {large[1:3]}"


def test_the_run_page_says_how_each_students_next_up_list_changed(school_a, stuck_class, client):
    run = _run(school_a, client)
    student = school_a.user(Role.STUDENT)
    with school_scope(school_a.school):
        SandboxChange.objects.filter(run=run, student=student).update(
            next_up_days=3,
            next_before="Review C1",
            next_after="Review C1",
            next_how={"items": 2, "order": 1},
            next_list_before=["Review C1", "Next in Fractions"],
            next_list_after=["Review C1", "Review C2", "Next in Fractions"],
        )
    body = client.get(reverse("engine:sandbox_run", args=["alpha", run.pk])).content.decode()
    assert "other items in the list (2 days), order changed (1 day)" in body
    assert "other items in the list for 1 student" in body and "order changed for 1 student" in body
    assert "<li>Review C2</li>" in body and "The whole list on the first day it differs" in body


@pytest.fixture
def idle_two_days(learning_a, classroom_days):  # noqa: F811
    """The world's student works as their six classmates do, every school day but two in the last week
    (``days[-4]`` and ``days[-3]``: their playlist was assigned ten days ago)."""
    days, peers = classroom_days
    for n, on in enumerate(days):
        if n not in (len(days) - 4, len(days) - 3):
            work(learning_a, learning_a.student, on, ordinary_day(learning_a, n))
    return days, peers


def test_a_lower_inactivity_threshold_reports_the_idle_student_with_the_first_day_and_the_flags(
    school_a, idle_two_days, client
):
    """Inactivity counted from one school day without work (the default: three): the student idle for two
    school days is flagged on both, and the what-if says so (it compared only the entry and Next up, and
    reported 0 students changed); their classmates, at work every day, do not change."""
    days, _ = idle_two_days
    student = school_a.user(Role.STUDENT)
    run = _run(school_a, client, {**LOWER, "field": "inactive_school_days", "value": "1"})
    assert (run.value_before, run.value_after) == (3, 1)
    assert run.flags_changed == 1 and run.rule_flagged_after >= run.rule_flagged_before
    with school_scope(school_a.school):
        change = SandboxChange.objects.get(run=run)
    assert change.student_id == student.pk
    assert change.flag_days == 2 and change.flags_on == days[-4]
    assert [w for w in change.flags_after if w not in change.flags_before] == [
        "Inactive: No activity for 1 school day"
    ]
    body = client.get(reverse("engine:sandbox_run", args=["alpha", run.pk])).content.decode()
    assert "1 student&#x27;s rule flags</strong> would have changed" in body
    assert "Students with a rule flag on at least one day:" in body
    # Counted over the replayed days, said so: the dashboard's list is today's only.
    assert "Students who needed attention on at least one of these days:" in body
    assert "flagged on some day" not in body and " now," not in body
    first = f"{days[-4]:%a %b} {days[-4].day}"
    assert f"From {first} (2 days): none → Inactive: No activity for 1 school day" in body
    assert "opening an item without finishing or answering anything leaves no dated trace" in body
    assert "no student was where" not in body and "rule flag only" not in body


def test_a_what_if_that_changes_no_rule_flag_says_no_student_was_where_the_setting_decides_anything(
    school_a, stuck_class, client
):
    """No one in the class has failed a check: one failed check in a row or two, nobody is flagged for it."""
    run = _run(school_a, client, {**LOWER, "field": "failed_checks", "value": "1"})
    assert (run.attention_changed, run.next_up_changed, run.flags_changed) == (0, 0, 0)
    assert run.rule_flagged_before == run.rule_flagged_after
    body = client.get(reverse("engine:sandbox_run", args=["alpha", run.pk])).content.decode()
    assert "No student's entry, Next up or rule flags would change: in these" in body
    assert "no student was where this setting decides anything, between 2 and 1." in body


def test_a_shorter_check_in_cadence_is_replayed_on_the_check_ins_held_by_each_day(
    school_a, idle_two_days, client
):
    """Check-ins on the third and the thirteenth school day (fourteen days apart: never missed at the
    default cadence). Every seven days, the first is due a week after it and missed three days later, until
    the second is held. The mentor was assigned today (as a roster import records it): the first check-in
    shows the mentoring under way. The check-in as it stands now (the second) would hide the missed days."""
    days, _ = idle_two_days
    student, mentor = school_a.user(Role.STUDENT), school_a.user(Role.MENTOR)
    with school_scope(school_a.school):
        MentorAssignmentFactory(school=school_a.school, mentor=mentor, student=student)
        for on in (days[2], days[12]):
            CheckInFactory(school=school_a.school, student=student, mentor=mentor, date=on)
    run = _run(school_a, client, {**LOWER, "field": "check_in_days", "value": "7"})
    missed = [d for d in run_days(school_a, run) if (d - days[2]).days > 7 + 3 and d < days[12]]
    assert missed  # the window holds such days
    with school_scope(school_a.school):
        change = SandboxChange.objects.get(run=run, student=student)
    assert change.flag_days == len(missed) and change.flags_on == missed[0]
    late = (missed[0] - days[2]).days
    assert [w for w in change.flags_after if w not in change.flags_before] == [
        f"Missed check-in: Last mentor check-in {late} days ago"
    ]
    body = client.get(reverse("engine:sandbox_run", args=["alpha", run.pk])).content.decode()
    assert "Check-ins are replayed from their dates" in body


def run_days(world, run) -> list:
    """The school days a what-if replayed: those on which anyone in the school answered, in its window."""
    with school_scope(world.school):
        start = timezone.localdate() - timezone.timedelta(days=7 * run.weeks)
        answered = PracticeAnswer.objects.filter(answered_at__date__gte=start).dates("answered_at", "day")
        return [d for d in answered if d < timezone.localdate()]


def _settings_reads(queries) -> int:
    """Queries that read a school's settings rows (engine thresholds, SchoolSettings) by themselves."""
    tables = ('FROM "engine_schoolthresholds"', 'FROM "schools_schoolsettings"')
    return sum(
        1 for q in queries if q["sql"].lstrip().startswith("SELECT") and any(t in q["sql"] for t in tables)
    )


def test_each_side_of_a_what_if_changes_its_own_copy_of_the_settings_read(school_a):
    """The replay reads the settings once and changes a copy for each side: the "before" side lowering the
    score that keeps an entry open (with the entry score) leaves the "after" side's as the school has it."""
    with school_scope(school_a.school):
        SchoolThresholds.objects.create(
            school=school_a.school, attention_enter_score=0.3, attention_exit_score=0.3
        )
        current = sandbox.thresholds_row()
        before = sandbox.with_change(current.copy(), "attention_enter_score", 0.2).as_policy()
        after = sandbox.with_change(current.copy(), "attention_enter_score", 0.4).as_policy()
    assert (before.attention_enter_score, before.attention_exit_score) == (0.2, 0.2)
    assert (after.attention_enter_score, after.attention_exit_score) == (0.4, 0.3)
    assert (current.attention_enter_score, current.attention_exit_score) == (0.3, 0.3)


def test_a_what_if_reads_the_schools_settings_once_to_start_and_once_to_replay(
    school_a, stuck_class, client, django_capture_on_commit_callbacks
):
    """The settings are read once and carried as data: starting a what-if (the page's form, its candidate
    and the value it changes from), the replay (the thresholds before and after) and Apply (the check that
    the setting has not changed, then the change) each read the two rows once, not twice or three times."""
    _client(client, school_a.user(Role.SCHOOL_ADMIN))
    with django_capture_on_commit_callbacks(execute=False), CaptureQueriesContext(connection) as start:
        response = client.post(reverse("engine:sandbox", args=["alpha"]), LOWER)
    assert response.status_code == 302
    run_id = int(response["Location"].rstrip("/").split("/")[-1])
    with school_scope(school_a.school), CaptureQueriesContext(connection) as task:
        sandbox_run_execute(run_id=run_id)
    with CaptureQueriesContext(connection) as apply:
        assert client.post(response["Location"]).status_code == 302
    assert _settings_reads(start.captured_queries) == 2
    assert _settings_reads(task.captured_queries) == 2
    assert _settings_reads(apply.captured_queries) == 2
    with school_scope(school_a.school):
        assert SchoolThresholds.objects.get().attention_enter_score == pytest.approx(0.12)
