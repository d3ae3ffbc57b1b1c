"""Reads of projects, by role: students see their sections' projects and only their own work and scores;
teachers see projects of the sections they teach; school-wide roles see all."""

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from audit.recorder import student_seen
from playlists.projects.models import Milestone, MilestoneSubmission, Project, RubricDimension, RubricScore
from playlists.selectors import competency_codes
from schools.access import LEARNING, is_school_wide, sections_taught, student_section_ids, teaches_section
from schools.models import Enrollment
from schools.roles import Role
from submissions.models import SubmissionFile
from submissions.selectors import files_by_milestone


def projects_visible_to(*, user, roles: frozenset[str]) -> QuerySet[Project]:
    projects = Project.objects.select_related("section")
    if is_school_wide(roles):
        return projects
    sections = []
    if Role.TEACHER in roles:
        sections.append(projects.filter(section__in=sections_taught(user=user)))
    if Role.STUDENT in roles:
        sections.append(projects.filter(section_id__in=student_section_ids(student=user)))
    if not sections:
        return projects.none()
    visible = sections[0]
    for more in sections[1:]:
        visible = visible | more
    return visible.distinct()


def project_get(*, user, roles: frozenset[str], project_id: int) -> Project:
    project = projects_visible_to(user=user, roles=roles).filter(pk=project_id).first()
    if project is None:
        raise Http404("No such project.")
    return project


def can_score(*, user, roles: frozenset[str], project: Project) -> bool:
    """Teachers of the project's section score it."""
    return teaches_section(user=user, roles=roles, section_id=project.section_id)


def project_students(*, project: Project) -> list:
    enrollments = (
        Enrollment.objects.filter(LEARNING, section_id=project.section_id)
        .select_related("user")
        .order_by("user__family_name", "user__given_name")
    )
    return [e.user for e in enrollments]


def project_student_get(*, project: Project, student_id: int):
    for student in project_students(project=project):
        if student.pk == student_id:
            student_seen(student_id=student.pk, object_type="project", object_id=project.pk)  # audit log
            return student
    raise Http404("No such student in this project.")


def project_detail(*, project: Project, student=None) -> dict:
    """Milestones (with ``student``'s submissions and files), the rubric, and ``student``'s scores:
    5 queries."""
    milestones = list(Milestone.objects.filter(project=project))
    dimensions = list(
        RubricDimension.objects.filter(project=project)
        .prefetch_related(competency_codes())
        .order_by("position", "pk")
    )
    submissions, scores, files = {}, {}, {}
    if student is not None:
        files = files_by_milestone(project=project, student=student)
        submissions = {
            s.milestone_id: s
            for s in MilestoneSubmission.objects.filter(milestone__project=project, student=student)
        }
        scores = {
            s.dimension_id: s for s in RubricScore.objects.filter(dimension__project=project, student=student)
        }
    for milestone in milestones:
        milestone.my_submission = submissions.get(milestone.pk)
        milestone.my_files = files.get(milestone.pk, [])
    for dimension in dimensions:
        dimension.my_score = scores.get(dimension.pk)
    return {"milestones": milestones, "dimensions": dimensions}


def submission_of(*, milestone: Milestone, student) -> MilestoneSubmission | None:
    """``student``'s saved work for one milestone, if any."""
    return MilestoneSubmission.objects.filter(milestone=milestone, student=student).first()


def files_of(*, milestone: Milestone, student) -> list:
    """``student``'s files for one milestone, newest first."""
    return list(
        SubmissionFile.objects.filter(milestone=milestone, student=student).order_by("-uploaded_at", "-pk")
    )


def student_projects(*, student) -> list[Project]:
    """The student's projects with their milestones, for "My work" (2 queries)."""
    return list(
        Project.objects.filter(section_id__in=student_section_ids(student=student))
        .prefetch_related(
            Prefetch(
                "milestones",
                queryset=Milestone.objects.order_by("due_date", "position"),
                to_attr="milestone_list",
            )
        )
        .order_by("title")
    )
