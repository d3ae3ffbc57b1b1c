"""Which playlists are assigned to a student is one rule (``playlists.selectors``): the pages read it one
student at a time (``student_assignments``) and the engine's snapshot for a chunk of students at once
(``students_assignments``), and both give the same answer."""

from pathlib import Path

from playlists.selectors import student_assignments, students_assignments
from plp.tenancy.context import school_scope
from schools.models import Enrollment
from schools.roles import Role
from tests.factories import EnrollmentFactory, PlaylistAssignmentFactory, PlaylistFactory, UserFactory

ROOT = Path(__file__).resolve().parents[2]


def test_the_bulk_selector_gives_each_student_what_the_one_student_selector_gives(school_a):
    school, student = school_a.school, school_a.user(Role.STUDENT)
    with school_scope(school):
        left = UserFactory()
        EnrollmentFactory(section=school_a.other_section, user=left, is_active=False)  # left the section
        taught = UserFactory()
        EnrollmentFactory(section=school_a.other_section, user=taught, role=Enrollment.SectionRole.TEACHER)

        def assign(**to):
            return PlaylistAssignmentFactory(playlist=PlaylistFactory(school=school), **to)

        section_work, own = assign(section=school_a.section), assign(student=student)
        assign(section=school_a.other_section)
        assign(student=left)

        ids = [student.pk, left.pk, taught.pk]
        bulk = students_assignments(student_ids=ids)
        for user in (student, left, taught):
            one = {(a.playlist_id, a.start_date, a.target_date) for a in student_assignments(student=user)}
            rows = bulk.get(user.pk, ())
            assert {(r["playlist_id"], r["start_date"], r["target_date"]) for r in rows} == one
        assert {r["playlist_id"] for r in bulk[student.pk]} == {section_work.playlist_id, own.playlist_id}
        assert taught.pk not in bulk  # a teacher of a section is not assigned its playlists


def test_the_engine_snapshot_reads_assignments_through_the_one_selector():
    """No second copy of the rule (active student enrolments, the section's and the student's own) in the
    engine: its snapshot loader calls ``students_assignments``."""
    source = "".join(path.read_text() for path in sorted((ROOT / "engine" / "snapshots").glob("*.py")))
    assert "students_assignments(" in source
    assert "PlaylistAssignment.objects" not in source and "Enrollment.objects" not in source
