"""A project per ELA section (milestones and a rubric), the first student's survey file handed in so
the demo shows a file.
"""

import datetime as dt

from django.contrib.auth import get_user_model
from django.utils import timezone

from playlists.models import (
    Competency,
)
from playlists.projects.models import Milestone, Project, RubricDimension
from playlists.projects.services import milestone_submit
from schools.models import Enrollment, Section
from submissions.services import file_vet

FILE_MILESTONE = "Lunch survey results: attach your data file (spreadsheet, CSV or PDF)"


MILESTONES = [
    ("Research brief", 10),
    (FILE_MILESTONE, 17),
    ("Argument draft", 24),
    ("Pitch to the board", 35),
]


# What the first student of each ELA section handed in for the file milestone, so the demo shows a file.
SURVEY_CSV = (
    "question,yes,no,not sure\n"
    "Do you eat the school lunch most days?,38,17,5\n"
    "Would you choose fresh fruit over a cookie if both cost the same?,29,21,10\n"
    "Would you pay 25 cents more for a salad bar?,22,30,8\n"
)


def _projects(school, competencies: dict[str, Competency]) -> None:
    today = timezone.localdate()
    for section in Section.objects.filter(subject="English Language Arts"):
        if Project.objects.filter(section=section).exists():
            continue
        project = Project.objects.create(
            school=school,
            section=section,
            title="A fair lunch for everyone",
            driving_question="How might we convince the school board to change how lunch is funded?",
        )
        Milestone.objects.bulk_create(
            [
                Milestone(
                    school=school,
                    project=project,
                    title=title,
                    due_date=today + dt.timedelta(days=days),
                    position=n,
                )
                for n, (title, days) in enumerate(MILESTONES, start=1)
            ]
        )
        _survey_file_handed_in(project)
        for position, (name, codes) in enumerate(
            [
                ("Research", ["W.7.7", "W.7.8"]),
                ("Argument", ["W.7.1", "RI.7.8"]),
                ("Communication", ["SL.7.4"]),
            ],
            start=1,
        ):
            dimension = RubricDimension.objects.create(
                school=school,
                project=project,
                name=name,
                position=position,
                level_1="Beginning: the skill is not yet visible",
                level_2="Developing: parts of the skill, with support",
                level_3="Proficient: the skill, independently",
                level_4="Advanced: the skill, with insight and nuance",
            )
            dimension.competencies.set([competencies[c] for c in codes])


def _survey_file_handed_in(project: Project) -> None:
    """The section's first student hands in the survey data for the file milestone, through the same vetting
    and storage as an upload from the page (submissions.services)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    milestone = Milestone.objects.filter(project=project, title=FILE_MILESTONE).first()
    student_id = (
        Enrollment.objects.filter(section_id=project.section_id, role="student", is_active=True)
        .order_by("user_id")
        .values_list("user_id", flat=True)
        .first()
    )
    if milestone is None or student_id is None:
        return
    upload = SimpleUploadedFile("lunch-survey.csv", SURVEY_CSV.encode(), "text/csv")
    milestone_submit(
        milestone=milestone,
        student=get_user_model().objects.get(pk=student_id),
        text="Our class survey of 60 students in the cafeteria line.",
        links=[],
        file=file_vet(upload=upload),
    )
