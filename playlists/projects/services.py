"""Writes of projects: the project, its milestones and rubric, submissions and rubric scores."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from playlists import evidence
from playlists.models import Competency
from playlists.projects.models import (
    RUBRIC_LEVELS,
    Milestone,
    MilestoneSubmission,
    Project,
    RubricDimension,
    RubricScore,
)
from plp.saving import validated_save
from submissions.services import VettedFile, milestone_file_attach


@transaction.atomic
def project_create(
    *, section, title: str, driving_question: str, description: str = "", actor=None
) -> Project:
    project = Project(
        school_id=section.school_id,
        section=section,
        title=title,
        driving_question=driving_question,
        description=description,
        created_by=actor,
    )
    return validated_save(project)


@transaction.atomic
def milestone_add(*, project: Project, title: str, due_date: dt.date) -> Milestone:
    position = project.milestones.count() + 1
    milestone = Milestone(
        school_id=project.school_id, project=project, title=title, due_date=due_date, position=position
    )
    milestone.full_clean()
    milestone.save()
    return milestone


@transaction.atomic
def rubric_dimension_add(
    *, project: Project, name: str, descriptors: list[str], competencies: list[Competency]
) -> RubricDimension:
    if len(descriptors) != 4:
        raise ValidationError("A rubric dimension needs a descriptor for each level 1–4.")
    dimension = RubricDimension(
        school_id=project.school_id,
        project=project,
        name=name,
        position=project.dimensions.count() + 1,
        **{f"level_{n}": text for n, text in enumerate(descriptors, start=1)},
    )
    dimension.full_clean()
    dimension.save()
    dimension.competencies.set(competencies)
    return dimension


@transaction.atomic
def milestone_submit(
    *, milestone: Milestone, student, text: str, links: list[str], file: VettedFile | None = None
) -> MilestoneSubmission:
    """Save (or replace) the student's work for a milestone, with the file it attaches (which supersedes the
    milestone's earlier file, kept for the record)."""
    submission = MilestoneSubmission.objects.filter(milestone=milestone, student=student).first()
    if submission is None:
        submission = MilestoneSubmission(school_id=milestone.school_id, milestone=milestone, student=student)
    submission.text, submission.links, submission.submitted_at = text, links, timezone.now()
    submission.full_clean()
    submission.save()
    if file is not None:
        milestone_file_attach(milestone=milestone, student=student, file=file)
    return submission


@transaction.atomic
def rubric_score_record(
    *, dimension: RubricDimension, student, level: int, feedback: str, actor
) -> RubricScore:
    """Record (or revise) a student's level on one dimension, as evidence for the dimension's competencies."""
    score = RubricScore.objects.filter(dimension=dimension, student=student).first()
    if score is None:
        score = RubricScore(school_id=dimension.school_id, dimension=dimension, student=student)
    score.level, score.feedback, score.scored_by, score.scored_at = level, feedback, actor, timezone.now()
    score.full_clean()
    score.save()
    competencies = list(dimension.competencies.all())
    score.competencies.set(competencies)
    for competency in competencies:  # evidence in the same transaction: a score and its ledger rows agree
        evidence.rubric_scored(
            student=student,
            competency=competency,
            level=level,
            max_level=max(RUBRIC_LEVELS),
            scored_by=actor,
            source_id=f"rubric-score:{score.pk}",
        )
    return score
