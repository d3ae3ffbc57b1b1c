import datetime as dt

from django.urls import reverse

from dashboard.seeding import section_seed
from dashboard.selectors.grid import section_dashboard, sections_dashboards
from plp.tenancy.context import school_scope
from schools.roles import DISTRICT_ADMIN, Role
from tests.factories import SchoolFactory, SectionFactory


def test_school_overview_counts_per_section(client, school_a, classroom):
    client.force_login(school_a.user(Role.SCHOOL_ADMIN))
    response = client.get(reverse("dashboard:school_overview", kwargs={"school_slug": school_a.school.slug}))
    assert response.status_code == 200
    body = response.content.decode()
    row = body.split("<tbody>")[1].split(school_a.section.name)[1].split("</tr>")[0]
    # 3 students, 1 mastered of 3 × 3 cells, 1 open flag; no mentor assignments, so none overdue.
    assert "<td>3</td>" in row and "(1 of 9)" in row and "<td>1</td><td>0</td>" in row


def test_teachers_may_not_open_the_overviews(client, school_a):
    client.force_login(school_a.user(Role.TEACHER))
    for name in ("school_overview", "district_overview"):
        assert (
            client.get(reverse(f"dashboard:{name}", kwargs={"school_slug": school_a.school.slug})).status_code
            == 403
        )


def test_district_overview_lists_the_organizations_schools_only(client, school_a, school_b, classroom):
    sibling = SchoolFactory(
        organization=school_a.school.organization, name="Alpha Sibling", slug="alpha-sibling"
    )
    client.force_login(school_a.user(DISTRICT_ADMIN))
    body = client.get(
        reverse("dashboard:district_overview", kwargs={"school_slug": school_a.school.slug})
    ).content.decode()
    assert "Alpha Academy" in body and "Alpha Sibling" in body and "Bravo" not in body
    row = body.split("<tbody>")[1].split("Alpha Academy")[1].split("</tr>")[0]
    # 3 students × 3 competencies of the section, 1 mastered: the school overview's own total (it used to
    # divide by the mastery states that happened to exist, 4, which is why the two pages disagreed).
    assert "<td>3</td>" in row and "(1 of 9)" in row
    assert sibling.slug in body
    client.force_login(school_a.user(Role.SCHOOL_ADMIN))
    assert (
        client.get(
            reverse("dashboard:district_overview", kwargs={"school_slug": school_a.school.slug})
        ).status_code
        == 403
    )


def test_a_mentee_without_a_recent_check_in_counts_as_overdue(client, school_a, classroom):
    import datetime as dt

    from tests.factories import CheckInFactory, MentorAssignmentFactory

    mentor = school_a.user(Role.MENTOR)
    from plp.tenancy.context import school_scope
    from schools.models import MentorAssignment

    for student in classroom.students[1:]:
        assignment = MentorAssignmentFactory(school=school_a.school, mentor=mentor, student=student)
        with school_scope(school_a.school):  # mentored for a month: a first check-in is long due
            MentorAssignment.objects.filter(pk=assignment.pk).update(
                created_at=assignment.created_at - dt.timedelta(days=30)
            )
    CheckInFactory(school=school_a.school, student=classroom.students[2], mentor=mentor, date=dt.date.today())
    client.force_login(school_a.user(Role.SCHOOL_ADMIN))
    body = client.get(
        reverse("dashboard:school_overview", kwargs={"school_slug": school_a.school.slug})
    ).content
    row = body.decode().split("<tbody>")[1].split(school_a.section.name)[1].split("</tr>")[0]
    assert row.endswith("<td>1</td><td>1</td>")  # one open flag; Zoe never had a check-in, Adam had one today


def test_a_new_mentee_or_a_follow_up_not_yet_due_is_not_an_overdue_check_in(client, school_a, classroom):
    import datetime as dt

    from tests.factories import CheckInFactory, MentorAssignmentFactory

    mentor = school_a.user(Role.MENTOR)
    for student in classroom.students[1:]:
        MentorAssignmentFactory(school=school_a.school, mentor=mentor, student=student)  # mentored from today
    long_ago = dt.date.today() - dt.timedelta(days=30)
    CheckInFactory(
        school=school_a.school, student=classroom.students[2], mentor=mentor, date=long_ago,
        follow_up_date=dt.date.today() + dt.timedelta(days=2),
    )  # fmt: skip
    client.force_login(school_a.user(Role.SCHOOL_ADMIN))
    body = client.get(
        reverse("dashboard:school_overview", kwargs={"school_slug": school_a.school.slug})
    ).content
    row = body.decode().split("<tbody>")[1].split(school_a.section.name)[1].split("</tr>")[0]
    assert row.endswith("<td>1</td><td>0</td>")


def test_the_overviews_judge_a_check_in_by_its_schools_own_cadence(school_a, school_b, classroom):
    from dashboard.selectors.overview import overdue_check_ins
    from schools.models import SchoolSettings
    from tests.factories import CheckInFactory, MentorAssignmentFactory

    mentor, student = school_a.user(Role.MENTOR), classroom.students[1]
    MentorAssignmentFactory(school=school_a.school, mentor=mentor, student=student)
    nine_days_ago = dt.date.today() - dt.timedelta(days=9)
    CheckInFactory(school=school_a.school, student=student, mentor=mentor, date=nine_days_ago)
    SchoolSettings.objects.create(school=school_b.school, check_in_days=7, check_in_grace_days=0)
    with school_scope(school_a.school):  # fortnightly with three days' grace (the defaults): not yet due
        assert overdue_check_ins(today=dt.date.today()) == {school_a.school.pk: set()}
    SchoolSettings.objects.create(school=school_a.school, check_in_days=7, check_in_grace_days=0)
    with school_scope(school_a.school):  # weekly, no grace: nine days is overdue
        assert overdue_check_ins(today=dt.date.today()) == {school_a.school.pk: {student.pk}}
    ids = [school_a.school.pk, school_b.school.pk]  # the district overview reads each school's own
    assert overdue_check_ins(today=dt.date.today(), school_ids=ids)[school_a.school.pk] == {student.pk}


def _overview_queries(client, school_a, django_assert_max_num_queries, budget):
    client.force_login(school_a.user(Role.SCHOOL_ADMIN))
    target = reverse("dashboard:school_overview", kwargs={"school_slug": school_a.school.slug})
    client.get(target)  # warm the session
    with django_assert_max_num_queries(budget) as captured:
        assert client.get(target).status_code == 200
    return len(captured.captured_queries)


def test_school_overview_costs_the_same_queries_for_one_section_or_many(
    client, school_a, django_assert_max_num_queries
):
    with school_scope(school_a.school):
        section_seed(section=school_a.section, students=4, competencies=3, tag="OV0")
    one = _overview_queries(client, school_a, django_assert_max_num_queries, 14)
    for n in range(1, 4):
        section = SectionFactory(school=school_a.school, term=school_a.term, name=f"More {n}")
        with school_scope(school_a.school):
            section_seed(section=section, students=5, competencies=3, tag=f"OV{n}", seed=n)
    assert _overview_queries(client, school_a, django_assert_max_num_queries, one) <= one


def test_many_sections_read_together_match_each_read_alone(school_a):
    sections = [school_a.section]
    for n in range(1, 3):
        sections.append(SectionFactory(school=school_a.school, term=school_a.term, name=f"Together {n}"))
    with school_scope(school_a.school):
        for n, section in enumerate(sections):
            section_seed(section=section, students=4 + n, competencies=3 + n, tag=f"TG{n}", seed=n)
        together = sections_dashboards(sections=sections, today=dt.date(2026, 11, 23))
        for section in sections:
            alone = section_dashboard(section=section, today=dt.date(2026, 11, 23))
            both = together[section.pk]
            assert [(r.student.pk, r.pace, r.cells, r.done_units, r.mastered) for r in both.rows] == [
                (r.student.pk, r.pace, r.cells, r.done_units, r.mastered) for r in alone.rows
            ]
            assert [c.pk for c in both.competencies] == [c.pk for c in alone.competencies]
            assert both.groups == alone.groups and len(both.ready) == len(alone.ready)


def test_district_overview_costs_the_same_queries_for_two_schools_or_five(
    client, school_a, classroom, django_assert_max_num_queries
):
    client.force_login(school_a.user(DISTRICT_ADMIN))
    target = reverse("dashboard:district_overview", kwargs={"school_slug": school_a.school.slug})
    SchoolFactory(organization=school_a.school.organization, name="Alpha Two", slug="alpha-two")
    client.get(target)
    with django_assert_max_num_queries(14) as two:
        client.get(target)
    for n in range(3):
        SchoolFactory(organization=school_a.school.organization, name=f"Alpha {n + 3}", slug=f"alpha-{n + 3}")
    with django_assert_max_num_queries(len(two.captured_queries)):
        body = client.get(target).content.decode()
    assert body.count("<tr>") >= 5 + 1 and "Alpha 5" in body
