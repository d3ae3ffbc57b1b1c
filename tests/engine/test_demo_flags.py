"""The seeded demo looks like a real class to its teacher: a few students need attention, not all."""

from django.utils import timezone

from dashboard.selectors.attention import needs_attention
from dashboard.selectors.grid import section_dashboard
from engine.models import Flag
from plp.tenancy.context import school_scope
from schools.demo import demo_seed, demo_struggles
from schools.models import Membership, Section


def test_the_demos_sections_have_between_10_and_25_percent_of_students_needing_attention(db):
    """Issue 15's goal for the demo (measured 2026-12-04, sixth session: 17–25% a section, the five students
    a school who struggle and nobody else)."""
    result = demo_seed()  # the README's demo: 24 students a school
    for school in result.schools:
        with school_scope(school):
            students = Membership.objects.filter(role="student").order_by("user__email")
            struggling = {
                pk for n, pk in enumerate(students.values_list("user_id", flat=True)) if demo_struggles(n)
            }
            for section in Section.objects.select_related("term"):
                dashboard = section_dashboard(section=section, today=timezone.localdate())
                flagged = {entry.student.pk for entry in needs_attention(dashboard)}
                share = len(flagged) / dashboard.student_count
                assert 0.10 <= share <= 0.25, (section.name, share)
                # The students it names are the ones who struggle, not ordinary students with less done.
                assert flagged <= struggling, section.name
                if not dashboard.competencies:  # Science: no playlist, so nobody is behind on one here
                    assert not [f for row in dashboard.rows for f in row.flags if f.kind == "behind_pace"]
            # Behind pace once per student and section; check-ins missed by the students their mentor
            # has not seen for weeks, not by everyone.
            behind = list(Flag.objects.filter(kind="behind_pace").values_list("student_id", "subject"))
            assert behind and all(subject.startswith("section:") for _, subject in behind)
            assert len(behind) == len(set(behind))
            missed = set(Flag.objects.filter(kind="missed_check_in").values_list("student_id", flat=True))
            assert missed and missed <= struggling
